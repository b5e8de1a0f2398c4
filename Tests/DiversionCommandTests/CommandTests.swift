import DiversionGraph
import DiversionStore
import DiversionTestSupport
import Foundation
import Testing

/// Compares `actual` with a golden file; `DIVERSION_UPDATE_GOLDEN=1 swift test` rewrites the files.
func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = packageRoot + "/Tests/DiversionCommandTests/Golden/" + name
    if ProcessInfo.processInfo.environment["DIVERSION_UPDATE_GOLDEN"] == "1" {
        write(actual, to: path)
        return
    }
    let expected = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    #expect(expected != nil, "missing golden file \(name); run DIVERSION_UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
    if let expected, expected != actual {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        Issue.record("\(name) differs at line \(line + 1):\n  expected: \(line < e.count ? String(e[line]) : "<end>")\n  actual:   \(line < a.count ? String(a[line]) : "<end>")", sourceLocation: sourceLocation)
    }
}

@Suite("The command as a user runs it")
struct CommandTests {
    @Test(arguments: ["sample-network.json", "sample-csv"])
    func explainEveryShipmentMatchesTheGoldenFile(_ sample: String) throws {
        let r = try runDiversion(["explain", "--all", "--graph", "Graphs/\(sample)"])
        #expect(r.status == 0, "\(r.stderr)")
        expectGolden(r.stdout, "explain-\(sample.replacingOccurrences(of: ".json", with: "")).txt")
    }

    @Test(arguments: ["sample-network.json", "sample-csv"])
    func analyzeFindsTheSchemesAndMatchesTheGoldenFile(_ sample: String) throws {
        let dir = temporaryFolder("cli")
        defer { cleanUp(dir) }
        let r = try runDiversion(["analyze", "Graphs/\(sample)", "--db", dir + "/db.sqlite", "--quiet"])
        #expect(r.status == 1, "exit status 1 means alerts were found; stderr: \(r.stderr)")
        expectGolden(r.stdout, "alerts-\(sample.replacingOccurrences(of: ".json", with: "")).jsonl")
        let text = try runDiversion(["analyze", "--db", dir + "/db.sqlite", "--format", "text", "--quiet"])
        expectGolden(text.stdout.replacingOccurrences(of: dir, with: "<tmp>"), "alerts-\(sample.replacingOccurrences(of: ".json", with: "")).txt")
    }

