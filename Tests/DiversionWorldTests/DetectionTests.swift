import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionWorld
import Foundation
import Testing

/// Checks an analysis against a world's ground truth: every injected scheme is on one alert of the right kind
/// (its evidence holds all the scheme's shipments; a violation, or a path subject to the EAR that needed no
/// license, on a `diversion-path` or `unlicensed-direct` alert that names the scheme's violation hop, or none,
/// when its primary path is the scheme's own; a lead on a `diversion-lead` alert), and no decoy is on any alert.
func checkDetection(_ truth: GroundTruth, _ alerts: [Alert], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let evidence = alerts.map { Set($0.evidence.map(\.id)) }
    for s in truth.schemes {
        let holding = alerts.indices.filter { evidence[$0].isSuperset(of: s.shipments) }
        let lead = s.expect == "lead"
        let right = holding.filter { (alerts[$0].kind == .diversionLead) == lead }
        #expect(!right.isEmpty, "\(s.id) (\(s.shape), \(s.expect)) not on an alert of the right kind: \(s.shipments); on \(holding.map { alerts[$0].kind.rawValue })", sourceLocation: sourceLocation)
        if !lead, let a = right.map({ alerts[$0] }).first(where: { $0.variants.first?.shipments == s.shipments }) {
            #expect(a.violationHop == s.violationHop.map { $0 + 1 }, "\(s.id) (\(s.shape)): the alert names hop \(a.violationHop.map(String.init) ?? "none"), the truth hop \(s.violationHop.map { String($0 + 1) } ?? "none")", sourceLocation: sourceLocation)
        }
    }
    for d in truth.decoys {
        #expect(!evidence.contains { !$0.isDisjoint(with: d.shipments) }, "\(d.id) (\(d.breaks)) reported", sourceLocation: sourceLocation)
    }
}

/// The graph loaded for one analysis holds only the shipments that analysis reads (as `diversion analyze
/// --no-db` loads it) and gives the same alert bytes as the whole graph.
func expectSameAlertsFromTheShipmentsRead(_ folder: String, whole: ShipmentGraph, _ alerts: [Alert],
                                          parameters: AnalysisParameters = AnalysisParameters(),
                                          sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let held = try ShipmentGraph.load(path: folder, keeping: parameters.shipmentSelection)
    #expect(held.omitted.count > 0 && held.shipmentsRead == whole.shipmentCount, sourceLocation: sourceLocation)
    #expect(held.shipmentCount + held.omitted.count == whole.shipmentCount, sourceLocation: sourceLocation)
    let result = Analyzer(graph: held, rules: try RuleBook.bundled(), parameters: parameters,
                          redFlags: try RedFlagCatalogue.bundled()).run()
    let expected = try AlertWriter.render(alerts, format: .jsonl), got = try AlertWriter.render(result.alerts, format: .jsonl)
    #expect(got == expected, "the graph of the shipments read gives other alerts", sourceLocation: sourceLocation)
}

