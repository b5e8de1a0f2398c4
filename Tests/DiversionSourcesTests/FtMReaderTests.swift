import DiversionGraph
import Foundation
import Testing
@testable import DiversionSources

@Suite struct FtMReaderTests {
    let read: ListImport

    init() throws { read = try ListReader.read(path: fixture("opensanctions.jsonl"), format: .ftm) }

    func entries(_ id: String) -> [ListEntry] { read.entries.filter { $0.sourceID == id } }

    @Test func partiesAndTheirListings() throws {
        #expect(read.format == .ftm)
        let tianyu = try #require(entries("NK-3xTianyuAiCn7Q").first)
        #expect(tianyu.list == "entity-list")  // dataset us_bis_entity, before the topic export.control
        #expect(tianyu.footnote == 1)          // from notes
        #expect(tianyu.country == CountryCode("CN"))  // "cn" upper-cased
        #expect(tianyu.aliases == ["Tianyu AI", "深圳天宇智算科技有限公司"])
        #expect(tianyu.addresses == ["No. 88 Keji South Road, Nanshan District, Shenzhen, Guangdong, 518057"])
        #expect(tianyu.source == "us_bis_entity")
        #expect(tianyu.line == 1)
        let lines = try String(contentsOfFile: fixture("opensanctions.jsonl"), encoding: .utf8).components(separatedBy: "\n")
        #expect(tianyu.sourceRow == lines[0])

        #expect(entries("NK-5kHongweiAeroMeu").map(\.list) == ["meu"])
        // On two lists: one entry each; the footnote belongs to the Entity List entry only.
        let lanxin = entries("NK-9qLanxinBoth")
        #expect(lanxin.map(\.list) == ["entity-list", "sdn"])
        #expect(lanxin.map(\.footnote) == [4, nil])
        #expect(lanxin[0].aliases == ["Lanxin Supercomputing"])  // a second name is an alias
        // A dataset the mapping does not know: the topic gives the list.
        #expect(entries("NK-4rOrientStarCn").map(\.list) == ["sanction"])
        // A person.
        let zhang = try #require(entries("NK-2mZhangWei1979").first)
        #expect(zhang.isPerson)
        #expect(zhang.list == "sdn")
        #expect(zhang.country == nil)  // nationality is not where the party is
    }

    @Test func unlistedPartiesAreKeptForOwnership() throws {
        let sg = try #require(entries("NK-6sOrientStarSg").first)
        #expect(sg.list == "")
        #expect(!sg.isListed)
        #expect(sg.country == CountryCode("SG"))  // from jurisdiction
        #expect(entries("NK-7tOrientStarMy").first?.country == CountryCode("MY"))
    }

    @Test func otherSchemataAndNonISOCodes() {
        #expect(entries("ofac-sanction-s1").isEmpty)
        #expect(entries("ofac-ownership-a1").isEmpty)
        #expect(entries("NK-1xKosovoTrading").first?.country == nil)  // "xk" is not an assigned ISO code
        #expect(read.entries.count == 10)
    }

    @Test func theOwnershipChain() {
        #expect(read.ownership == [
            ListOwnership(owner: "NK-4rOrientStarCn", asset: "NK-6sOrientStarSg", share: 0.6, since: Day("2021-03-01"), until: nil, line: 9),
            ListOwnership(owner: "NK-6sOrientStarSg", asset: "NK-7tOrientStarMy", share: 1.0, since: Day("2022-01-01"),
                          until: Day("2025-06-30"), line: 10),
        ])
        #expect(read.ownershipWithoutShare == [11])
    }

    @Test(arguments: [
        ("60", 0.6), ("60.0", 0.6), ("60%", 0.6), ("60 %", 0.6), ("100", 1.0), ("12.5", 0.125), ("50-75", 0.5), ("50-75%", 0.5),
        ("0.6", 0.006),
    ])
    func percentages(text: String, share: Double) throws {
        let v = try #require(ListReader.ownershipShare(text))
        #expect(abs(v - share) < 1e-12)
    }

    @Test(arguments: ["0", "150", "sixty", "-5", "75-50", ""])
    func notPercentages(text: String) {
        #expect(ListReader.ownershipShare(text) == nil)
    }

    @Test func partialDatesTakeTheFirstDayOfAStartAndTheLastDayOfAnEnd() {
        #expect(TextValues.partialDate("2021", isEnd: false) == Day("2021-01-01"))
        #expect(TextValues.partialDate("2021", isEnd: true) == Day("2021-12-31"))
        #expect(TextValues.partialDate("2024-02", isEnd: true) == Day("2024-02-29"))
        #expect(TextValues.partialDate("2023-02", isEnd: true) == Day("2023-02-28"))
        #expect(TextValues.partialDate("2023-12", isEnd: true) == Day("2023-12-31"))
        #expect(TextValues.partialDate("2023-12", isEnd: false) == Day("2023-12-01"))
        #expect(TextValues.partialDate("2021-03-05T10:00:00", isEnd: true) == Day("2021-03-05"))
        #expect(TextValues.partialDate("2021-13", isEnd: false) == nil)
        #expect(TextValues.partialDate("21-03", isEnd: false) == nil)
    }
}
