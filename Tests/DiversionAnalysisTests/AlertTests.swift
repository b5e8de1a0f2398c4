import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

@Suite("Red flags")
struct RedFlagTests {
    func signals(_ f: GraphFixture) throws -> [String] {
        try analyze(f).flatMap { $0.signals.map(\.id) }
    }

    /// A chain with no red flag beyond those the path itself implies (hub, unlicensed hop).
    func quiet() -> GraphFixture {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 10, on: "2023-12-01", id: "old", value: 250_000)      // sg is not new
        f.shipment("sg", "jp2", "gpu", 10, on: "2023-12-05", id: "sold", value: 250_000)
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a", value: 2_500_000)
        f.shipment("sg", "cn", "gpu", 90, on: "2024-05-01", id: "b", value: 2_250_000, license: "D999")
        return f
    }

    @Test func aQuietChainFiresOnlyTheHubFlag() throws {
        #expect(try signals(quiet()) == ["transshipment-hub"])
        #expect(try analyze(quiet())[0].score == 50)
        #expect(try analyze(quiet())[0].severity == .medium)
    }

    @Test func quickTurnaround() throws {
        var f = quiet()
        f.document.shipments[3].date = Day("2024-03-10")!
        #expect(try signals(f).contains("quick-turnaround"))
    }

    @Test func forwarderConsignee() throws {
        var f = quiet()
        f.document.shipments[2].to = "sg-fwd"; f.document.shipments[3].from = "sg-fwd"
        #expect(try signals(f).contains("forwarder-consignee"))
    }

    @Test func endUserMismatch() throws {
        var f = quiet()
        f.document.shipments[2].declaredEndUser = "jp"
        let s = try analyze(f)[0].signals.first { $0.id == "end-user-mismatch" }
        #expect(s?.detail == "shipment a named jp as end user, but sg received it and the goods went on to cn")
    }

    @Test func newParty() throws {
        var f = quiet()
        f.document.shipments.removeFirst(2)
        #expect(try signals(f).contains("new-party"))
    }

    @Test func volumeAnomalyForAnEndUserThatReexports() throws {
        var f = quiet()
        for i in 0..<4 {
            f.document.shipments[i].from = f.document.shipments[i].from == "sg" ? "sg-end" : f.document.shipments[i].from
            f.document.shipments[i].to = f.document.shipments[i].to == "sg" ? "sg-end" : f.document.shipments[i].to
        }
        #expect(try signals(f).contains("volume-anomaly"))
    }

    @Test func lowDeclaredValue() throws {
        var f = quiet()
        f.document.shipments[3].value = 90 * 1_000
        #expect(try signals(f).contains("low-value"))
    }

    @Test func listedFinalPartyAndUnlicensedHop() throws {
        var f = quiet()
        f.listing("cn", footnote: 4, since: "2020-01-01")
        f.document.shipments[3].license = nil
        let s = try signals(f)
        #expect(s.contains("listed-final-party"))
        #expect(s.contains("unlicensed-hop"))
    }

    @Test func everyFlagHasAWeightAndASource() {
        for flag in redFlagCatalogue.flags {
            #expect(flag.weight > 0)
            #expect(!flag.source.isEmpty)
        }
        #expect(redFlagCatalogue.severity(for: 85) == .critical)
        #expect(redFlagCatalogue.severity(for: 60) == .high)
        #expect(redFlagCatalogue.severity(for: 45) == .medium)
        #expect(redFlagCatalogue.severity(for: 20) == .low)
    }
}

@Suite("Grouping, ids and output")
struct GroupingTests {
    func scheme() -> GraphFixture {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "my", "gpu", 60, on: "2024-03-10", id: "b")
        f.shipment("sg", "sg-fwd", "gpu", 40, on: "2024-03-11", id: "c")
        f.shipment("my", "cn", "gpu", 60, on: "2024-04-01", id: "d")
        f.shipment("sg-fwd", "cn", "gpu", 40, on: "2024-04-02", id: "e")
        return f
    }

    @Test func overlappingPathsAreOneAlertWithVariants() throws {
        let alerts = try analyze(scheme())
        #expect(alerts.count == 1)
        #expect(alerts[0].variants.map(\.shipments) == [["a", "b", "d"], ["a", "c", "e"]])
        #expect(alerts[0].evidence.map(\.id) == ["a", "b", "c", "d", "e"])
    }

    @Test func idsAreStableAndIndependentOfRowOrder() throws {
        let first = try analyze(scheme())
        var shuffled = scheme()
        shuffled.document.shipments.reverse()
        shuffled.document.entities.reverse()
        let second = try analyze(shuffled)
        #expect(first.map(\.id) == second.map(\.id))
        #expect(first.map(\.evidenceDigest) == second.map(\.evidenceDigest))
        #expect(first[0].id.hasPrefix("DP-"))
    }

    @Test func idFollowsTheSchemeWhenEvidenceGrows() throws {
        let before = try analyze(scheme())[0]
        var f = scheme()
        f.document.shipments[1].quantity = 70          // b leaves 10 GPUs at my after d
        f.shipment("my", "cn", "gpu", 5, on: "2024-04-20", id: "late")
        let after = try analyze(f)[0]
        #expect(after.id == before.id)
        #expect(after.evidenceDigest != before.evidenceDigest)
        #expect(after.evidence.map(\.id).contains("late"))
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        let a = try AlertWriter.render(try analyze(scheme()), format: .jsonl)
        let b = try AlertWriter.render(try analyze(scheme()) { $0.threads = 2 }, format: .jsonl)
        #expect(a == b)
        for format in AlertFormat.allCases { #expect(!(try AlertWriter.render(try analyze(scheme()), format: format)).isEmpty) }
    }

    @Test func csvHasOneRowPerAlert() throws {
        let csv = try AlertWriter.render(try analyze(scheme()), format: .csv)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == Substring(AlertWriter.csvHeader))
    }

    @Test func directShipmentWithoutLicenseIsAnAlert() throws {
        var f = baseFixture()
        f.shipment("us", "cn", "gpu", 10, on: "2024-03-01", id: "x")
        let alerts = try analyze(f)
        #expect(alerts.map(\.kind) == [.unlicensedDirect])
        #expect(alerts[0].jurisdiction.licenseReasons.map(\.paragraph) == ["742.6(a)(6)(iii)", "744.23(a)(3)"])
        f.document.shipments[0].license = "D123456"
        #expect(try analyze(f).isEmpty)
        f.document.shipments[0].license = "NLR"
        #expect(try analyze(f).count == 1)
    }
}
