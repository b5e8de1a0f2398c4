import DiversionGraph
import DiversionRules
import DiversionTestSupport

/// A small world with every kind of party and item the rule tests need.
let ruleWorld: ShipmentGraph = {
    var f = GraphFixture()
    for (id, cc) in [("us-designer", "US"), ("tw-fab", "TW"), ("tw-fab-bare", "TW"), ("th-plant", "TH"), ("my-asm", "MY"),
                     ("sg-co", "SG"), ("cn-buyer", "CN"), ("th-buyer", "TH"), ("jp-co", "JP"), ("vn-co", "VN"),
                     ("br-co", "BR"), ("ru-co", "RU"), ("ir-co", "IR"), ("mo-co", "MO"), ("hk-co", "HK"), ("ae-co", "AE"),
                     ("de-co", "DE"), ("il-co", "IL"), ("cu-co", "CU"), ("kh-co", "KH"), ("kr-co", "KR"),
                     ("cn-parent", "CN"), ("jp-toolmaker", "JP"), ("us-toolmaker", "US"), ("by-co", "BY")] {
        f.entity(id, cc)
    }
    f.entity("sg-sub", "SG")                       // 60% owned by a China-headquartered parent
    f.entity("sg-cnhq", "SG", headquarters: "CN")  // itself headquartered in China
    f.entity("cn-fn1", "CN"); f.listing("cn-fn1", footnote: 1, since: "2019-05-16")
    f.entity("cn-fn4", "CN"); f.listing("cn-fn4", footnote: 4, since: "2022-10-07")
    f.entity("cn-fn5", "CN"); f.listing("cn-fn5", footnote: 5, since: "2024-12-02")
    f.entity("my-fn5", "MY"); f.listing("my-fn5", footnote: 5, since: "2024-12-02")
    f.entity("cn-super", "CN"); f.listing("cn-super", "supercomputer-end-use")
    f.ownership("cn-parent", "sg-sub", 0.6, since: "2020-01-01")

    // U.S.-origin chips.
    f.item("h100", origin: "US", eccn: "3A090.a", hs: "8542.31", maker: "us-designer", value: 25_000, tpp: 15_832, die: 814)
    f.item("a100", origin: "US", eccn: "3A090.a", value: 10_000, tpp: 4_992, die: 826, interconnect: 600)
    f.item("a800", origin: "US", eccn: "3A090.a", value: 10_000, tpp: 4_992, die: 826, interconnect: 400)
    f.item("h20", origin: "US", eccn: "EAR99", value: 12_000, tpp: 2_368, die: 814)
    f.item("us-3a001", origin: "US", eccn: "3A001.a", hs: "8542.39", value: 100)
    f.item("cable", origin: "US", eccn: "EAR99", hs: "8544.42", value: 50)

    // U.S. technology, tools, and plants equipped with them.
    f.item("us-tool", origin: "US", eccn: "3B001.c", maker: "us-toolmaker", value: 1_000_000)
    f.provenance("us-tool", .technology, "3E001")
    f.equipment("tw-fab", "us-tool")
    f.item("jp-tester", origin: "JP", eccn: "3B002.c", maker: "jp-toolmaker", value: 500_000)
    f.provenance("jp-tester", .technology, "3E001")
    f.equipment("th-plant", "jp-tester")
    f.equipment("jp-toolmaker", "us-tool")

    // Foreign-made items reached by the FDP rules.
    f.item("tw-chip", origin: "TW", eccn: "3A090.a", hs: "8542.31", maker: "tw-fab", value: 20_000, tpp: 15_832, die: 814)
    f.provenance("tw-chip", .technology, "3E001")
    f.item("tw-chip-plant", origin: "TW", eccn: "3A090.a", maker: "tw-fab", value: 20_000, tpp: 15_832, die: 814)
    f.item("tw-chip-bare", origin: "TW", eccn: "3A090.a", maker: "tw-fab-bare", value: 20_000, tpp: 15_832, die: 814)
    f.item("tw-3a001", origin: "TW", eccn: "3A001.b", maker: "tw-fab-bare", value: 300)
    f.provenance("tw-3a001", .technology, "3E001")
    f.item("tw-ear99", origin: "TW", eccn: "EAR99", maker: "tw-fab-bare", value: 300)
    f.provenance("tw-ear99", .technology, "3E001")
    f.item("tw-ic-plant", origin: "TW", eccn: "3A991", hs: "8542.31", maker: "tw-fab", value: 200)
    f.item("hdd", origin: "TH", eccn: "EAR99", hs: "8471.70", maker: "th-plant", value: 80)
    f.item("jp-etcher", origin: "JP", eccn: "3B001.c", maker: "jp-toolmaker", value: 2_000_000)
    f.item("jp-etcher-bare", origin: "JP", eccn: "3B001.c", value: 2_000_000)
    f.component("jp-etcher-bare", "us-3a001", 10, value: 100)
    f.item("jp-3b991", origin: "JP", eccn: "3B991", value: 50_000)
    f.component("jp-3b991", "tw-ic-plant", 4, value: 200)

    // Servers: $100k Malaysian server with $30k of U.S. 3A090.a GPUs, and a $20k variant.
    f.item("gpu-board", origin: "US", eccn: "3A090.a", value: 30_000, tpp: 15_832, die: 814)
    f.item("chassis", origin: "MY", eccn: "EAR99", value: 70_000)
    f.item("my-server", origin: "MY", eccn: "4A090.a", hs: "8471.50", maker: "my-asm", value: 100_000)
    f.component("my-server", "gpu-board", 1, value: 30_000)
    f.component("my-server", "chassis", 1, value: 70_000)
    f.item("my-server-low", origin: "MY", eccn: "4A090.a", maker: "my-asm", value: 100_000)
    f.component("my-server-low", "h100", 2, value: 10_000)
    f.component("my-server-low", "chassis", 1, value: 80_000)
    // Two levels: a Malaysian rack holding two Malaysian servers.
    f.item("my-rack", origin: "MY", eccn: "4A090.a", value: 250_000)
    f.component("my-rack", "my-server", 2)
    // EAR99 box with 20% U.S. EAR99 content (10% level for E:1).
    f.item("my-box", origin: "MY", eccn: "EAR99", value: 1_000)
    f.component("my-box", "cable", 4, value: 50)
    f.item("no-value-box", origin: "MY", eccn: "EAR99")
    f.component("no-value-box", "cable", 4, value: 50)
    return try! f.graph()
}()

let ruleEngine = JurisdictionEngine(rules: bundledRules, graph: ruleWorld)

/// Decides a transaction in the rule world.
func decide(_ item: String, to country: String, consignee: String? = nil, endUser: String? = nil, from: String? = nil,
            on date: String, license: String? = nil) -> Determination {
    let g = ruleWorld
    return ruleEngine.determine(TransactionQuery(
        item: g.item(named: item)!, destination: CountryCode(country)!, consignee: consignee.map { g.entity(named: $0)! },
        endUser: endUser.map { g.entity(named: $0)! }, shipper: from.map { g.entity(named: $0)! }, date: Day(date)!,
        recordedLicense: license))
}

extension Determination {
    var basisParagraphs: [String] { bases.map(\.paragraph) }
    var licenseParagraphs: [String] { licenseReasons.map(\.paragraph) }
    var assumptionIDs: [String] { assumptions.map(\.id) }
}
