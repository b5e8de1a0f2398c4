import DiversionGraph

/// What kind of goods a catalogue item is, for routing background traffic.
enum ItemKind {
    /// 3A090.a chips: watched; only between clean Tier-1/Tier-2 parties in the background.
    case chip
    /// 4A090.a servers holding 3A090 chips: watched, same routing as chips.
    case server
    /// EAR99 goods: anywhere, including Tier 3.
    case ear99
    /// No ECCN, an HS code only: anywhere.
    case unclassified
    /// 3B semiconductor manufacturing equipment: from tool makers to clean fabs only.
    case tool

    var isControlled: Bool { self == .chip || self == .server }
}

/// One row of `items.csv` plus how background traffic uses it.
struct CatalogueItem {
    let id: String
    var description: String
    let eccn: String?
    let hsCode: String?
    let origin: String
    let maker: Anchor?
    let unitValue: Int
    var tpp: Double? = nil
    var tops: Double? = nil
    var bitLength: Double? = nil
    var dieArea: Double? = nil
    var interconnect: Double? = nil
    let kind: ItemKind
    /// Relative share of this item among background shipments of its class (controlled or other).
    let weight: Double
}

/// The fixed catalogue of every world: US GPUs, a Taiwan-made accelerator (a direct product of US
/// technology, made in a plant of US tools), 4A090 servers built from them, EAR99 goods, unclassified
/// parts, the tools of the foundry and, last, servers that only schemes ship.
///
/// Figures are public-spec-like but fictional models: e.g. an H100-class GPU has TPP 15,832 and 814 mm².
///
/// NB: entries are only ever appended (to ``items``, ``components`` and ``provenance``), so that an item's
/// index, and with it every draw a seed makes from the catalogue, stays put.
enum ItemCatalogue {
    static let items: [CatalogueItem] = {
        var a: [CatalogueItem] = []
        func chip(_ id: String, _ d: String, _ maker: Anchor, _ value: Int, tpp: Double? = nil, tops: Double? = nil,
                  bits: Double? = nil, die: Double, link: Double?, weight: Double, origin: String = "US") {
            a.append(CatalogueItem(id: id, description: d, eccn: "3A090.a", hsCode: "8542.31", origin: origin,
                                   maker: maker, unitValue: value, tpp: tpp, tops: tops, bitLength: bits, dieArea: die,
                                   interconnect: link, kind: .chip, weight: weight))
        }
        chip("vg-h100-sxm", "VG-H100 SXM datacenter GPU, 80 GB", .verdant, 25_000, tpp: 15_832, die: 814, link: 900, weight: 20)
        chip("vg-h100-pcie", "VG-H100 PCIe datacenter GPU, 80 GB", .verdant, 22_000, tpp: 12_096, die: 814, link: 600, weight: 8)
        chip("vg-h200-sxm", "VG-H200 SXM datacenter GPU, 141 GB", .verdant, 32_000, tpp: 15_832, die: 814, link: 900, weight: 10)
        chip("vg-a100-sxm", "VG-A100 SXM datacenter GPU, 80 GB", .verdant, 12_000, tpp: 4_992, die: 826, link: 600, weight: 9)
        chip("vg-a100-pcie", "VG-A100 PCIe datacenter GPU, 40 GB", .verdant, 9_500, tpp: 4_992, die: 826, link: 600, weight: 5)
        chip("vg-b200", "VG-B200 dual-die datacenter GPU", .verdant, 40_000, tpp: 36_000, die: 1_600, link: 1_800, weight: 6)
        chip("rm-mi300x", "RM-MI300X accelerator, 192 GB", .radian, 15_000, tpp: 20_919, die: 1_017, link: 896, weight: 5)
        chip("rm-mi250x", "RM-MI250X accelerator, 128 GB", .radian, 10_000, tpp: 6_128, die: 1_448, link: 800, weight: 2)
        chip("iq-gaudi2", "IQ-Gaudi2 AI training accelerator", .inteq, 10_000, tops: 432, bits: 16, die: 850, link: 600, weight: 2)
        chip("iq-gaudi3", "IQ-Gaudi3 AI training accelerator", .inteq, 15_000, tops: 1_835, bits: 8, die: 1_200, link: 1_200, weight: 2)
        chip("fs-ax9", "FS-AX9 AI accelerator die, made in Taiwan", .formosaFab, 6_000, tpp: 8_192, die: 640, link: 600,
             weight: 2, origin: "TW")

        func server(_ id: String, _ d: String, _ maker: Anchor?, _ origin: String, _ value: Int, tpp: Double, weight: Double) {
            a.append(CatalogueItem(id: id, description: d, eccn: "4A090.a", hsCode: "8471.50", origin: origin,
                                   maker: maker, unitValue: value, tpp: tpp, kind: .server, weight: weight))
        }
        server("dx-h100-8", "DX-9680 8-GPU server (8 x VG-H100 SXM), US-built", .delmont, "US", 320_000, tpp: 126_656, weight: 3)
        server("sm-h200-8", "SM-821 8-GPU server (8 x VG-H200 SXM), US-built", .supermarine, "US", 380_000, tpp: 126_656, weight: 2.5)
        server("pn-h100-8", "PN-8H 8-GPU server (8 x VG-H100 SXM), Malaysian-built", .penangServer, "MY", 300_000, tpp: 126_656, weight: 3)
        server("pn-a100-8", "PN-8A 8-GPU server (8 x VG-A100 SXM), Malaysian-built", .penangServer, "MY", 150_000, tpp: 39_936, weight: 1.5)
        server("kc-b200-8", "KC-B8 8-GPU server (8 x VG-B200), Malaysian-built", .kulimCompute, "MY", 450_000, tpp: 288_000, weight: 1.5)
        server("kc-mi300x-8", "KC-M8 8-accelerator server (8 x RM-MI300X), Malaysian-built", .kulimCompute, "MY", 200_000, tpp: 167_352, weight: 1)
        server("hr-h200-8", "HR-2U8 8-GPU server (8 x VG-H200 SXM), Taiwan-built", .hsinchuRack, "TW", 370_000, tpp: 126_656, weight: 2)
        server("hr-gaudi3-8", "HR-G8 8-accelerator server (8 x IQ-Gaudi3), Taiwan-built", .hsinchuRack, "TW", 180_000, tpp: 117_440, weight: 0.8)
        server("tc-h100-8", "TC-X8 8-GPU server (8 x VG-H100 SXM), Taiwan-built", .taoyuanCloud, "TW", 310_000, tpp: 126_656, weight: 2)
        server("tc-ax9-8", "TC-A8 8-accelerator server (8 x FS-AX9), Taiwan-built", .taoyuanCloud, "TW", 90_000, tpp: 65_536, weight: 0.7)

        func good(_ id: String, _ d: String, _ eccn: String?, _ hs: String, _ origin: String, _ maker: Anchor?, _ value: Int,
                  weight: Double) {
            a.append(CatalogueItem(id: id, description: d, eccn: eccn, hsCode: hs, origin: origin, maker: maker,
                                   unitValue: value, kind: eccn == nil ? .unclassified : .ear99, weight: weight))
        }
        // EAR99 goods.
        good("dac-400g", "400G direct-attach copper cable, 2 m", "EAR99", "8544.42", "CN", .brightlinkCable, 120, weight: 8)
        good("dac-200g", "200G direct-attach copper cable, 3 m", "EAR99", "8544.42", "CN", .brightlinkCable, 90, weight: 5)
        good("aoc-400g", "400G active optical cable, 10 m", "EAR99", "8544.42", "CN", .brightlinkCable, 310, weight: 4)
        good("cat6a-5m", "Cat 6A patch cable, 5 m", "EAR99", "8544.42", "CN", nil, 6, weight: 6)
        good("pwr-c19", "Power cord C19-C20, 2 m", "EAR99", "8544.42", "MY", .selangorPower, 14, weight: 4)
        good("usbc-1m", "USB-C cable, 1 m", "EAR99", "8544.42", "VN", nil, 4, weight: 5)
        good("mem-ddr5-64g", "DDR5 RDIMM 64 GB", "EAR99", "8542.32", "KR", .hanbitMemory, 350, weight: 7)
        good("mem-ddr5-32g", "DDR5 RDIMM 32 GB", "EAR99", "8542.32", "KR", .hanbitMemory, 170, weight: 5)
        good("mem-ddr4-32g", "DDR4 RDIMM 32 GB", "EAR99", "8542.32", "KR", .hanbitMemory, 90, weight: 4)
        good("mem-lpddr5-16g", "LPDDR5 package 16 GB", "EAR99", "8542.32", "TW", nil, 60, weight: 3)
        good("lt-14-pro", "14-inch business laptop", "EAR99", "8471.30", "CN", .orientComputer, 900, weight: 6)
        good("lt-13-air", "13-inch ultralight laptop", "EAR99", "8471.30", "CN", .orientComputer, 700, weight: 5)
        good("lt-15-biz", "15-inch business laptop", "EAR99", "8471.30", "TW", .keelungNotebook, 1_100, weight: 5)
        good("lt-16-work", "16-inch mobile workstation", "EAR99", "8471.30", "TW", .keelungNotebook, 2_400, weight: 2)
        good("pc-mini", "Mini desktop PC", "EAR99", "8471.49", "CN", .orientComputer, 450, weight: 3)
        good("mon-27", "27-inch LCD monitor", "EAR99", "8528.52", "CN", nil, 210, weight: 5)
        good("kbd-usb", "USB keyboard", "EAR99", "8471.60", "CN", nil, 12, weight: 4)
        good("mouse-usb", "USB mouse", "EAR99", "8471.60", "CN", nil, 6, weight: 4)
        good("prn-laser", "Laser printer", "EAR99", "8443.32", "JP", nil, 380, weight: 2)
        good("sw-1g-24", "24-port gigabit office switch", "EAR99", "8517.62", "TW", nil, 160, weight: 2)
        // No ECCN given: HS codes only.
        good("ssd-3t8", "NVMe SSD 3.84 TB", nil, "8523.51", "KR", .hanbitMemory, 420, weight: 5)
        good("psu-3kw", "3 kW server power supply", nil, "8504.40", "MY", .selangorPower, 380, weight: 4)
        good("chs-4u", "4U server chassis", nil, "8473.30", "MY", .selangorPower, 900, weight: 2)
        good("fan-120", "120 mm cooling fan", nil, "8414.59", "CN", nil, 9, weight: 4)
        good("rack-42u", "42U server rack", nil, "9403.20", "CN", nil, 1_200, weight: 1.5)
        good("rj45-jack", "RJ45 modular jack", nil, "8536.69", "CN", nil, 1, weight: 3)
        good("pcb-blank", "Bare printed circuit board", nil, "8534.00", "TW", nil, 25, weight: 3)
        good("ups-10k", "10 kVA UPS", nil, "8504.40", "CN", nil, 3_500, weight: 1)
        good("hsink-cu", "Copper heat sink", nil, "7616.99", "MY", nil, 18, weight: 2)
        good("riser-x16", "PCIe x16 riser card", nil, "8473.30", "TW", .kansaiParts, 35, weight: 2)
        good("batt-li", "Lithium-ion battery pack", nil, "8507.60", "CN", nil, 55, weight: 3)
        good("cable-tie", "Nylon cable ties, 1000 pcs", nil, "3926.90", "CN", nil, 8, weight: 2)

        func tool(_ id: String, _ d: String, _ eccn: String, _ maker: Anchor, _ value: Int) {
            a.append(CatalogueItem(id: id, description: d, eccn: eccn, hsCode: eccn.hasPrefix("3B001") ? "8486.20" : "9031.41",
                                   origin: "US", maker: maker, unitValue: value, kind: .tool, weight: 1))
        }
        tool("ce-7000", "CE-7000 plasma etch system", "3B001.c", .cascadeEtch, 4_500_000)
        tool("ce-9000", "CE-9000 atomic-layer etch system", "3B001.c", .cascadeEtch, 6_200_000)
        tool("wt-900", "WT-900 wafer test system", "3B991", .lumenTools, 1_800_000)

        // Scheme-only servers of FS-AX9 dies built in Thailand and Vietnam by makers the data does not name
        // (an empty maker in items.csv): weight 0, and left out of ``controlled``, so background traffic never
        // ships them. Only ts-ax9-8d has a provenance row (a direct product of U.S. 4E001 technology).
        server("ts-ax9-8", "TS-A8 8-accelerator server (8 x FS-AX9), Thai-built", nil, "TH", 90_000, tpp: 65_536, weight: 0)
        server("ts-ax9-8d", "TS-A8D 8-accelerator server (8 x FS-AX9), Thai-built to U.S. technology", nil, "TH", 90_000,
               tpp: 65_536, weight: 0)
        server("vn-ax9-8", "VN-A8 8-accelerator server (8 x FS-AX9), Vietnam-built", nil, "VN", 90_000, tpp: 65_536, weight: 0)
        return a
    }()

