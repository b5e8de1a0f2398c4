import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Foundation
import Testing

/// The shapes of `Graphs/path-judgment.json`, built in code so each condition can be changed on its own.
private func gpuIntoServer(finalCountry: String = "HK", serverProvenance: Bool = false, gpuDate: String = "2023-07-14",
                           serverDate: String = "2023-08-30") -> GraphFixture {
    var f = GraphFixture()
    f.entity("fab-tw", "TW", role: .fab)
    f.entity("asm-th", "TH", role: .assembler)
    f.entity("buyer", finalCountry, role: .reseller)
    f.item("gpu-tw", origin: "TW", eccn: "3A090.a", maker: "fab-tw", value: 6_000, tpp: 8_192, die: 640, interconnect: 600)
    f.item("srv-th", origin: "TH", eccn: "4A090.a", maker: "asm-th", value: 90_000)
    f.component("srv-th", "gpu-tw", 8, value: 6_000)
    f.provenance("gpu-tw", .technology, "3E001")
    if serverProvenance { f.provenance("srv-th", .technology, "4E001") }
    f.shipment("fab-tw", "asm-th", "gpu-tw", 800, on: gpuDate, id: "h1")
    f.shipment("asm-th", "buyer", "srv-th", 100, on: serverDate, id: "h2")
    return f
}

private func resellerServers(resellerCountry: String = "MX", listed: Bool = true) -> GraphFixture {
    var f = GraphFixture()
    f.entity("fab-tw", "TW", role: .fab)
    f.entity("resl", resellerCountry, role: .reseller, headquarters: "US")
    f.entity("trd-pk", "PK", role: .distributor)
    f.entity("trd-bh", "BH", role: .forwarder)
    f.entity("trd-sg", "SG", role: .distributor)
    f.entity("buyer-am", "AM", role: .endUser)
    if listed { f.listing("buyer-am", footnote: nil, since: "2023-06-01") }
    f.item("gpu-tw", origin: "TW", eccn: "3A090.a", maker: "fab-tw", value: 6_000, tpp: 8_192, die: 640, interconnect: 600)
    f.item("srv-vn", origin: "VN", eccn: "4A090.a", value: 90_000)
    f.component("srv-vn", "gpu-tw", 8, value: 6_000)
    f.provenance("gpu-tw", .technology, "3E001")
    f.shipment("resl", "trd-pk", "srv-vn", 24, on: "2024-02-05", id: "v1")
    f.shipment("trd-pk", "trd-bh", "srv-vn", 24, on: "2024-03-11", id: "v2")
    f.shipment("trd-bh", "trd-sg", "srv-vn", 24, on: "2024-04-02", id: "v3")
    f.shipment("trd-sg", "buyer-am", "srv-vn", 22, on: "2024-05-20", id: "v4")
    return f
}

private func run(_ f: GraphFixture) throws -> [Alert] {
    var p = AnalysisParameters()
    p.threads = 1
    return Analyzer(graph: try f.graph(), rules: try RuleBook.bundled(), parameters: p,
                    redFlags: try RedFlagCatalogue.bundled()).run().alerts
}

@Suite("A path judged as a whole")
struct PathJudgmentTests {
    /// The first example of the issue: a Taiwan-made 3A090.a GPU, a direct product of U.S. 3E001 technology,
    /// built into a Thai server that goes to Hong Kong. The server's hop is not subject; the GPU's is, under
    /// 734.9(h)'s incorporation prong, and it needed a license under 742.6(a)(6).
    @Test func theGPUHopCarriesTheViolation() throws {
        let alerts = try run(gpuIntoServer())
        #expect(alerts.count == 1)
        let a = try #require(alerts.first)
        #expect(a.kind == .diversionPath)
        #expect(a.violationHop == 1)
        #expect(a.jurisdiction.shipment == "h1")
        #expect(a.jurisdiction.bases.map(\.paragraph).contains { $0.hasPrefix("734.9(h)") })
        #expect(a.jurisdiction.citations.contains { $0.hasPrefix("15 CFR 742.6(a)(6)") })
        #expect(a.jurisdiction.assumptions.contains("path-knowledge"))
        #expect(a.hops?.map(\.verdict) == ["violation", "open"])
        #expect(a.reasoning.contains { $0.contains("which does not matter: the violation was complete when hop 1 left") })
        #expect(a.signals.contains { $0.id == "unlicensed-hop" && $0.detail.hasPrefix("shipment h1") })
    }

    /// The same GPU on its own to Thailand is not subject: the path's end is what makes it so.
    @Test func theGPUAloneToItsConsigneeIsNotSubject() throws {
        let g = try gpuIntoServer().graph()
        let engine = JurisdictionEngine(rules: try RuleBook.bundled(), graph: g)
        let plain = engine.determine(TransactionQuery.forShipment(at: 0, in: g))
        #expect(!plain.isSubjectToEAR)
        var onward = TransactionQuery.forShipment(at: 0, in: g)
        onward.onward = Onward(destination: CountryCode("HK")!, party: g.entity(named: "buyer")!, arrivesIn: g.item(named: "srv-th")!)
        let d = engine.determine(onward)
        #expect(d.isSubjectToEAR && d.licenseRequired)
        #expect(d.steps.contains { $0.text.contains("built into srv-th (4A090.a)") })
    }

    /// With provenance for the server, the last hop is subject and carries the violation, as before.
    @Test func aServerWithProvenanceIsTheViolationAtTheLastHop() throws {
        let a = try #require(try run(gpuIntoServer(serverProvenance: true)).first)
        #expect(a.kind == .diversionPath && a.violationHop == 2 && a.jurisdiction.shipment == "h2")
        #expect(a.hops == nil)
    }

