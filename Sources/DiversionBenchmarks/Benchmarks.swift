import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionStore
import DiversionWorld
import Foundation

/// Release-build benchmarks. Each stage runs in its own process (this executable, called by
/// `Benchmarks/run.sh`), so that the peak memory it reports is that stage's own.
///
///     swift run -c release DiversionBenchmarks generate --shipments 1000000 --profile typical [--shape messy] --out /tmp/w1m
///     swift run -c release DiversionBenchmarks import /tmp/w1m
///     swift run -c release DiversionBenchmarks analyze /tmp/w1m [--db /tmp/w1m.sqlite]
///     swift run -c release DiversionBenchmarks determinations --shipments 200000
///     swift run -c release DiversionBenchmarks match --list 50000 --parties 250000
@main
struct Benchmarks {
    static func main() throws {
        var args = Array(CommandLine.arguments.dropFirst())
        guard let command = args.first else { usage(); exit(2) }
        args.removeFirst()
        func option(_ name: String) -> String? {
            guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return nil }
            return args[i + 1]
        }
        let positional = args.first { !$0.hasPrefix("--") && args.firstIndex(of: $0).map { $0 == 0 || !args[$0 - 1].hasPrefix("--") } == true }
        switch command {
        case "generate":
            let n = Int(option("shipments") ?? "1000000")!
            let profile = WorldProfile(rawValue: option("profile") ?? "typical")!
            let out = option("out")!
            let t = Date()
            guard let shape = WorldShape(named: option("shape") ?? "default") else {
                FileHandle.standardError.write(Data("--shape must be \(WorldShape.named.map(\.name).joined(separator: ", "))\n".utf8))
                exit(2)
            }
            let configuration = WorldConfiguration(shipments: n, seed: UInt64(option("seed") ?? "1")!, profile: profile, shape: shape)
            let truth = try WorldGenerator(configuration).write(to: out)
            let seconds = Date().timeIntervalSince(t)
            let items = (try? String(contentsOfFile: out + "/items.csv", encoding: .utf8))?.split(separator: "\n").count ?? 1
            report(["stage": "generate", "shipments": n, "profile": profile.rawValue, "shape": shape.name,
                    "seconds": seconds, "entities": truth.entities, "items": items - 1,
                    "schemes": truth.schemes.count, "decoys": truth.decoys.count])
        case "import":
            let dir = positional!
            let db = option("db") ?? dir + ".sqlite"
            try? FileManager.default.removeItem(atPath: db)
            let t = Date()
            let store = try GraphStore(path: db)
            guard case .imported(let s) = try store.importGraph(path: dir) else { fatalError("not imported") }
            let seconds = Date().timeIntervalSince(t)
            let rows = s.rows[.shipments] ?? 0
            report(["stage": "import", "shipments": rows, "seconds": seconds, "rows_per_second": Double(rows) / seconds,
                    "database_bytes": (try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0])
        case "build":
            let dir = positional!
            var t = Date()
            let g = try ShipmentGraph.load(path: dir)
            let fromFile = Date().timeIntervalSince(t)
            var fields: [String: Any] = ["stage": "build", "shipments": g.shipmentCount, "entities": g.entityCount,
                                         "seconds_from_csv": fromFile, "bytes_per_shipment": g.bytesPerShipment]
            if let db = option("db") {
                t = Date()
                let h = try GraphStore(path: db, readOnly: true).loadGraph(nil)
                fields["seconds_from_sqlite"] = Date().timeIntervalSince(t)
                fields["bytes_per_shipment_sqlite"] = h.bytesPerShipment
            }
            report(fields)
        case "analyze":
            try analyze(dir: positional!, db: option("db"), threads: Int(option("threads") ?? "2")!, sqlite: args.contains("--sqlite"),
                        whole: args.contains("--whole"))
        case "core-inputs":
            // The inputs other engines need to answer the core path query exactly as CoreRouteQuery does.
            let g = try ShipmentGraph.load(path: positional!)
            let rules = try RuleBook.bundled()
            let c = ItemContainment(graph: g, watch: .default)
            var pairs: [[String]] = []
            for y in 0..<g.itemCount { for (part, _) in c.contents[y] where part != Int32(y) { pairs.append([g.itemID(Int32(y)), g.itemID(part)]) } }
            let tiers = CoreRouteQuery.tierCountries(rules: rules, on: Day("2024-06-01")!)
            let object: [String: Any] = [
                "watched_items": (0..<g.itemCount).filter { c.carriesWatched[$0] }.map { g.itemID(Int32($0)) },
                "contains": pairs, "tier2": tiers.tier2, "tier3": tiers.tier3, "window": 180, "max_hops": 6,
            ]
            FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        case "jurisdiction":
            // Every shipment's jurisdiction in one memoized pass.
            let g = try positional.map { try ShipmentGraph.load(path: $0) }!
            let t = Date()
            let pass = JurisdictionPass.run(graph: g, rules: try RuleBook.bundled(), threads: Int(option("threads") ?? "2")!)
            let seconds = Date().timeIntervalSince(t)
            report(["stage": "jurisdiction", "shipments": g.shipmentCount, "seconds": seconds,
                    "shipments_per_second": Double(g.shipmentCount) / seconds, "distinct_questions": pass.distinctQuestions,
                    "subject": pass.isSubject.filter { $0 }.count, "license_required": pass.licenseRequired.filter { $0 }.count])
        case "determinations":
            try determinations(shipments: Int(option("shipments") ?? "200000")!)
        case "match":
            report(MatchBenchmark.run(list: Int(option("list") ?? "50000")!, parties: Int(option("parties") ?? "250000")!,
                                      seed: UInt64(option("seed") ?? "1")!, threads: Int(option("threads") ?? "2")!,
                                      showMisses: Int(option("show-misses") ?? "0")!))
        default:
            usage()
            exit(2)
        }
    }

