import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing
@testable import DiversionSources

@Suite struct ShipmentExtractReaderTests {
    let mapping: ShipmentMapping
    let rows: [ExtractRow]

    init() throws {
        mapping = try ShipmentMapping.load(path: fixture("bol-mapping.yaml"))
        rows = try ShipmentExtractReader.read(path: fixture("bol-containers.csv"), mapping: mapping)
    }

    func row(_ reference: String) throws -> ExtractRow { try #require(rows.first { $0.reference == reference }) }

    @Test func theMappingFile() {
        #expect(mapping.rows == .containerLine)
        #expect(mapping.dateFormats.map(\.pattern) == ["MM/DD/YYYY", "YYYY-MM-DD"])
        #expect(mapping.columns[.consignee] == "consignee_name")
        #expect(mapping.columnLines[.consignee] == 10)
        #expect(mapping.hsCodes == [.init(match: "854231", eccn: "3A090"), .init(match: "847150", eccn: "4A090")])
        #expect(mapping.keywords.map(\.match) == ["H100", "H200", "A100", "GPU SERVER", "RACK SERVER"])
    }

    @Test func containerLinesWithOneBillOfLadingAreOneShipment() throws {
        #expect(rows.count == 13)  // 20 container lines
        #expect(rows.flatMap(\.lines) == Array(2...21))
        let first = try row("VGSU2402110001")
        #expect(first.lines == [2, 3, 4])
        #expect(first.line == 2)
        #expect(first.id == "bol-containers-2")
        #expect(first.quantity == 240)
        #expect(first.weightKg == 720.75)
        #expect(first.value == 6_000_000)  // "3,000,000" + "2,000,000" + "1,000,000"
        #expect(first.containers == ["MSKU1234565", "MSKU7654321", "TGHU3344556"])
        #expect(first.date == Day("2024-02-20"))
        #expect(first.hsCode == "8542.31")
        #expect(first.shipper == PartyMention(name: "VERTEX GRAPHICS SUPPLY INC", address: "2200 MISSION COLLEGE BLVD SANTA CLARA CA 95054",
                                              country: CountryCode("US")))
        #expect(first.originCountry == CountryCode("TW"))
        #expect(first.portOfLoading == "OAKLAND, CA")
        #expect(first.portOfDischarge == "SINGAPORE")
        // A total is kept only when every line gives it: one line of this bill of lading has no value.
        let noValue = try row("EVBC2405060003")
        #expect(noValue.value == nil)
        #expect(noValue.weightKg == 650)
        // Different goods in one bill of lading: descriptions joined, the first HS code kept.
        let mixed = try row("LCCS2404020012")
        #expect(mixed.description == "GPU SERVER 8X H100 SXM; SERVER RAILS AND CABLE KITS")
        #expect(mixed.quantity == 12)
    }

    @Test func partiesAreKeptAsWritten() throws {
        let tianyu = Set(rows.flatMap { [$0.consignee.name, $0.notify?.name ?? ""] }.filter { $0.uppercased().contains("TIANYU") })
        #expect(tianyu == ["SHENZHEN TIANYU AI COMPUTING CO LTD", "Shenzhen Tianyu A.I. Computing Company Limited",
                           "SHENZHEN TIANYU AI COMPUTING CO., LTD."])
        let toOrder = rows.filter { $0.consignee.name == "TO ORDER" }
        #expect(toOrder.count == 2)
        #expect(toOrder.allSatisfy { $0.consignee.isPlaceholder && $0.consignee.country == nil })
        #expect(try row("KSLL2407090031").consignee.isPlaceholder)  // TO THE ORDER OF BANK OF KOWLOON
        let same = try row("LCCS2403150007")
        #expect(same.notify?.name == "SAME AS CONSIGNEE")
        #expect(same.notify?.isPlaceholder == true)
        #expect(!same.consignee.isPlaceholder)
        #expect(try row("VGSU2402110001").notify == nil)  // empty notify cells
        // Countries as names or codes.
        #expect(try row("EVBC2405060004").shipper.country == CountryCode("MY"))  // "MALAYSIA"
        #expect(try row("LCCS2404020011").consignee.country == CountryCode("CN"))  // "CHINA"
    }

    @Test(arguments: [
        ("854231", "8542.31"), ("8542.31", "8542.31"), ("847150", "8471.50"), ("8471.50.0000", "8471.500000"),
        ("8542 31", "8542.31"), ("8542310000", "8542.310000"),
    ])
    func hsCodesAreNormalised(text: String, code: String) {
        #expect(TextValues.hsCode(text) == code)
    }

    @Test(arguments: ["8471", "85A231", "85423100001", "8542/31"])
    func notHSCodes(text: String) {
        #expect(TextValues.hsCode(text) == nil)
    }

    @Test func theWatchGivesAnECCNByKeywordThenByHSCode() throws {
        func eccn(_ reference: String) throws -> String? { ShipmentExtractReader.eccn(for: try row(reference), mapping: mapping) }
        #expect(try eccn("VGSU2402110001") == "3A090.a")  // NVIDIA H100 80GB GPU
        #expect(try eccn("LCCS2404020011") == "4A090.a")  // GPU SERVER 8X H100: the longer keyword wins
        #expect(try eccn("EVBC2405060003") == "4A090.a")  // RACK SERVER, 8 X H100 GPU, 2U
        #expect(try eccn("ANHT2406180021") == "3A090.a")  // nvidia h100 pcie …: any case
        #expect(try eccn("KSLL2407090031") == "3A090.a")  // A100
        #expect(try eccn("ANHT2406180022") == nil)  // H1000 INDUSTRIAL AIR HEATER: not the word H100
        #expect(try eccn("KSLL2407090032") == nil)  // COMPUTER CHASSIS AND FANS, 8473.30
        #expect(try eccn("EVBC2405060005") == nil)  // OFFICE CHAIRS
        var r = try row("VGSU2402110001")
        r.description = "INTEGRATED CIRCUITS, PROCESSORS"
        #expect(ShipmentExtractReader.eccn(for: r, mapping: mapping) == "3A090")  // by HS code 8542.31
        r.hsCode = "8471.500000"
        r.description = nil
        #expect(ShipmentExtractReader.eccn(for: r, mapping: mapping) == "4A090")
        r.hsCode = "8473.30"
        #expect(ShipmentExtractReader.eccn(for: r, mapping: mapping) == nil)
    }

    @Test func oneRowPerShipmentWithAnIDColumn() throws {
        let folder = temporaryFolder("sources-mapping")
        defer { cleanUp(folder) }
        let yaml = """
            columns:
              id: container_number
              date: arrival_date
              shipper: shipper_name
              consignee: consignee_name
              quantity: quantity
              weight: gross_weight_kg
            date_format: M/D/YYYY
            weight_unit: lb
            """
        write(yaml, to: "\(folder)/m.yaml")
        let m = try ShipmentMapping.load(path: "\(folder)/m.yaml")
        #expect(m.rows == .shipment)
        let rows = try ShipmentExtractReader.read(path: fixture("bol-containers.csv"), mapping: m)
        #expect(rows.count == 20)
        #expect(rows[0].id == "MSKU1234565")
        #expect(rows[0].lines == [2])
        #expect(rows[0].reference == nil)
        #expect(abs(rows[0].weightKg! - 360.5 * 0.45359237) < 1e-9)
    }

    @Test func dateFormats() throws {
        #expect(try DateFormat("DD-MMM-YYYY").day("05-Mar-2024") == Day("2024-03-05"))
        #expect(try DateFormat("DD-MMM-YYYY").day("05-MAR-2024") == Day("2024-03-05"))
        #expect(try DateFormat("M/D/YYYY").day("3/5/2024") == Day("2024-03-05"))
        #expect(try DateFormat("M/D/YYYY").day("03/05/2024") == Day("2024-03-05"))
        #expect(try DateFormat("MM/DD/YYYY").day("3/5/2024") == nil)
        #expect(try DateFormat("YYYYMMDD").day("20240229") == Day("2024-02-29"))
        #expect(try DateFormat("YYYYMMDD").day("20230229") == nil)
        #expect(throws: DateFormatError.self) { try DateFormat("YYYY-MM") }
        #expect(throws: DateFormatError.self) { try DateFormat("YYYY-MM-DD HH:mm") }
    }

    @Test func numbersWithThousandsSeparators() {
        #expect(TextValues.number("3,000,000") == 3_000_000)
        #expect(TextValues.number("1,234.5") == 1234.5)
        #expect(TextValues.number("360.5") == 360.5)
        #expect(TextValues.number("12,5") == nil)
        #expect(TextValues.number("1,0000") == nil)
        #expect(TextValues.number("80 PCS") == nil)
    }
}