    static func index(_ id: String) -> Int {
        guard let i = items.firstIndex(where: { $0.id == id }) else { preconditionFailure("no item \(id)") }
        return i
    }

    /// Bills of materials: (assembly, component, units, unit value in this assembly).
    static let components: [(String, String, Int, Int?)] = {
        var rows: [(String, String, Int, Int?)] = []
        let servers: [(String, String, Int)] = [
            ("dx-h100-8", "vg-h100-sxm", 25_000), ("sm-h200-8", "vg-h200-sxm", 32_000), ("pn-h100-8", "vg-h100-sxm", 25_000),
            ("pn-a100-8", "vg-a100-sxm", 12_000), ("kc-b200-8", "vg-b200", 40_000), ("kc-mi300x-8", "rm-mi300x", 15_000),
            ("hr-h200-8", "vg-h200-sxm", 32_000), ("hr-gaudi3-8", "iq-gaudi3", 15_000), ("tc-h100-8", "vg-h100-sxm", 25_000),
            ("tc-ax9-8", "fs-ax9", 6_000),
            // Scheme-only servers (after the tools in ``items``).
            ("ts-ax9-8", "fs-ax9", 6_000), ("ts-ax9-8d", "fs-ax9", 6_000), ("vn-ax9-8", "fs-ax9", 6_000),
        ]
        for (server, gpu, value) in servers {
            rows.append((server, gpu, 8, value))
            rows.append((server, "mem-ddr5-64g", 32, nil))
            rows.append((server, "ssd-3t8", 8, nil))
            rows.append((server, "dac-400g", 8, nil))
            rows.append((server, "psu-3kw", 4, nil))
            rows.append((server, "chs-4u", 1, nil))
        }
        return rows
    }()

