import DiversionTestSupport
import Foundation
import Testing
@testable import DiversionSources

/// A file with a UTF-8 byte-order mark and CRLF line ends reads exactly like the one without.
@Suite struct LineEndingTests {
    func windowsCopy(of name: String, in folder: String) throws -> String {
        let text = try String(contentsOfFile: fixture(name), encoding: .utf8)
        let path = "\(folder)/\(name)"
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test(arguments: [("csl.csv", ListFormat.csl), ("csl.json", .csl), ("opensanctions.jsonl", .ftm)])
    func lists(name: String, format: ListFormat) throws {
        let folder = temporaryFolder("sources-crlf")
        defer { cleanUp(folder) }
        let plain = try ListReader.read(path: fixture(name), format: format)
        let windows = try ListReader.read(path: try windowsCopy(of: name, in: folder), format: format)
        #expect(windows.entries == plain.entries)
        #expect(windows.ownership == plain.ownership)
    }

    @Test func extracts() throws {
        let folder = temporaryFolder("sources-crlf")
        defer { cleanUp(folder) }
        let mapping = try ShipmentMapping.load(path: fixture("bol-mapping.yaml"))
        let plain = try ShipmentExtractReader.read(path: fixture("bol-containers.csv"), mapping: mapping)
        let windows = try ShipmentExtractReader.read(path: try windowsCopy(of: "bol-containers.csv", in: folder), mapping: mapping)
        #expect(windows == plain)
        #expect(windows.count == 13)
    }
}
