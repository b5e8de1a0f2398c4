import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

let redFlagCatalogue: RedFlagCatalogue = { try! RedFlagCatalogue.bundled() }()

/// A base world: a U.S. supplier, Tier-2 intermediaries, Tier-3 buyers, a Tier-1 customer, and items.
func baseFixture() -> GraphFixture {
    var f = GraphFixture()
    f.entity("us", "US", role: .designer)
    f.entity("sg", "SG", role: .distributor)
    f.entity("sg-fwd", "SG", role: .forwarder)
    f.entity("my", "MY", role: .distributor)
    f.entity("my-asm", "MY", role: .assembler)
    f.entity("jp", "JP", role: .cloud)
    f.entity("jp2", "JP", role: .distributor)
    f.entity("cn", "CN", role: .endUser)
    f.entity("sg-end", "SG", role: .endUser)
    f.item("gpu", origin: "US", eccn: "3A090.a", hs: "8542.31", value: 25_000, tpp: 15_832, die: 814)
    f.item("srv", origin: "MY", eccn: "4A090.a", hs: "8471.50", value: 300_000)
    f.component("srv", "gpu", 8, value: 25_000)
    f.item("cable", origin: "US", eccn: "EAR99", hs: "8544.42", value: 50)
    f.item("nochip", origin: "US", hs: "8542.31", value: 25_000)
    return f
}

func analyze(_ f: GraphFixture, _ configure: (inout AnalysisParameters) -> Void = { _ in }) throws -> [Alert] {
    var p = AnalysisParameters()
    p.threads = 1
    configure(&p)
    return Analyzer(graph: try f.graph(), rules: bundledRules, parameters: p, redFlags: redFlagCatalogue).run().alerts
}

func pathAlerts(_ alerts: [Alert]) -> [[String]] {
    alerts.filter { $0.kind == .diversionPath }.flatMap { $0.variants.map(\.shipments) }
}

