import DiversionGraph
import DiversionStore
import DiversionTestSupport
import Foundation
import Testing

@Suite("SQLite store")
struct GraphStoreTests {
    let samples = [packageRoot + "/Graphs/sample-network.json", packageRoot + "/Graphs/sample-csv"]

    @Test func bothSamplesImportAndShowInStats() throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        for s in samples { _ = try store.importGraph(path: s) }
        #expect(try store.graphNames() == ["sample-network", "sample-csv"])
        let stats = try store.statistics(graph: "sample-network")
        let doc = try GraphLoader.document(at: samples[0])
        #expect(stats.tables["shipments"] == doc.shipments.count)
        #expect(stats.tables["entities"] == doc.entities.count)
        #expect(stats.countries.first { $0.country == "SG" }?.entities == doc.entities.filter { $0.country.code == "SG" }.count)
        #expect(stats.firstDate == doc.shipments.map(\.date).min()?.description)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test(arguments: [GraphWriter.Form.json, .csv])
    func exportThenImportIsLossless(_ form: GraphWriter.Form) throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        for s in samples {
            let name = GraphStore.defaultGraphName(for: s)
            _ = try store.importGraph(path: s)
            let out = dir + "/\(name)-export" + (form == .json ? ".json" : "")
            try store.export(graph: name, form: form, to: out)
            _ = try store.importGraph(path: out, name: name + "-again")
            let original = try GraphLoader.document(at: s)
            var exported = try GraphLoader.document(at: out)
            exported.name = original.name
            #expect(exported == original)
            // And a second export is byte-identical to the first.
            let out2 = dir + "/\(name)-export2" + (form == .json ? ".json" : "")
            try store.export(graph: name + "-again", form: form, to: out2)
            #expect(InputDigest.of(path: out) == InputDigest.of(path: out2))
        }
    }

    @Test func reimportingIdenticalInputChangesNothing() throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: samples[0])
        let before = try store.contentFingerprint()
        #expect(try store.importGraph(path: samples[0]) == .unchanged(name: "sample-network"))
        #expect(try store.contentFingerprint() == before)
    }

    @Test func aDifferentGraphUnderAnExistingNameIsRefusedUnlessReplaced() throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: samples[0], name: "g")
        let before = try store.contentFingerprint()
        #expect(throws: StoreError.alreadyImported(name: "g", path: dir + "/db.sqlite")) {
            try store.importGraph(path: samples[1], name: "g")
        }
        #expect(try store.contentFingerprint() == before)
        guard case .replaced = try store.importGraph(path: samples[1], name: "g", mode: .replace) else {
            Issue.record("expected a replacement"); return
        }
        #expect(try store.statistics(graph: "g").tables["shipments"] == (try GraphLoader.document(at: samples[1])).shipments.count)
        #expect(try store.graphNames() == ["g"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func theCompactGraphFromTheStoreMatchesTheFile() throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: samples[1])
        _ = try store.importGraph(path: samples[0])
        let fromStore = try store.loadGraph("sample-network")
        let fromFile = try ShipmentGraph.load(path: samples[0])
        #expect(fromStore.shipmentCount == fromFile.shipmentCount)
        for p in 0..<fromFile.shipmentCount { #expect(fromStore.shipmentRecord(p) == fromFile.shipmentRecord(p)) }
        #expect(fromStore.listings == fromFile.listings)
        #expect(fromStore.items == fromFile.items)
    }
}

@Suite("A rejected import stores nothing")
struct RejectedImportTests {
    static let brokenShipments = [
        "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,acme-sg,gpu,1",
        "id,date,from,to,item,quantity\ns1,2023-02-30,us-d,sg-f,gpu,1",
        "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,-1",
        "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,1\ns1,2024-01-02,us-d,sg-f,gpu,1",
        "id,date,from,to,item,quantity,declared_end_user\ns1,2024-01-02,us-d,sg-f,gpu,1,ghost",
        "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,\"1",
        "id,date,from,to,item,quantity,value\ns1,2024-01-02,us-d,sg-f,gpu,1,-20",
        "id,date,from,to,item,quantity,value\ns1,2024-01-02,us-d,sg-f,gpu,1,nan",
        "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,1\ns2,2024-01-03,sg-f,ghost,gpu,1",
    ]

    /// Broken entity tables (country codes) stop the import the same way.
    @Test(arguments: ["id,name,country\nus-d,D,XX\n", "id,name,country,headquarters\nus-d,D,US,zz\n", "id,name\nus-d,D\n"])
    func brokenEntitiesLeaveTheDatabaseUnchanged(_ entities: String) throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: packageRoot + "/Graphs/sample-csv")
        let before = try store.contentFingerprint()
        write(entities, to: dir + "/broken/entities.csv")
        #expect(throws: GraphLoadError.self) { try store.importGraph(path: dir + "/broken") }
        #expect(try store.contentFingerprint() == before)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test(arguments: brokenShipments.indices)
    func databaseIsUnchanged(_ i: Int) throws {
        let dir = temporaryFolder("store")
        defer { cleanUp(dir) }
        let store = try GraphStore(path: dir + "/db.sqlite")
        _ = try store.importGraph(path: packageRoot + "/Graphs/sample-csv")
        let before = try store.contentFingerprint()
        let graph = dir + "/broken"
        write("id,name,country\nus-d,D,US\nsg-f,F,SG\n", to: graph + "/entities.csv")
        write("id,origin\ngpu,US\n", to: graph + "/items.csv")
        write(RejectedImportTests.brokenShipments[i] + "\n", to: graph + "/shipments.csv")
        #expect(throws: GraphLoadError.self) { try store.importGraph(path: graph) }
        #expect(try store.contentFingerprint() == before)
        #expect(try store.graphNames() == ["sample-csv"])
        #expect(try store.integrityCheck() == "ok")
    }
}
