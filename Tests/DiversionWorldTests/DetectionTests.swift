import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionWorld
import Foundation
import Testing

/// The analysis run over generated worlds finds every injected scheme (one alert's evidence holds all its
/// shipments) and reports no decoy (no alert's evidence holds any of its shipments): the benchmark's scoring,
/// at a size the tests can afford.
@Suite("Detection on generated worlds")
struct DetectionTests {
    @Test(arguments: [WorldProfile.typical, .dense])
    func everySchemeIsFoundAndNoDecoyIsReported(profile: WorldProfile) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-detection-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let truth = try WorldGenerator(WorldConfiguration(shipments: 60_000, seed: 11, profile: profile)).write(to: folder)
        let graph = try ShipmentGraph.load(path: folder)
        let result = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: AnalysisParameters(),
                              redFlags: try RedFlagCatalogue.bundled()).run()
        let evidence = result.alerts.map { Set($0.evidence.map(\.id)) }
        #expect(truth.schemes.count >= 6)
        for s in truth.schemes {
            #expect(evidence.contains { $0.isSuperset(of: s.shipments) }, "\(s.id) (\(s.shape)) not found: \(s.shipments)")
        }
        for d in truth.decoys {
            #expect(!evidence.contains { !$0.isDisjoint(with: d.shipments) }, "\(d.id) (\(d.breaks)) reported")
        }
    }
}