    @Test func legitimateTradeGivesExitStatusZero() throws {
        let dir = temporaryFolder("cli")
        defer { cleanUp(dir) }
        write("id,name,country\nus,U,US\njp,J,JP\n", to: dir + "/g/entities.csv")
        write("id,eccn,origin,unit_value\ngpu,3A090.a,US,25000\n", to: dir + "/g/items.csv")
        write("id,date,from,to,item,quantity\ns1,2024-01-02,us,jp,gpu,10\n", to: dir + "/g/shipments.csv")
        let r = try runDiversion(["analyze", dir + "/g", "--db", dir + "/db.sqlite"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("0 alerts; 1 shipments"))
    }

    @Test func failuresGiveExitStatusTwoWithALocatedMessage() throws {
        let dir = temporaryFolder("cli")
        defer { cleanUp(dir) }
        let missing = try runDiversion(["analyze", "Graphs/nope.json", "--db", dir + "/db.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Graphs/nope.json: no such file or folder"))
        write("id,name,country\nus,U,US\n", to: dir + "/g/entities.csv")
        write("id,date,from,to,item,quantity\ns1,2024-01-02,us,acme-sg,gpu,10\n", to: dir + "/g/shipments.csv")
        let broken = try runDiversion(["import", dir + "/g", "--db", dir + "/db.sqlite"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("/g/shipments.csv:2: field \"to\": no entity \"acme-sg\""))
        #expect(broken.stderr.contains("nothing was stored."))
        let usage = try runDiversion(["analyze", "--window", "-3"])
        #expect(usage.status != 0 && usage.status != 1)
    }

    @Test func helpTeachesTheExitStatuses() throws {
        let r = try runDiversion(["analyze", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Exit status: 0 = no alerts, 1 = alerts found, 2 = the run failed"))
    }

    @Test func investigatorQueriesAndDecisions() throws {
        let dir = temporaryFolder("cli")
        defer { cleanUp(dir) }
        let db = dir + "/db.sqlite"
        let first = try runDiversion(["analyze", "Graphs/sample-network.json", "--db", db, "--quiet"])
        let ids = first.stdout.split(separator: "\n").compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["id"] as? String
        }
        #expect(ids.count == 5)
        let to = try runDiversion(["paths", "--to", "buyer-cn", "Graphs/sample-network.json"])
        #expect(to.status == 0)
        #expect(to.stdout.contains("shipments a1 → a2 → a3 → a4"))
        let alert = try runDiversion(["alert", ids[0], "--db", db])
        #expect(alert.status == 0 && alert.stdout.contains("reasoning:") && alert.stdout.contains("evidence digest:"))
        let decide = try runDiversion(["decide", ids[0], "--dismiss", "--note", "licensed; verified", "--db", db])
        #expect(decide.status == 0)
        let second = try runDiversion(["analyze", "--db", db])
        #expect(second.status == 1)
        #expect(!second.stdout.contains(ids[0]))
        #expect(second.stderr.contains("(1 dismissed earlier and unchanged, not shown)"))
        let dot = try runDiversion(["analyze", "--db", db, "--format", "dot", "--quiet"])
        #expect(dot.stdout.hasPrefix("digraph diversion {"))
    }

    /// `explain --path` judges a path hop by hop; `--only` picks the kinds of alert; both as a user runs them.
    @Test func explainAPathAndPickTheAlertKinds() throws {
        let gpu = try runDiversion(["explain", "--path", "h1,h2", "--graph", "Graphs/path-judgment.json"])
        #expect(gpu.status == 0)
        #expect(gpu.stdout.contains("verdict: VIOLATION at hop 1 (shipment h1)"))
        #expect(gpu.stdout.contains("15 CFR 742.6(a)(6)(iii)"))
        let lead = try runDiversion(["explain", "--path", "v1,v2,v3,v4", "--graph", "Graphs/path-judgment.json", "--format", "json"])
        #expect(lead.status == 0)
        #expect(lead.stdout.contains("\"verdict\" : \"lead\""))
        let broken = try runDiversion(["explain", "--path", "h1,v2", "--graph", "Graphs/path-judgment.json"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("shipment v2 leaves from trd-pk, not from asm-th, where shipment h1 went"))
        let unknown = try runDiversion(["explain", "--path", "h1,,h2", "--graph", "Graphs/path-judgment.json"])
        #expect(unknown.status != 0 && unknown.stderr.contains("--path"))

        for (only, kinds) in [("all", ["diversion-path", "diversion-lead"]), ("violations", ["diversion-path"]), ("leads", ["diversion-lead"])] {
            let r = try runDiversion(["analyze", "Graphs/path-judgment.json", "--no-db", "--format", "csv", "--only", only, "--quiet"])
            #expect(r.status == 1)
            let found = r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
            #expect(found == kinds, "--only \(only)")
        }
        let bad = try runDiversion(["analyze", "Graphs/path-judgment.json", "--no-db", "--only", "leeds"])
        #expect(bad.status != 0 && bad.stderr.contains("--only must be violations, leads or all"))
    }

    /// The real-data tour as a user runs it: a bill-of-lading extract becomes a graph, a screening list is
    /// matched to its parties, a match is decided; a malformed list stores nothing and says where.
    @Test func realDataFromExtractToMatchesAndDecisions() throws {
        let dir = temporaryFolder("real-cli")
        defer { cleanUp(dir) }
        let db = ["--db", dir + "/db.sqlite"]
        let shipments = try runDiversion(["import-shipments", "Graphs/real-data/bol-extract.csv", "--mapping", "Graphs/real-data/bol-mapping.yaml", "--name", "bol"] + db)
        #expect(shipments.status == 0)
        #expect(shipments.stdout.contains("\"SHENZHEN TIANYU AI COMPUTING CO LTD\", \"Shenzhen Tianyu A.I. Computing Company Limited\", \"SHENZHEN TIANYU AI COMPUTING CO., LTD.\""))
        let before = try GraphStore(path: dir + "/db.sqlite").contentFingerprint()
        let bad = try runDiversion(["import-list", "Tests/DiversionSourcesTests/Fixtures/Malformed/csl-bad-country.csv", "--format", "csl", "--graph", "bol"] + db)
        #expect(bad.status == 2 && bad.stderr.contains("csl-bad-country.csv:"))
        #expect(try GraphStore(path: dir + "/db.sqlite").contentFingerprint() == before)

        let list = try runDiversion(["import-list", "Graphs/real-data/csl-sample.csv", "--format", "csl", "--graph", "bol"] + db)
        #expect(list.status == 0 && list.stdout.contains("11 entries"))
        let again = try runDiversion(["import-list", "Graphs/real-data/csl-sample.csv", "--format", "csl", "--graph", "bol"] + db)
        #expect(again.status == 2 && again.stderr.contains("already imported"))
        let matches = try runDiversion(["matches", "--graph", "bol", "--format", "json"] + db)
        let decoded = try JSONDecoder().decode([StoredMatch].self, from: Data(matches.stdout.utf8))
        let tianyu = try #require(decoded.first { $0.party == "shenzhen-tianyu-ai-computing-co-ltd" })
        #expect(tianyu.isEffective && tianyu.footnote == 1 && tianyu.sourceRow.contains("Shenzhen Tianyu AI Computing Co., Ltd."))

        let analyzed = try runDiversion(["analyze", "--graph", "bol", "--format", "text", "--quiet"] + db)
        #expect(analyzed.status == 1 && analyzed.stdout.contains("through match \(tianyu.id)"))
        let reject = try runDiversion(["decide", tianyu.id, "--reject", "--note", "another firm"] + db)
        #expect(reject.status == 0)
        let wrongFlag = try runDiversion(["decide", tianyu.id, "--dismiss", "--note", "x"] + db)
        #expect(wrongFlag.status != 0 && wrongFlag.stderr.contains("--accept or --reject"))
        let after = try runDiversion(["analyze", "--graph", "bol", "--format", "text", "--quiet"] + db)
        #expect(!after.stdout.contains("through match \(tianyu.id)"))
    }

    @Test func killingAnImportLeavesTheDatabaseAsItWas() throws {
        let dir = temporaryFolder("kill")
        defer { cleanUp(dir) }
        let db = dir + "/db.sqlite"
        #expect(try runDiversion(["import", "Graphs/sample-csv", "--db", db]).status == 0)
        let before = try GraphStore(path: db).contentFingerprint()
        // A large graph, so that the import is still running when it is killed.
        var entities = "id,name,country\n", shipments = "id,date,from,to,item,quantity\n"
        for i in 0..<2_000 { entities += "p\(i),Party \(i),SG\n" }
        entities.reserveCapacity(0)
        var rows: [String] = []
        rows.reserveCapacity(600_000)
        for i in 0..<600_000 { rows.append("s\(i),2024-01-\(10 + i % 18),p\(i % 2_000),p\((i * 7 + 1) % 2_000),gpu,\(1 + i % 9)") }
        shipments += rows.joined(separator: "\n") + "\n"
        write(entities, to: dir + "/big/entities.csv")
        write("id,origin\ngpu,US\n", to: dir + "/big/items.csv")
        write(shipments, to: dir + "/big/shipments.csv")
        // Killed once as soon as the import starts writing (its rollback journal appears), once a little
        // later: a fixed delay missed the import altogether on a release build, which reads the file in less
        // time than a debug build starts.
        for extra in [0.0, 0.05] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: diversionExecutable)
            p.arguments = ["import", dir + "/big", "--db", db, "--quiet"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning, !FileManager.default.fileExists(atPath: db + "-journal"), Date() < deadline {
                Thread.sleep(forTimeInterval: 0.001)
            }
            Thread.sleep(forTimeInterval: extra)
            let wasRunning = p.isRunning
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(wasRunning, "the import finished before it could be killed; make the test graph larger")
            let store = try GraphStore(path: db)
            #expect(try store.integrityCheck() == "ok")
            #expect(try store.contentFingerprint() == before)
            #expect(try store.graphNames() == ["sample-csv"])
        }
    }
}

@Suite("Scenario commands")
struct ScenarioCommandTests {
    @Test func everyShippedScenarioPasses() throws {
        let dir = temporaryFolder("scen")
        defer { cleanUp(dir) }
        let r = try runDiversion(["scenario", "run", "Scenarios", "--no-db", "--output", dir])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count >= 8)
        #expect(!r.stdout.contains("FAIL"))
        #expect(FileManager.default.fileExists(atPath: dir + "/tier-change-malaysia.jsonl"))
        #expect(r.stderr.contains("6 graph loads"), "graphs shared by scenarios are loaded once: \(r.stderr)")
    }

    @Test(arguments: [("06-tier-baseline", "06-tier-change-malaysia"), ("07-rules-october-2022", "08-rules-november-2023"),
                      ("09-ai-diffusion-window", "10-after-ai-diffusion")])
    func diffMatchesTheGoldenFile(_ pair: (String, String)) throws {
        let r = try runDiversion(["scenario", "diff", "Scenarios/\(pair.0).yaml", "Scenarios/\(pair.1).yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        expectGolden(r.stdout, "diff-\(pair.0)-\(pair.1).txt")
    }

    @Test func aFailingExpectationGivesExitStatusOne() throws {
        let dir = temporaryFolder("scen")
        defer { cleanUp(dir) }
        write("""
            graphs: [\(packageRoot)/Scenarios/graphs/malaysia.json]
            expect:
              alert_count: 3
            """, to: dir + "/s.yaml")
        let r = try runDiversion(["scenario", "run", dir + "/s.yaml", "--no-db", "--output", dir + "/out", "--root", "/"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL  s  0 alerts"))
        #expect(r.stdout.contains("s.yaml:3: expect.alert_count: expected 3 alerts, found 0: no alerts"))
    }
}
