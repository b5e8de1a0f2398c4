import DiversionGraph
import Foundation

/// The located problems found in one input file; thrown as a ``GraphLoadError`` so that a reader returns all of
/// a file or nothing of it.
struct Problems {
    var file: String
    private(set) var diagnostics: [GraphDiagnostic] = []
    private(set) var isTruncated = false

    init(file: String) { self.file = file }

    var isEmpty: Bool { diagnostics.isEmpty }
    /// True once ``GraphLoader/maximumDiagnostics`` problems are collected: readers stop there.
    var isFull: Bool { diagnostics.count >= GraphLoader.maximumDiagnostics }

    mutating func report(_ row: SourceLocation.Row, _ field: String?, _ message: String) {
        report(in: file, row, field, message)
    }

    /// A problem in another file than the one being read (a mapping file's column named by the extract reader).
    mutating func report(in file: String, _ row: SourceLocation.Row, _ field: String?, _ message: String) {
        if isFull { isTruncated = true; return }
        diagnostics.append(GraphDiagnostic(SourceLocation(file: file, row: row, field: field), message))
    }

    mutating func markTruncated() { isTruncated = true }

    /// Reports what the CSV reader could not read, in the words every reader of this target uses.
    mutating func report(_ problem: CSVReader.Problem) {
        switch problem {
        case .cannotOpen: report(.none, nil, "cannot be opened for reading")
        case .unterminatedQuote(let line): report(.line(line), nil, "a quoted field is never closed (a \" is missing)")
        case .textAfterQuote(let line): report(.line(line), nil, "text follows a closing quote; inside quotes write a quote as \"\"")
        case .invalidUTF8(let line): report(.line(line), nil, "is not valid UTF-8 text")
        }
    }

    /// The error that carries the problems collected (at least one must have been reported).
    func failure() -> GraphLoadError {
        precondition(!diagnostics.isEmpty, "a reader failed without saying why")
        return GraphLoadError(diagnostics, isTruncated: isTruncated)
    }

    /// Throws the problems collected, if any.
    func throwIfAny() throws {
        if !diagnostics.isEmpty { throw GraphLoadError(diagnostics, isTruncated: isTruncated) }
    }
}

/// A whole text file held in memory with its physical lines, as an editor numbers them.
///
/// NB: lines end at LF, CRLF or a lone CR, like ``CSVReader``'s; a UTF-8 byte-order mark at the start is dropped.
/// One difference: ``CSVReader`` does not count a lone CR *inside a quoted field* as a line, so a CSV file with
/// old Mac line breaks inside quotes would shift the `sourceRow` of the rows after it (line numbers in messages
/// come from ``CSVReader`` and stay right).
/// The readers keep a row's own text (`sourceRow`) from here, so that an investigator sees exactly what the
/// source published.
struct TextLines {
    let bytes: [UInt8]
    /// The byte range of each physical line (1-based line n is `ranges[n - 1]`), line ends excluded.
    let ranges: [Range<Int>]

    init(bytes raw: [UInt8]) {
        var b = raw
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { b.removeFirst(3) }
        var ranges: [Range<Int>] = []
        var start = 0, i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x0A || c == 0x0D {
                ranges.append(start..<i)
                if c == 0x0D, i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < b.count { ranges.append(start..<b.count) }
        self.bytes = b
        self.ranges = ranges
    }

    /// Reads the file at `path`; `nil` when it cannot be read.
    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        self.init(bytes: [UInt8](data))
    }

    var count: Int { ranges.count }

    /// The text of lines `first...last` (1-based), joined with LF.
    func text(lines first: Int, through last: Int) -> String {
        guard first >= 1, first <= ranges.count else { return "" }
        let end = min(last, ranges.count)
        let r = ranges[first - 1].lowerBound..<ranges[end - 1].upperBound
        // NB: a CRLF inside a quoted field stays in the slice; the row's text is normalised to LF line ends so
        // that a file with CRLF ends and one with LF ends keep the same source rows.
        let s = String(decoding: bytes[r], as: UTF8.self)
        return s.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func line(_ n: Int) -> String { text(lines: n, through: n) }

    /// The bytes of line `n` (1-based).
    func lineBytes(_ n: Int) -> ArraySlice<UInt8> { bytes[ranges[n - 1]] }
}

/// `syntax error near line N` for a JSON parse error of Foundation's `JSONSerialization`.
func jsonSyntaxDetail(_ error: Error, _ bytes: [UInt8]) -> String {
    let ns = error as NSError
    var index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int
    if index == nil, let debug = ns.userInfo["NSDebugDescription"] as? String, let r = debug.range(of: "character ") {
        index = Int(debug[r.upperBound...].prefix { $0.isNumber })
    }
    guard let index else { return "syntax error" }
    let line = bytes.prefix(index).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    return "syntax error near line \(line)"
}

/// How a JSON value is named in messages: `found true`, `found a list`.
func describeJSON(_ v: Any) -> String {
    switch v {
    case let s as String: return "\"\(s)\""
    case let n as NSNumber:
        if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
        return n.stringValue
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    default: return "null"
    }
}