@Suite("Each condition of the path definition")
struct PathConditionTests {
    @Test func aPlainChainIsFound() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "gpu", 90, on: "2024-04-01", id: "b")
        let alerts = try analyze(f)
        #expect(pathAlerts(alerts) == [["a", "b"]])
        #expect(alerts[0].tracedQuantity == 90)
    }

    @Test func gapLongerThanTheWindowBreaksThePath() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-01-01", id: "a")
        f.shipment("sg", "cn", "gpu", 90, on: "2024-07-01", id: "b", license: "D1")  // 182 days later
        #expect(try analyze(f).isEmpty)
        #expect(pathAlerts(try analyze(f) { $0.window = 200 }) == [["a", "b"]])
    }

    @Test func aHopBackInTimeBreaksThePath() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-10", id: "a")
        f.shipment("sg", "cn", "gpu", 90, on: "2024-03-09", id: "b", license: "D1")
        #expect(try analyze(f).isEmpty)
    }

    @Test func sameDayHopsCount() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-10", id: "a")
        f.shipment("sg", "cn", "gpu", 90, on: "2024-03-10", id: "b")
        #expect(pathAlerts(try analyze(f)) == [["a", "b"]])
    }

    @Test func partiesMustBeDistinct() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "my", "gpu", 100, on: "2024-03-05", id: "b")
        f.shipment("my", "sg", "gpu", 100, on: "2024-03-09", id: "c")  // back to sg
        f.shipment("sg", "cn", "gpu", 50, on: "2024-03-20", id: "d")
        let paths = pathAlerts(try analyze(f))
        #expect(!paths.contains { $0.count == 4 })
        #expect(paths.allSatisfy { p in Set(p).count == p.count })
    }

    @Test func goodsMustContinue() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "cable", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "gpu", 90, on: "2024-04-01", id: "b", license: "D1")
        #expect(try analyze(f).isEmpty)
    }

    @Test func gpusContinueInsideServers() throws {
        var f = baseFixture()
        f.shipment("us", "my-asm", "gpu", 80, on: "2024-03-01", id: "a")
        f.shipment("my-asm", "cn", "srv", 5, on: "2024-04-01", id: "b")
        let alerts = try analyze(f)
        #expect(pathAlerts(alerts) == [["a", "b"]])
        #expect(alerts[0].tracedQuantity == 40)       // 5 servers × 8 GPUs
        #expect(alerts[0].tracedWatchedUnits == 40)
        #expect(alerts[0].reasoning.contains("srv holds 8 × gpu per unit, so the goods continue in it."))
    }

    @Test func uncontrolledGoodsAreNotWatched() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "cable", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "cable", 90, on: "2024-04-01", id: "b")
        #expect(try analyze(f).isEmpty)
    }

    @Test func hsCodesWatchItemsWithoutECCNs() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "nochip", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "nochip", 90, on: "2024-04-01", id: "b")
        #expect(try analyze(f).isEmpty)
        let alerts = try analyze(f) { $0.watch = try! WatchList.parse("3A090,8542.31") }
        #expect(pathAlerts(alerts) == [["a", "b"]])
    }

    @Test func aTier2IntermediaryIsRequired() throws {
        var f = baseFixture()
        f.shipment("us", "jp", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("jp", "cn", "gpu", 90, on: "2024-04-01", id: "b", license: "D1")
        #expect(try analyze(f).isEmpty)
    }

    @Test func aTier2FinalConsigneeIsNotAPath() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "my", "gpu", 90, on: "2024-04-01", id: "b")
        #expect(try analyze(f).isEmpty)
    }

    @Test func noTracedQuantityIsNoAlert() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "jp", "gpu", 100, on: "2024-03-05", id: "b")     // all of lot a goes to Japan
        f.shipment("sg", "cn", "gpu", 50, on: "2024-03-20", id: "c", license: "D1")
        #expect(try analyze(f).isEmpty)
    }

    @Test func minimumQuantityDropsSmallFlows() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "gpu", 3, on: "2024-04-01", id: "b", license: "D1")
        #expect(try analyze(f).count == 1)
        #expect(try analyze(f) { $0.minimumQuantity = 10 }.isEmpty)
    }

    @Test func maxHopsLimitsTheLength() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "my", "gpu", 100, on: "2024-03-05", id: "b")
        f.shipment("my", "sg-fwd", "gpu", 100, on: "2024-03-09", id: "c")
        f.shipment("sg-fwd", "cn", "gpu", 100, on: "2024-03-20", id: "d")
        #expect(pathAlerts(try analyze(f)) == [["a", "b", "c", "d"]])
        #expect(pathAlerts(try analyze(f) { $0.maxHops = 2 }) == [["c", "d"]])
    }

    /// A path needs a hop subject to the EAR to be a violation. With nothing recorded of what a foreign-made
    /// chip was made with, it is a lead naming the missing provenance; with a provenance that shows no U.S.
    /// basis, nothing; with U.S. technology recorded, a violation.
    @Test func aViolationNeedsAHopSubjectToTheEAR() throws {
        var f = baseFixture()
        f.entity("tw-fab", "TW", role: .fab)
        f.item("tw-chip", origin: "TW", eccn: "3A090.a", maker: "tw-fab", value: 1_000)  // nothing recorded of its making
        f.shipment("tw-fab", "sg", "tw-chip", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn", "tw-chip", 90, on: "2024-04-01", id: "b")
        let lead = try analyze(f)
        #expect(pathAlerts(lead).isEmpty)
        #expect(lead.map(\.kind) == [.diversionLead])
        #expect(lead.first?.hops?.flatMap { $0.openQuestions ?? [] }.map(\.fact) == [.provenance, .provenance])
        #expect(try analyze(f) { $0.report = .violations }.isEmpty)

        var foreign = f
        foreign.provenance("tw-chip", .technology, "3E001", origin: "TW")  // made with Taiwanese technology only
        #expect(try analyze(foreign).isEmpty)

        f.provenance("tw-chip", .technology, "3E001")
        #expect(pathAlerts(try analyze(f)) == [["a", "b"]])
        #expect(try analyze(f) { $0.report = .leads }.isEmpty)
    }

    @Test func asOfJudgesUnderOneDatesRules() throws {
        var f = baseFixture()
        f.entity("cn-listed", "SG")
        f.listing("cn-listed", footnote: 4, since: "2024-06-01")
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "cn-listed", "gpu", 90, on: "2024-04-01", id: "b")
        #expect(try analyze(f).isEmpty)  // not yet listed on 2024-04-01
        #expect(pathAlerts(try analyze(f) { $0.asOf = Day("2024-07-01") }) == [["a", "b"]])
    }
}

