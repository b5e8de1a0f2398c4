import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

@Suite("Whole-graph jurisdiction pass")
struct JurisdictionPassTests {
    @Test(arguments: ["Graphs/sample-network.json", "Graphs/sample-csv", "Scenarios/graphs/rule-dates.json"])
    func memoizedPassAgreesWithAFullDeterminationOfEveryShipment(_ path: String) throws {
        let g = try ShipmentGraph.load(path: packageRoot + "/" + path)
        let engine = JurisdictionEngine(rules: bundledRules, graph: g)
        for threads in [1, 2] {
            let pass = JurisdictionPass.run(graph: g, rules: bundledRules, threads: threads)
            for p in 0..<g.shipmentCount {
                let d = engine.determine(TransactionQuery.forShipment(at: p, in: g))
                #expect(pass.isSubject[p] == d.isSubjectToEAR, "\(g.shipmentID(p))")
                #expect(pass.licenseRequired[p] == d.licenseRequired, "\(g.shipmentID(p))")
            }
            #expect(pass.distinctQuestions <= g.shipmentCount)
        }
    }

    @Test func asOfJudgesEveryShipmentUnderOneDate() throws {
        let g = try ShipmentGraph.load(path: packageRoot + "/Scenarios/graphs/rule-dates.json")
        let before = JurisdictionPass.run(graph: g, rules: bundledRules, asOf: Day("2023-06-01"))
        let after = JurisdictionPass.run(graph: g, rules: bundledRules, asOf: Day("2023-12-01"))
        let r4 = g.shipment(named: "r4")!
        #expect(!before.isSubject[r4] && after.isSubject[r4])
    }
}