    /// For each chip, the Malaysian servers that hold it (the server-conversion scheme's assembler is in MY).
    static func malaysianServer(holding chip: Int) -> Int? {
        let chipID = items[chip].id
        for (assembly, component, _, _) in components where component == chipID {
            let s = index(assembly)
            if items[s].origin == "MY" { return s }
        }
        return nil
    }

    /// Technology and software the foundry's die, the tools and one Thai server are direct products of.
    static let provenance: [(String, ProvenanceKind, String, String)] = [
        ("fs-ax9", .technology, "3E001", "US"),
        ("ce-7000", .technology, "3E001", "US"), ("ce-7000", .software, "3D001", "US"),
        ("ce-9000", .technology, "3E001", "US"),
        ("wt-900", .technology, "3E001", "US"),
        ("ts-ax9-8d", .technology, "4E001", "US"),
    ]

    /// The foundry's plant: (tool, how many).
    static let foundryEquipment: [(String, Int)] = [("ce-7000", 40), ("ce-9000", 24), ("wt-900", 18)]

    /// Controlled items of background trade (and of the schemes that draw from it). NB: the scheme-only
    /// servers (weight 0) are left out explicitly rather than trusted to a zero weight, and since they come
    /// after every other item, ``controlledChoice`` picks for a seed are what they were before them.
    static let controlled = items.indices.filter { items[$0].kind.isControlled && items[$0].weight > 0 }
    static let controlledChoice = WeightedChoice(controlled.map { items[$0].weight })
    static let other = items.indices.filter { items[$0].kind == .ear99 || items[$0].kind == .unclassified }
    static let otherChoice = WeightedChoice(other.map { items[$0].weight })
    static let tools = items.indices.filter { items[$0].kind == .tool }
    static let ear99 = items.indices.filter { items[$0].kind == .ear99 }

    /// Chips that schemes move (the busiest models and the Taiwan die), with weights.
    static let schemeChips: [(String, Double)] = [
        ("vg-h100-sxm", 8), ("vg-h200-sxm", 4), ("vg-b200", 3), ("vg-a100-sxm", 3), ("rm-mi300x", 2), ("vg-h100-pcie", 2),
        ("iq-gaudi3", 1), ("fs-ax9", 1.5),
    ]
}