@Suite("Tier-3 parties by ownership and listing")
struct Tier3PartyTests {
    @Test func twoThirtyPercentHoldingsByTier3ParentsMakeATier3Party() throws {
        var f = baseFixture()
        f.entity("cn-a", "CN"); f.entity("cn-b", "CN"); f.entity("sub", "SG")
        f.ownership("cn-a", "sub", 0.3)
        f.ownership("cn-b", "sub", 0.3)
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "sub", "gpu", 90, on: "2024-04-01", id: "b")
        let alerts = try analyze(f)
        #expect(pathAlerts(alerts) == [["a", "b"]])
        #expect(alerts[0].path.last?.tier3 == ["ownership"])
        #expect(alerts[0].reasoning.contains { $0.contains("owned 60% in aggregate by parties headquartered in Tier-3 countries") })
    }

    @Test func fortyPercentIsNotEnough() throws {
        var f = baseFixture()
        f.entity("cn-a", "CN"); f.entity("sub", "SG")
        f.ownership("cn-a", "sub", 0.4)
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "sub", "gpu", 90, on: "2024-04-01", id: "b")
        #expect(try analyze(f).isEmpty)
    }

    @Test func indirectHoldingsMultiplyAlongTheChain() throws {
        let g: ShipmentGraph = try {
            var f = baseFixture()
            f.entity("cn-a", "CN"); f.entity("mid", "SG"); f.entity("sub", "SG")
            f.ownership("cn-a", "mid", 0.8)
            f.ownership("mid", "sub", 0.7)   // 0.56 indirect
            return try f.graph()
        }()
        let tiers = PartyTiers(graph: g, rules: bundledRules)
        #expect(tiers.tier3Reasons(g.entity(named: "sub")!, on: Day("2024-01-01")!) == [.ownership])
    }

    @Test func holdingsOutsideTheirDatesDoNotCount() throws {
        var f = baseFixture()
        f.entity("cn-a", "CN"); f.entity("sub", "SG")
        f.ownership("cn-a", "sub", 0.6, since: "2024-06-01")
        let g = try f.graph()
        let tiers = PartyTiers(graph: g, rules: bundledRules)
        #expect(tiers.tier3Reasons(g.entity(named: "sub")!, on: Day("2024-05-01")!).isEmpty)
        #expect(tiers.tier3Reasons(g.entity(named: "sub")!, on: Day("2024-06-01")!) == [.ownership])
    }

    @Test func listedAndListedOwnedParties() throws {
        var f = baseFixture()
        f.entity("el", "SG"); f.listing("el", footnote: 4, since: "2023-01-01")
        f.entity("el-sub", "SG"); f.ownership("el", "el-sub", 0.5)
        f.entity("hq", "SG", headquarters: "CN")
        let g = try f.graph()
        let tiers = PartyTiers(graph: g, rules: bundledRules)
        let d = Day("2024-01-01")!
        #expect(tiers.tier3Reasons(g.entity(named: "el")!, on: d) == [.entityList])
        #expect(tiers.tier3Reasons(g.entity(named: "el-sub")!, on: d) == [.listedOwnership])
        #expect(tiers.tier3Reasons(g.entity(named: "hq")!, on: d) == [.headquarters])
        #expect(tiers.tier3Reasons(g.entity(named: "sg")!, on: d).isEmpty)
    }

    @Test func cambodiaIsTier3OnlyWhileInD5() throws {
        var f = baseFixture()
        f.entity("kh", "KH")
        let g = try f.graph()
        let tiers = PartyTiers(graph: g, rules: bundledRules)
        #expect(tiers.tier3Reasons(g.entity(named: "kh")!, on: Day("2025-06-01")!) == [.country, .headquarters])
        #expect(tiers.tier3Reasons(g.entity(named: "kh")!, on: Day("2026-03-01")!).isEmpty)
    }
}

@Suite("Watch list")
struct WatchListTests {
    func item(eccn: String? = nil, hs: String? = nil) -> Item {
        Item(id: "i", eccn: eccn, hsCode: hs, origin: CountryCode("US")!)
    }

    /// An ECCN pattern matches itself and its sub-paragraphs at a `.` boundary, nothing else.
    @Test func eccnPatternsMatchAtAParagraphBoundary() {
        let w = WatchList(eccns: ["3A090", "3A001.z"])
        #expect(w.watches(item(eccn: "3A090")))
        #expect(w.watches(item(eccn: "3A090.a")))
        #expect(w.watches(item(eccn: "3A001.z")))
        #expect(w.watches(item(eccn: "3A001.z.1")))
        #expect(!w.watches(item(eccn: "3A0901")))
        #expect(!w.watches(item(eccn: "3A09")))
        #expect(!w.watches(item(eccn: "3A001")))
        #expect(!w.watches(item(eccn: "3A001.a")))
        #expect(!w.watches(item(eccn: "EAR99")))
        #expect(!w.watches(item()))
    }

    @Test func hsCodesMatchByDigitPrefix() throws {
        let w = try WatchList.parse("8542.31, 4A090")
        #expect(w.hsCodes == ["8542.31"] && w.eccns == ["4A090"])
        #expect(w.watches(item(hs: "854231")))
        #expect(w.watches(item(hs: "8542.31.00")))
        #expect(!w.watches(item(hs: "8542.39")))
        #expect(throws: WatchListError.self) { try WatchList.parse("854") }
    }
}
