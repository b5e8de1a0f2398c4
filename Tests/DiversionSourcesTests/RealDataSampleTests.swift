import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing
@testable import DiversionSources

/// `Graphs/real-data/`, the sample the README's tour and `Graphs/FORMAT.md` use, reads and gives matching
/// something to find.
@Suite struct RealDataSampleTests {
    let folder = "\(packageRoot)/Graphs/real-data"

    /// Upper case, letters and digits only: enough to see that two spellings are one name.
    func squeezed(_ s: String) -> String { String(s.uppercased().filter { $0.isLetter || $0.isNumber }) }

    @Test func everyFileReads() throws {
        let csl = try ListReader.read(path: "\(folder)/csl-sample.csv", format: .csl)
        let ftm = try ListReader.read(path: "\(folder)/opensanctions-sample.jsonl", format: .ftm)
        let mapping = try ShipmentMapping.load(path: "\(folder)/bol-mapping.yaml")
        let rows = try ShipmentExtractReader.read(path: "\(folder)/bol-extract.csv", mapping: mapping)
        #expect(csl.entries.count == 11)
        #expect(ftm.ownership.count == 2)
        #expect(rows.count == 13)
        #expect(rows.first?.id == "VGSU2402110001")  // the mapping's id column is the bill of lading

        // Listed names whose bill-of-lading spellings differ only in punctuation and case.
        let listed = Set(csl.entries.map { squeezed($0.name) })
        let written = rows.flatMap { [$0.shipper.name, $0.consignee.name, $0.notify?.name ?? ""] }
        let found = Set(written.filter { listed.contains(squeezed($0)) && !csl.entries.map(\.name).contains($0) })
        #expect(found.isSuperset(of: ["SHENZHEN TIANYU AI COMPUTING CO LTD", "SHENZHEN TIANYU AI COMPUTING CO., LTD.",
                                      "AL NOOR HORIZON GENERAL TRADING LLC", "EVERBRIGHT COMPONENTS SDN BHD",
                                      "SINGAPORE PINNACLE COMPUTE PTE LTD"]))
    }
}