    static func usage() {
        FileHandle.standardError.write(Data("usage: DiversionBenchmarks generate|import|build|analyze|determinations|match …\n".utf8))
    }

    /// Peak resident memory of this process so far, in bytes (VmHWM).
    static func peakMemory() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        // NB: "VmHWM:\t 1561726 kB", but "VmHWM:\t15451176 kB" from 10 GB up: split at tabs and spaces alike.
        return (Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0) * 1024
    }

    static func report(_ fields: [String: Any]) {
        var f = fields
        f["peak_memory_bytes"] = peakMemory()
        let data = try! JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Loads a world (from the CSV folder, or from a database), runs the full analysis, scores it against
    /// the ground truth, and runs the core path query in Swift (and in SQLite with --sqlite). From a CSV folder
    /// the graph holds only the shipments the analysis reads, as `diversion analyze --no-db` does; `whole`
    /// holds every shipment (the alerts are the same: `alerts_digest`).
    static func analyze(dir: String, db: String?, threads: Int, sqlite: Bool, whole: Bool) throws {
        let rules = try RuleBook.bundled()
        var p = AnalysisParameters()
        p.threads = threads
        var t = Date()
        let g = try db.map { try GraphStore(path: $0, readOnly: true).loadGraph(nil) }
            ?? ShipmentGraph.load(path: dir, keeping: whole ? nil : p.shipmentSelection)
        let load = Date().timeIntervalSince(t)
        t = Date()
        let result = Analyzer(graph: g, rules: rules, parameters: p, redFlags: try RedFlagCatalogue.bundled()).run()
        let analysis = Date().timeIntervalSince(t)
        let rendered = try AlertWriter.render(result.alerts, format: .jsonl)
        if let out = ProcessInfo.processInfo.environment["DIVERSION_ALERTS_OUT"] {
            try Data(rendered.utf8).write(to: URL(fileURLWithPath: out))
        }
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in rendered.utf8 { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var fields: [String: Any] = ["stage": "analyze", "shipments": g.shipmentsRead, "shipments_held": g.shipmentCount,
                                     "entities": g.entityCount, "alerts_digest": String(digest, radix: 16),
                                     "seconds_load": load, "seconds_analysis": analysis, "alerts": result.alerts.count,
                                     "terminals": result.statistics.terminals, "paths": result.statistics.paths,
                                     "truncated_terminals": result.statistics.truncatedTerminals,
                                     "threads": threads, "source": db == nil ? "csv" : "sqlite",
                                     "graph_bytes_per_shipment": g.bytesPerShipment]
        if let data = FileManager.default.contents(atPath: dir + "/ground-truth.json"),
           let truth = try? JSONDecoder().decode(GroundTruth.self, from: data) {
            // A scheme is found when one alert of the kind its truth says (a lead on a diversion-lead alert, a
            // violation on any other) holds all its shipments.
            let evidence = result.alerts.map { Set($0.evidence.map(\.id)) }
            let missed = truth.schemes.filter { s in
                !result.alerts.indices.contains { i in
                    evidence[i].isSuperset(of: s.shipments) && (result.alerts[i].kind == .diversionLead) == (s.expect == "lead")
                }
            }
            let found = truth.schemes.count - missed.count
            fields["schemes_missed"] = missed.prefix(20).map { "\($0.id) \($0.shape)" }
            let decoys = truth.decoys.filter { d in evidence.contains { !$0.isDisjoint(with: d.shipments) } }.count
            fields["schemes"] = truth.schemes.count
            fields["schemes_found"] = found
            fields["schemes_leads"] = truth.schemes.filter { $0.expect == "lead" }.count
            fields["alerts_leads"] = result.alerts.filter { $0.kind == .diversionLead }.count
            fields["lead_paths"] = result.statistics.leadPaths
            fields["decoys_reported"] = decoys
        }
        // The core query five times, each from the graph and the rule book as a fresh query would be: first the
        // inputs the peer engines are given ready-made (watched items and what contains them, tiers by
        // country), then the walk. The medians are the figures compared; the first run is kept too.
        var prepareTimes: [Double] = [], walkTimes: [Double] = [], coreTimes: [Double] = []
        var core = (count: 0, checksum: UInt64(0), chains: [[String]]())
        for _ in 0..<5 {
            let t0 = Date()
            let query = CoreRouteQuery(graph: g, rules: rules)
            let t1 = Date()
            core = query.run(threads: threads)
            let t2 = Date()
            prepareTimes.append(t1.timeIntervalSince(t0)); walkTimes.append(t2.timeIntervalSince(t1))
            coreTimes.append(t2.timeIntervalSince(t0))
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        let coreSeconds = median(coreTimes)
        fields["seconds_core_query_first"] = coreTimes[0]
        fields["seconds_core_prepare"] = median(prepareTimes)
        fields["seconds_core_walk"] = median(walkTimes)
        fields["core_routes"] = core.count
        fields["core_checksum"] = String(core.checksum, radix: 16)
        fields["seconds_core_query"] = coreSeconds
        if sqlite, let db {
            let c = ItemContainment(graph: g, watch: .default)
            let watched = (0..<g.itemCount).filter { c.carriesWatched[$0] }.map { g.itemID(Int32($0)) }
            var pairs: [(String, String)] = []
            for y in 0..<g.itemCount { for (part, _) in c.contents[y] where part != Int32(y) { pairs.append((g.itemID(Int32(y)), g.itemID(part))) } }
            let tiers = CoreRouteQuery.tierCountries(rules: rules, on: Day("2024-06-01")!)
            let store = try GraphStore(path: db)
            t = Date()
            try store.ensureShipmentPartyIndex()
            fields["seconds_sqlite_index"] = Date().timeIntervalSince(t)
            t = Date()
            let q = try store.coreRouteCount(graph: nil, watchedItems: watched, containment: pairs, tier2: tiers.tier2,
                                                             tier3: tiers.tier3, window: 180, maxHops: 6)
            let s = Date().timeIntervalSince(t)
            fields["sqlite_core_routes"] = q.count
            fields["sqlite_core_checksum"] = String(q.checksum, radix: 16)
            fields["seconds_sqlite_core_query"] = s
            fields["sqlite_over_swift"] = s / max(coreSeconds, 1e-9)
        }
        report(fields)
    }

    /// Determinations per second over a graph with deep bills of materials (six levels of foreign-made
    /// assemblies over U.S. and foreign chips), raw and with the memo the analysis uses.
    static func determinations(shipments n: Int) throws {
        var f = GraphDocument(name: "deep-bom")
        let countries = ["US", "TW", "MY", "SG", "CN", "VN", "BR", "JP", "DE", "IN", "TH", "AE", "RU", "MO"]
        for (i, c) in countries.enumerated() {
            for k in 0..<20 { f.entities.append(Entity(id: "e\(i)-\(k)", name: "E", country: CountryCode(c)!)) }
        }
        f.listings.append(Listing(entity: "e4-0", list: "entity-list", footnote: 1, since: Day("2020-01-01")))
        f.items.append(Item(id: "tool", eccn: "3B001.c", origin: CountryCode("US")!, unitValue: 1e6))
        f.provenance.append(Provenance(item: "tool", kind: .technology, eccn: "3E001", origin: CountryCode("US")!))
        f.equipment.append(Equipment(plant: "e1-0", item: "tool"))
        f.items.append(Item(id: "us-gpu", eccn: "3A090.a", origin: CountryCode("US")!, unitValue: 20_000, tpp: 15_832, dieAreaMM2: 814))
        f.items.append(Item(id: "tw-gpu", eccn: "3A090.a", origin: CountryCode("TW")!, maker: "e1-0", unitValue: 15_000, tpp: 15_832, dieAreaMM2: 814))
        var level = ["us-gpu", "tw-gpu"]
        for depth in 1...6 {
            var next: [String] = []
            for v in 0..<4 {
                let id = "l\(depth)-\(v)"
                f.items.append(Item(id: id, eccn: depth == 1 ? "3A090.a" : "4A090.a", origin: CountryCode(["MY", "TW", "SG", "VN"][v])!,
                                    unitValue: Double(40_000 * depth * (v + 1))))
                for (k, part) in level.enumerated() where (k + v) % 2 == 0 || level.count <= 2 {
                    f.components.append(Component(assembly: id, component: part, quantity: Double(1 + (k + v) % 3)))
                }
                f.components.append(Component(assembly: id, component: "us-gpu", quantity: 1, unitValue: 20_000))
                next.append(id)
            }
            level = next
        }
        let items = f.items.map(\.id).filter { $0 != "tool" }
        var state: UInt64 = 42
        func rnd(_ m: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(m)) }
        for s in 0..<n {
            let a = rnd(f.entities.count)
            var b = rnd(f.entities.count)
            if b == a { b = (a + 1) % f.entities.count }
            f.shipments.append(Shipment(id: "s\(s)", date: Day(rawValue: 19_000 + Int32(rnd(1_200))), from: f.entities[a].id,
                                        to: f.entities[b].id, item: items[rnd(items.count)], quantity: 1))
        }
        let g = try ShipmentGraph.build(from: f)
        let engine = JurisdictionEngine(rules: try RuleBook.bundled(), graph: g)
        let sample = min(n, 20_000)
        var t = Date()
        var subject = 0
        for p in 0..<sample where engine.determine(TransactionQuery.forShipment(at: p, in: g)).isSubjectToEAR { subject += 1 }
        let raw = Double(sample) / Date().timeIntervalSince(t)
        t = Date()
        var memo: [TransactionQuery: Bool] = [:]
        for p in 0..<g.shipmentCount {
            var q = TransactionQuery.forShipment(at: p, in: g)
            q.recordedLicense = nil
            if memo[q] == nil { memo[q] = engine.determine(q).isSubjectToEAR }
        }
        let memoSeconds = Date().timeIntervalSince(t)
        report(["stage": "determinations", "shipments": n, "bom_depth": 7, "raw_per_second": raw, "subject_in_sample": subject,
                "memoized_per_second": Double(g.shipmentCount) / memoSeconds, "distinct_questions": memo.count])
    }
}
