import DiversionGraph
import Foundation

/// Reads screening-list exports as their publishers write them: the U.S. Consolidated Screening List (CSV or
/// JSON) and OpenSanctions FollowTheMoney JSON Lines.
///
/// A file is read whole or not at all: when any row is malformed the reader throws a ``GraphLoadError`` with
/// every located problem (file, line or `results[i]`, field; at most ``GraphLoader/maximumDiagnostics``) and
/// returns nothing of that file. `Graphs/FORMAT.md` ("Real data") lists the fields read and every message.
///
///     let list = try ListReader.read(path: "Graphs/real-data/csl-sample.csv", format: .csl)
///     list.entries.first { $0.list == "entity-list" }?.footnote   // 1
public enum ListReader {
    /// Reads a whole file.
    ///
    /// - Throws: ``GraphLoadError`` with every located problem; nothing of the file is returned then.
    /// - Complexity: O(n) in the size of the file; the file is held in memory (the whole CSL is about 10 MB).
    public static func read(path: String, format: ListFormat) throws -> ListImport {
        var problems = Problems(file: path)
        guard let text = TextLines(path: path) else {
            problems.report(.none, nil, FileManager.default.fileExists(atPath: path) ? "cannot be opened for reading" : "no such file")
            throw problems.failure()
        }
        switch format {
        case .csl:
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            let isJSON: Bool
            if ext == "json" { isJSON = true } else if ext == "csv" { isJSON = false } else {
                // NB: by content when the extension does not say: the CSL's JSON form is one object.
                isJSON = text.bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
            }
            return isJSON ? try readCSLJSON(path: path, text: text) : try readCSLCSV(path: path, text: text)
        case .ftm:
            return try readFtM(path: path, text: text)
        }
    }
}
