import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

@Suite("Stock tracing at intermediaries")
struct StockTracingTests {
    func paths(_ f: GraphFixture, _ configure: (inout AnalysisParameters) -> Void = { _ in }) throws -> Set<[String]> {
        let g = try f.graph()
        var p = AnalysisParameters()
        p.threads = 1
        configure(&p)
        return Set(PathSearch(graph: g, rules: bundledRules, parameters: p).allPaths().paths.map { $0.shipments.map { g.shipmentID($0) } })
    }

    @Test func aStockOutCutsOlderLotsOff() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("sg", "jp", "gpu", 100, on: "2024-03-02", id: "b")   // sg's stock runs out
        f.shipment("jp2", "sg", "gpu", 50, on: "2024-03-03", id: "c")
        f.shipment("sg", "cn", "gpu", 40, on: "2024-03-04", id: "d")
        #expect(try paths(f) == [["c", "d"]])
    }

    @Test func whileStockLastsEveryLotCanHaveFedAShipment() throws {
        var f = baseFixture()
        f.shipment("us", "sg", "gpu", 100, on: "2024-03-01", id: "a")
        f.shipment("jp2", "sg", "gpu", 100, on: "2024-03-02", id: "b")
        f.shipment("sg", "jp", "gpu", 150, on: "2024-03-03", id: "c")  // 50 left: either lot's
        f.shipment("sg", "cn", "gpu", 80, on: "2024-03-04", id: "d")
        let g = try f.graph()
        var p = AnalysisParameters()
        p.threads = 1
        let found = PathSearch(graph: g, rules: bundledRules, parameters: p).allPaths().paths
        #expect(Set(found.map { $0.shipments.map { g.shipmentID($0) } }) == [["a", "d"], ["b", "d"]])
        // At most the lowest stock in between (50), not the lot's size or the shipment's.
        #expect(found.allSatisfy { $0.tracedQuantity == 50 })
    }

    @Test func serversShippedOnComeFromServerLotsFirst() throws {
        var f = baseFixture()
        f.shipment("jp2", "my-asm", "srv", 10, on: "2024-03-01", id: "servers-in")
        f.shipment("us", "my-asm", "gpu", 80, on: "2024-03-01", id: "gpus-in")
        f.shipment("my-asm", "cn", "srv", 10, on: "2024-03-05", id: "out")
        #expect(try paths(f) == [["servers-in", "out"]])
        // With fewer servers received than shipped, the rest was built from the GPUs.
        var g = baseFixture()
        g.shipment("jp2", "my-asm", "srv", 4, on: "2024-03-01", id: "servers-in")
        g.shipment("us", "my-asm", "gpu", 80, on: "2024-03-01", id: "gpus-in")
        g.shipment("my-asm", "cn", "srv", 10, on: "2024-03-05", id: "out")
        #expect(try paths(g) == [["servers-in", "out"], ["gpus-in", "out"]])
    }

    /// The newest lot at the hub has a large upstream network and the path limit is small: the paths kept
    /// still include the older lot's.
    @Test func thePathLimitIsSpreadOverTheLots() throws {
        var f = baseFixture()
        for k in 1...5 {
            f.entity("maker\(k)", "US", role: .designer)
            f.shipment("maker\(k)", "jp2", "gpu", 100, on: "2024-03-0\(k)", id: "up\(k)")
        }
        f.shipment("us", "sg", "gpu", 50, on: "2024-03-09", id: "older")
        f.shipment("jp2", "sg", "gpu", 50, on: "2024-03-10", id: "newer")
        f.shipment("sg", "cn", "gpu", 60, on: "2024-03-12", id: "t")
        let all = try paths(f)
        #expect(all.count == 6)
        let kept = try paths(f) { $0.maxPathsPerTerminal = 3 }
        #expect((2...3).contains(kept.count) && kept.isSubset(of: all), "\(kept)")
        #expect(kept.contains(["older", "t"]), "\(kept)")
        #expect(kept.contains { $0.first?.hasPrefix("up") == true })
    }
}