    /// Where the data shows no basis there is no alert: before 2022-10-07 there was no 3A090 and no 734.9(h),
    /// and a final party in a country outside the rule's reach with a server of known foreign making is clear.
    @Test func noBasisNoAlert() throws {
        #expect(try run(gpuIntoServer(gpuDate: "2022-06-01", serverDate: "2022-07-15")).isEmpty)
    }

    /// The second example: a Vietnam-made 4A090.a server from a U.S. reseller's stock in Mexico through
    /// Pakistan, Bahrain and Singapore to an Entity-Listed buyer in Armenia. Nothing is recorded of what the
    /// server was made with: a lead that names the missing provenance and the rule it decides.
    @Test func aMissingProvenanceIsALead() throws {
        let alerts = try run(resellerServers())
        #expect(alerts.count == 1)
        let a = try #require(alerts.first)
        #expect(a.kind == .diversionLead)
        #expect(a.id.hasPrefix("DL-"))
        #expect(a.violationHop == nil)
        #expect(a.score < 40 && a.severity == .low)
        let questions = (a.hops ?? []).flatMap { $0.openQuestions ?? [] }
        #expect(!questions.isEmpty && questions.allSatisfy { $0.fact == .provenance && $0.item == "srv-vn" })
        #expect(questions.allSatisfy { $0.decides.contains("734.9(h)") })
        #expect(questions.first?.text.contains("no provenance recorded for srv-vn") == true)
        #expect(questions.first?.text.contains("4E001") == true)
        #expect(a.reasoning.contains { $0.hasPrefix("Open question at hops 1, 2, 3, 4: no provenance recorded for srv-vn") })
    }

    /// The same servers shipped from the reseller's U.S. stock: the first hop is an export from the United
    /// States (734.3(a)(1)) that needed a license for where the goods were going (Armenia, D:1; an
    /// Entity-Listed buyer), so the path is a violation at hop 1.
    @Test func fromTheUnitedStatesTheFirstHopIsTheViolation() throws {
        let a = try #require(try run(resellerServers(resellerCountry: "US")).first)
        #expect(a.kind == .diversionPath && a.violationHop == 1)
        #expect(a.jurisdiction.bases.map(\.paragraph) == ["734.3(a)(1)"])
        #expect(a.jurisdiction.licenseReasons.contains { $0.paragraph == "744.11(a)" && $0.reason.hasSuffix("(where the goods were going)") })
        #expect(a.jurisdiction.licenseReasons.contains { $0.paragraph == "742.6(a)(6)(iii)" })
    }

    /// An unconfirmed reading of the rules is a fact the data cannot supply either: a direct product of U.S.
    /// technology bound for an Entity-Listed buyer in Israel (D:4, but also A:6) is outside 734.9(h) only if
    /// (h) carves out A:5/A:6 as the license scope does, which the reference marks [U]. A lead naming it.
    @Test func anUnconfirmedReadingIsALead() throws {
        var f = gpuIntoServer(finalCountry: "IL", gpuDate: "2024-03-01", serverDate: "2024-04-15")
        f.listing("buyer", footnote: nil, since: "2023-06-01")
        f.provenance("srv-th", .technology, "4E001", origin: "TH")  // the server's making is known: no U.S. basis
        let a = try #require(try run(f).first)
        #expect(a.kind == .diversionLead)
        let questions = (a.hops ?? []).flatMap { $0.openQuestions ?? [] }
        #expect(!questions.isEmpty && questions.allSatisfy { $0.fact == .assumption })
        #expect(questions.first?.text.contains("assumption nov2023-a5a6-carve-out") == true)
        #expect(questions.first?.text.contains("Israel is outside 734.9(h)(1)(i)") == true)
    }

    /// An item nobody recorded the origin of (`ZZ`, as a customs extract leaves it) is not assumed foreign and
    /// cleared: were it of U.S. origin it would be subject wherever it went, so the chain is a lead naming the
    /// missing origin.
    @Test func aMissingOriginIsALead() throws {
        var f = GraphFixture()
        f.entity("us-dist", "US", role: .distributor)
        f.entity("sg", "SG", role: .distributor)
        f.entity("cn", "CN", role: .endUser)
        f.item("gpu-x", origin: "ZZ", eccn: "3A090.a", hs: "8542.31")
        f.shipment("us-dist", "sg", "gpu-x", 40, on: "2024-03-01", id: "o1")
        f.shipment("sg", "cn", "gpu-x", 40, on: "2024-04-01", id: "o2")
        // Shipped from the United States the first hop is subject all the same (734.3(a)(1)): a violation.
        #expect(try run(f).first.map { ($0.kind, $0.violationHop) } ?? (.diversionLead, nil) == (.diversionPath, 1))
        f.document.entities[0].country = CountryCode("JP")!
        let a = try #require(try run(f).first)
        #expect(a.kind == .diversionLead)
        let facts = Set((a.hops ?? []).flatMap { $0.openQuestions ?? [] }.map(\.fact))
        #expect(facts.contains(.origin) && facts.contains(.provenance))
    }

    /// A violation outranks a lead, and every lead scores below every violation.
    @Test func leadsScoreBelowViolations() throws {
        var f = resellerServers()
        for e in gpuIntoServer().document.entities where f.document.entities.allSatisfy({ $0.id != e.id }) { f.document.entities.append(e) }
        f.document.items.append(contentsOf: gpuIntoServer().document.items.filter { $0.id == "srv-th" })
        f.document.components.append(contentsOf: gpuIntoServer().document.components.filter { $0.assembly == "srv-th" })
        f.document.shipments.append(contentsOf: gpuIntoServer().document.shipments)
        let alerts = try run(f)
        #expect(alerts.map(\.kind) == [.diversionPath, .diversionLead])
        #expect(alerts[0].score > alerts[1].score)
    }
}
