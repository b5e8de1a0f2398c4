import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionStore
import DiversionTestSupport
import Foundation
import Testing

@Suite("Runs and decisions")
struct DecisionTests {
    func run(_ store: GraphStore, graph: String) throws -> [Alert] {
        let g = try store.loadGraph(graph)
        var p = AnalysisParameters()
        p.threads = 1
        let alerts = Analyzer(graph: g, rules: bundledRules, parameters: p, redFlags: try RedFlagCatalogue.bundled()).run().alerts
        try store.recordRun(graph: graph, kind: "analyze", parameters: "{}", rules: "", inputDigest: "", startedAt: Date(),
                            seconds: 0, alerts: alerts)
        return alerts
    }

    @Test func dismissedAlertsStayDownUntilTheirEvidenceChanges() throws {
        let dir = temporaryFolder("decide")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: packageRoot + "/Graphs/sample-network.json", name: "g")
        let alerts = try run(store, graph: "g")
        #expect(alerts.count == 5)
        let target = alerts[0]
        _ = try store.decide(alert: target.id, verdict: .dismissed, note: "licensed, checked with exporter")
        let confirmed = alerts[1]
        _ = try store.decide(alert: confirmed.id, verdict: .confirmed, note: "referred to case 42")

        let (shown, suppressed) = applyDecisions(try run(store, graph: "g"), try store.decisions())
        #expect(suppressed.map(\.id) == [target.id])
        #expect(!shown.contains { $0.id == target.id })
        #expect(shown.first { $0.id == confirmed.id }?.decision?.hasPrefix("confirmed on ") == true)

        // New evidence for the dismissed scheme: it comes back, saying why.
        let doc = try GraphLoader.document(at: packageRoot + "/Graphs/sample-network.json")
        var changed = doc
        if let i = changed.shipments.firstIndex(where: { $0.id == target.evidence.last!.id }) { changed.shipments[i].quantity += 1 }
        try GraphWriter.write(changed, form: .json, to: dir + "/changed.json")
        _ = try store.importGraph(path: dir + "/changed.json", name: "g", mode: .replace)
        let (again, hidden) = applyDecisions(try run(store, graph: "g"), try store.decisions())
        #expect(hidden.isEmpty)
        #expect(again.first { $0.id == target.id }?.decision?.contains("raised again because its evidence changed") == true)
    }

    @Test func decidingAnUnknownAlertFails() throws {
        let dir = temporaryFolder("decide")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        #expect(throws: StoreError.noAlert("DP-nothing")) { try store.decide(alert: "DP-nothing", verdict: .dismissed, note: "x") }
    }

    @Test func storedAlertReadsBack() throws {
        let dir = temporaryFolder("decide")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: packageRoot + "/Graphs/sample-network.json", name: "g")
        let alerts = try run(store, graph: "g")
        let (back, runRecord) = try store.alert(id: alerts[2].id)
        #expect(back == alerts[2])
        #expect(runRecord.graph == "g")
    }
}
