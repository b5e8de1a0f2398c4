import DiversionGraph
import Foundation
import Testing
@testable import DiversionSources

@Suite struct CSLReaderTests {
    let csv: ListImport
    let json: ListImport

    init() throws {
        csv = try ListReader.read(path: fixture("csl.csv"), format: .csl)
        json = try ListReader.read(path: fixture("csl.json"), format: .csl)
    }

    func entry(_ list: ListImport, _ name: String) throws -> ListEntry {
        try #require(list.entries.first { $0.name == name })
    }

    @Test func csvRowsBecomeEntriesOfTheirListKinds() {
        #expect(csv.format == .csl)
        #expect(csv.entries.map(\.list) == [
            "entity-list", "entity-list", "entity-list", "entity-list", "entity-list", "meu", "uvl", "sdn", "sdn", "dpl", "cmic",
        ])
        #expect(csv.ownership.isEmpty)
    }

    @Test func footnotesComeFromTheLicenseTextOrTheRemarks() throws {
        // Footnote 1 from license_requirement ("734.9(e)(1) and 744.11(a)(2)(i)", "*Footnote 1").
        #expect(try entry(csv, "Shenzhen Tianyu AI Computing Co., Ltd.").footnote == 1)
        // Footnote 4 from the remarks only: license_requirement says nothing of it.
        let hefei = try entry(csv, "Hefei Lanxin Supercomputing Center")
        #expect(hefei.footnote == 4)
        #expect(hefei.footnotes == [4])
        // Footnote 4 from an explicit "*Footnote 4" and its citation.
        #expect(try entry(csv, "Xi'an Qinling Microsystems Co.").footnote == 4)
        // None given.
        #expect(try entry(csv, "Guangzhou Jinhai Electronic Trading Co., Ltd.").footnote == nil)
        #expect(try entry(csv, "Singapore Pinnacle Compute Pte. Ltd.").footnotes == [])
    }

    @Test func fieldsAreReadAsPublished() throws {
        let t = try entry(csv, "Shenzhen Tianyu AI Computing Co., Ltd.")
        #expect(t.sourceID == "e7a31c90d2b54f1e9c0a55d3b2f4e101")
        #expect(t.aliases == ["Tianyu AI", "Shenzhen Tianyu Intelligent Computing Technology Co., Ltd."])
        #expect(t.addresses == ["No. 88 Keji South Road, Nanshan District, Shenzhen, Guangdong, 518057, CN"])
        #expect(t.country == CountryCode("CN"))
        #expect(t.since == Day("2023-10-19"))
        #expect(t.until == nil)
        #expect(t.citation == "88 FR 71234")
        #expect(t.source == "Entity List (EL) - Bureau of Industry and Security")
        #expect(t.line == 2)
        #expect(!t.isPerson)

        let hefei = try entry(csv, "Hefei Lanxin Supercomputing Center")
        #expect(hefei.addresses.count == 2)
        #expect(hefei.country == CountryCode("CN"))  // the first address that names one
        #expect(try entry(csv, "Everbright Components Sdn. Bhd.").country == CountryCode("MY"))

        // entity_number stands in for an empty _id.
        #expect(try entry(csv, "Xi'an Qinling Microsystems Co.").sourceID == "31874")

        // An address whose last part is a city, not a code, gives no country; so do no addresses.
        let noor = try entry(csv, "AL NOOR HORIZON GENERAL TRADING L.L.C.")
        #expect(noor.country == nil)
        #expect(noor.programs == ["IRAN", "NPWMD"])
        let zhang = try entry(csv, "ZHANG, Wei")
        #expect(zhang.isPerson)
        #expect(zhang.addresses.isEmpty)
        #expect(zhang.country == nil)
        #expect(zhang.aliases == ["CHANG, Wei", "ZHANG, William"])

        let tan = try entry(csv, "TAN BOON HUAT")
        #expect(tan.list == "dpl")
        #expect(tan.since == Day("2022-03-10"))
        #expect(tan.until == Day("2032-03-10"))
    }

    @Test func theSourceRowIsTheRecordsOwnText() throws {
        let lines = try String(contentsOfFile: fixture("csl.csv"), encoding: .utf8).components(separatedBy: "\n")
        for e in csv.entries where e.name != "Singapore Pinnacle Compute Pte. Ltd." {
            #expect(e.sourceRow == lines[e.line - 1])
        }
        // Quoted text with doubled quotes stays as written.
        #expect(try entry(csv, "Guangzhou Jinhai Electronic Trading Co., Ltd.").sourceRow.contains("\"\"Jinhai Electronics\"\""))
        // A quoted field that spans two physical lines: the row keeps both, and the next row's line counts them.
        let pinnacle = try entry(csv, "Singapore Pinnacle Compute Pte. Ltd.")
        #expect(pinnacle.line == 6)
        #expect(pinnacle.sourceRow == lines[5] + "\n" + lines[6])
        #expect(try entry(csv, "Chengdu Hongwei Aerospace Electronics Institute").line == 8)
    }

    @Test func theJSONFormReadsLikeTheCSV() throws {
        #expect(json.entries.map(\.list) == ["entity-list", "entity-list", "entity-list", "entity-list", "meu", "uvl", "sdn", "dpl"])
        #expect(json.entries.map(\.line) == Array(0..<8))
        for j in json.entries {
            let c = try #require(csv.entries.first { $0.sourceID == j.sourceID })
            #expect(j.name == c.name)
            #expect(j.aliases == c.aliases)
            #expect(j.country == c.country)
            #expect(j.list == c.list)
            #expect(j.footnotes == c.footnotes)
            #expect(j.since == c.since && j.until == c.until)
            #expect(j.citation == c.citation)
            #expect(j.source == c.source)
            #expect(j.isPerson == c.isPerson)
        }
        let t = try entry(json, "Shenzhen Tianyu AI Computing Co., Ltd.")
        #expect(t.footnote == 1)
        #expect(t.addresses == ["No. 88 Keji South Road, Nanshan District, Shenzhen, Guangdong, 518057, CN"])
        // The source row is the object's own text in the file.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(t.sourceRow.utf8)) as? [String: Any])
        #expect(object["_id"] as? String == "e7a31c90d2b54f1e9c0a55d3b2f4e101")
        #expect(try String(contentsOfFile: fixture("csl.json"), encoding: .utf8).contains(t.sourceRow))
        #expect(try entry(json, "Hefei Lanxin Supercomputing Center").footnote == 4)
    }

    @Test(arguments: [
        ("Entity List (EL) - Bureau of Industry and Security", "entity-list"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "meu"),
        ("Unverified List (UVL) - Bureau of Industry and Security", "uvl"),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", "dpl"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "sdn"),
        ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", "cmic"),
        ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", "ssi"),
        ("Nonproliferation Sanctions (ISN) - State Department", "isn"),
        ("ITAR Debarred (DTC) - State Department", "dtc"),
        ("Some Future List (SFL) - Department of Examples", "sfl"),
    ])
    func cslSourcesMapToListNames(source: String, list: String) {
        #expect(ListKinds.list(forCSLSource: source) == list)
    }

    @Test func sourcesWithoutAnAbbreviationAreNotGuessed() {
        #expect(ListKinds.list(forCSLSource: "Watch List - Bureau of Imaginary Affairs") == nil)
    }

    @Test(arguments: [
        ("For all items subject to the EAR. (See §§ 734.9(e)(1) and 744.11(a)(2)(i) of the EAR). *Footnote 1", [1]),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11(a)(2)(ii) of the EAR)", [4]),
        ("See § 744.11(a)(2)(ii).", [4]),
        ("See § 734.9(g) of the EAR.", [3]),
        ("See §§ 734.9(e)(3) and 744.11(a)(2)(v).", [5]),
        ("*FOOTNOTE 4 entity", [4]),
        ("Footnote 1; see also 734.9(e)(2)", [1, 4]),
        ("For all items subject to the EAR.", []),
    ])
    func footnotesAreReadFromText(text: String, expected: [Int]) {
        let read = ListKinds.footnotes(in: text)
        #expect(read.footnotes == expected)
        #expect(read.unknown.isEmpty)
    }

    @Test func aFootnoteNumberOutsideSupplementFourIsNamed() {
        #expect(ListKinds.footnotes(in: "*Footnote 2").unknown == [2])
    }
}