/// The analysis run over generated worlds finds every injected scheme as the ground truth says it must
/// (violation or lead) and reports no decoy: the benchmark's scoring, on worlds made in the test.
@Suite("Detection on generated worlds")
struct DetectionTests {
    /// A million shipments in each profile, with every scheme shape (violations through the last hop,
    /// through a GPU hop upstream of a foreign-made server, through an export from the United States, and
    /// leads on a server nobody recorded the making of).
    @Test(arguments: [WorldProfile.typical, .dense])
    func everySchemeIsFoundAsItsKindAndNoDecoyIsReported(profile: WorldProfile) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-detection-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let truth = try WorldGenerator(WorldConfiguration(shipments: 1_000_000, seed: 11, profile: profile)).write(to: folder)
        let graph = try ShipmentGraph.load(path: folder)
        let result = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: AnalysisParameters(),
                              redFlags: try RedFlagCatalogue.bundled()).run()
        #expect(truth.schemes.count >= 40)
        #expect(Set(truth.schemes.map(\.shape)) == Set(SchemeShape.allCases.map(\.rawValue)))
        #expect(truth.schemes.contains { $0.expect == "lead" } && truth.schemes.contains { ($0.violationHop ?? 0) < $0.shipments.count - 1 })
        checkDetection(truth, result.alerts)
        try expectSameAlertsFromTheShipmentsRead(folder, whole: graph, result.alerts)
    }

    /// Every named world shape keeps the ground truth: 60,000 shipments of each (and of the dense profile,
    /// whose hubs the busier parties of the wide and messy shapes load most), every scheme found as its kind,
    /// no decoy reported.
    @Test(arguments: [WorldProfile.typical, .dense], WorldShape.named.map(\.name))
    func everyWorldShapeKeepsItsGroundTruth(profile: WorldProfile, shape: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-shape-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = WorldConfiguration(shipments: 60_000, seed: 12, profile: profile, shape: WorldShape(named: shape)!)
        let truth = try WorldGenerator(configuration).write(to: folder)
        let graph = try ShipmentGraph.load(path: folder)
        let result = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: AnalysisParameters(),
                              redFlags: try RedFlagCatalogue.bundled()).run()
        #expect(truth.schemes.count >= 10 && Set(truth.schemes.map(\.shape)) == Set(SchemeShape.allCases.map(\.rawValue)))
        checkDetection(truth, result.alerts)
        try expectSameAlertsFromTheShipmentsRead(folder, whole: graph, result.alerts)
    }

    /// With another watch list (chips alone, or servers alone by HS code), the shipments that analysis reads
    /// give the same alerts as the whole graph.
    @Test(arguments: [["3A090"], ["8471.50"], ["4A090", "3A001.z"]])
    func otherWatchListsReadTheirOwnShipments(entries: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-watch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WorldGenerator(WorldConfiguration(shipments: 30_000, seed: 6, profile: .dense)).write(to: folder)
        var p = AnalysisParameters()
        p.watch = try WatchList.parse(entries.joined(separator: ","))
        let graph = try ShipmentGraph.load(path: folder)
        let result = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: p, redFlags: try RedFlagCatalogue.bundled()).run()
        try expectSameAlertsFromTheShipmentsRead(folder, whole: graph, result.alerts, parameters: p)
    }

    /// A shuffled world (rows of shipments.csv and entities.csv in random order, each day's shipments in
    /// theirs) gives exactly the alerts of the same world in date order.
    @Test func shuffledRowsGiveTheSameAlerts() throws {
        func alerts(_ shape: WorldShape) throws -> [Alert] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-shuffled-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            _ = try WorldGenerator(WorldConfiguration(shipments: 30_000, seed: 5, profile: .dense, shape: shape)).write(to: folder)
            return Analyzer(graph: try ShipmentGraph.load(path: folder), rules: try RuleBook.bundled(), parameters: AnalysisParameters(),
                            redFlags: try RedFlagCatalogue.bundled()).run().alerts
        }
        let inOrder = try alerts(.default), shuffled = try alerts(WorldShape(shuffled: true))
        #expect(inOrder.count > 5)
        #expect(shuffled == inOrder)
    }

    /// Alerts are built on as many threads as the search uses; one thread or two give the same bytes.
    @Test func oneThreadOrTwoGiveTheSameAlertList() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-threads-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WorldGenerator(WorldConfiguration(shipments: 30_000, seed: 8, profile: .dense)).write(to: folder)
        let graph = try ShipmentGraph.load(path: folder)
        func render(threads: Int) throws -> String {
            var p = AnalysisParameters()
            p.threads = threads
            let result = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: p, redFlags: try RedFlagCatalogue.bundled()).run()
            #expect(result.alerts.count > 5)
            return try AlertWriter.render(result.alerts, format: .jsonl)
        }
        #expect(try render(threads: 1) == render(threads: 2))
    }

    /// Shipments are kept in the order the file lists them; the indexes and the stock ledgers put them in date
    /// order. A file whose rows are out of date order (days interleaved, rows of one day still in their order)
    /// gives exactly the same alerts.
    @Test func rowsOutOfDateOrderGiveTheSameAlerts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-order-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WorldGenerator(WorldConfiguration(shipments: 30_000, seed: 5, profile: .dense)).write(to: folder)
        func alerts() throws -> [Alert] {
            Analyzer(graph: try ShipmentGraph.load(path: folder), rules: try RuleBook.bundled(), parameters: AnalysisParameters(),
                     redFlags: try RedFlagCatalogue.bundled()).run().alerts
        }
        let inOrder = try alerts()
        let path = folder + "/shipments.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        // Days in a scrambled order (a multiplicative hash of the date text), rows of one day in file order.
        func key(_ line: String) -> UInt64 {
            line.split(separator: ",")[1].utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        }
        let scrambled = lines.indices.sorted { (key(lines[$0]), $0) < (key(lines[$1]), $1) }.map { lines[$0] }
        #expect(scrambled != lines)
        try ([header] + scrambled).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        let outOfOrder = try alerts()
        #expect(inOrder.count > 5)
        #expect(outOfOrder.count == inOrder.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (a, b) in zip(inOrder, outOfOrder) where a != b {
            Issue.record("alert differs:\n  in date order: \(String(decoding: try encoder.encode(a), as: UTF8.self))\n  out of order:  \(String(decoding: try encoder.encode(b), as: UTF8.self))")
            break
        }
    }
}
