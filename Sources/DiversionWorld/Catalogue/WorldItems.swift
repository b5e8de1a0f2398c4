import DiversionGraph

/// The items of one world: the fixed catalogue (``ItemCatalogue``), then the shape's extra items, with the
/// lists background traffic draws from.
///
/// Extra items are background goods only: EAR99 and unclassified goods, and (one in twenty) controlled
/// variants of the catalogue's background chips and servers under fresh ids, made by the same anchors, the
/// servers holding the same catalogue chips. Injected schemes and decoys keep to the catalogue (they use
/// ``ItemCatalogue`` indices, which the extras, appended after it, do not move), so the ground truth means
/// what it did.
///
/// NB: with no extra items and short text, every list here is the catalogue's own, so a default world
/// draws exactly as it did before shapes existed.
///
/// - Complexity: O(items) to build.
struct WorldItems {
    let items: [CatalogueItem]
    /// Bills of materials: the catalogue's, then the server variants' (copies of their base server's).
    let components: [(String, String, Int, Int?)]
    /// Controlled items of background trade, and their weights.
    let controlled: [Int]
    let controlledChoice: WeightedChoice
    /// EAR99 and unclassified items of background trade, and their weights.
    let other: [Int]
    let otherChoice: WeightedChoice
    /// Items from `ItemCatalogue.items.count` on are extra.
    var catalogueCount: Int { ItemCatalogue.items.count }

    /// One extra item in this many is a controlled variant.
    static let controlledVariantEvery = 20

    init(_ configuration: WorldConfiguration) {
        let shape = configuration.shape
        guard shape.extraItems > 0 || shape.longText else {
            items = ItemCatalogue.items
            components = ItemCatalogue.components
            controlled = ItemCatalogue.controlled
            controlledChoice = ItemCatalogue.controlledChoice
            other = ItemCatalogue.other
            otherChoice = ItemCatalogue.otherChoice
            return
        }
        var r = SeededRandom(seed: configuration.seed, stream: WorldGenerator.Stream.items.rawValue)
        var items = ItemCatalogue.items
        var components = ItemCatalogue.components
        var controlled = ItemCatalogue.controlled
        var controlledWeights = ItemCatalogue.controlled.map { items[$0].weight }
        var other = ItemCatalogue.other
        var otherWeights = ItemCatalogue.other.map { items[$0].weight }

        let variants = shape.extraItems / WorldItems.controlledVariantEvery
        let plain = shape.extraItems - variants
        let width = max(5, String(shape.extraItems).count)
        // Variants: the catalogue's background chips and servers in turn, the variants of a base sharing half
        // its weight, so that (once every base has some) variants carry a third of the controlled trade.
        let bases = ItemCatalogue.controlled
        for k in 0..<variants {
            let base = items[bases[k % bases.count]]
            let perBase = variants / bases.count + (k % bases.count < variants % bases.count ? 1 : 0)
            let value = max(1, base.unitValue * r.int(in: 90...110) / 100)
            let id = base.id + "-v" + zeroPadded(k + 1, width)
            items.append(CatalogueItem(id: id, description: base.description + ", OEM variant " + zeroPadded(k + 1, width),
                                       eccn: base.eccn, hsCode: base.hsCode, origin: base.origin, maker: base.maker,
                                       unitValue: value, tpp: base.tpp, tops: base.tops, bitLength: base.bitLength,
                                       dieArea: base.dieArea, interconnect: base.interconnect, kind: base.kind,
                                       weight: base.weight * 0.5 / Double(max(1, perBase))))
            controlled.append(items.count - 1)
            controlledWeights.append(items[items.count - 1].weight)
            for row in ItemCatalogue.components where row.0 == base.id { components.append((id, row.1, row.2, row.3)) }
        }
        // Plain goods: Zipf-like weights (a few busy lines, a long tail) that together carry as much of the
        // other trade as the catalogue's own EAR99 and unclassified goods.
        let catalogueOther = otherWeights.reduce(0, +)
        var harmonic = 0.0
        for k in 0..<plain { harmonic += 1 / Double(k + 10) }
        for k in 0..<plain {
            let t = WorldItems.templates[r.below(WorldItems.templates.count)]
            let classified = r.chance(0.6)
            let maker: Anchor? = r.chance(0.3) ? r.element(WorldItems.extraMakers) : nil
            let model = WorldItems.brands[r.below(WorldItems.brands.count)] + " " + t.noun + " "
                + String(UnicodeScalar(UInt8(0x41 + r.below(26)))) + String(UnicodeScalar(UInt8(0x41 + r.below(26))))
                + "-" + String(r.int(in: 100...9_999))
            items.append(CatalogueItem(id: t.prefix + "-x" + zeroPadded(k + 1, width), description: model,
                                       eccn: classified ? "EAR99" : nil, hsCode: t.hsCode,
                                       origin: r.element(WorldItems.origins), maker: maker,
                                       unitValue: r.logUniform(t.low, t.high), kind: classified ? .ear99 : .unclassified,
                                       weight: catalogueOther / harmonic / Double(k + 10)))
            other.append(items.count - 1)
            otherWeights.append(items[items.count - 1].weight)
        }
        if shape.longText {
            for i in items.indices { items[i].description = WorldItems.longDescription(items[i].description, &r) }
        }
        self.items = items
        self.components = components
        self.controlled = controlled
        controlledChoice = WeightedChoice(controlledWeights)
        self.other = other
        otherChoice = WeightedChoice(otherWeights)
    }

    /// `short` followed by catalogue and packing phrases, 100 to 250 characters in all (a comma before each
    /// phrase, and a quoted marking in some, so the cell needs RFC 4180 quoting).
    static func longDescription(_ short: String, _ r: inout SeededRandom) -> String {
        let target = r.int(in: 100...250)
        var text = short
        var used = Set<Int>()
        for _ in 0..<40 where text.utf8.count < target {
            let k = r.below(phrases.count)
            if used.contains(k) || text.utf8.count + 2 + phrases[k].utf8.count > 250 { continue }
            used.insert(k)
            text += ", " + phrases[k]
        }
        while text.utf8.count < 100 { text += ", lot " + String(r.int(in: 1_000...9_999)) }
        return text
    }

    private static let phrases = [
        "for data-centre use", "RoHS compliant", "lead-free", "country of origin marked on each unit",
        "packed 8 per carton, 12 cartons per pallet", "includes mounting hardware and quick-start guide",
        "36-month limited warranty", "firmware revision 2.4.1", "operating temperature 0 to 45 C", "net weight 1.8 kg",
        "parts and accessories of automatic data processing machines", "shipped in anti-static bags",
        "serial numbers on the attached packing list", "tariff heading as declared by the shipper",
        "not for resale outside the declared territory", "model year 2024", "new, factory sealed",
        "cartons labelled \"THIS SIDE UP\"", "sample quantity for qualification", "replacement part, field service stock",
        "export packing, seaworthy crates", "as per purchase order and pro-forma invoice", "colour: black",
        "rev. B, engineering change notice applied", "marked \"FRAGILE\" on every side",
    ]

    private static let templates: [(prefix: String, noun: String, hsCode: String, low: Int, high: Int)] = [
        ("cab", "cable assembly", "8544.42", 2, 400), ("mem", "memory module", "8542.32", 20, 600),
        ("lt", "notebook computer", "8471.30", 300, 3_000), ("mon", "LCD monitor", "8528.52", 80, 1_200),
        ("sw", "network switch", "8517.62", 50, 4_000), ("psu", "power supply unit", "8504.40", 20, 900),
        ("fan", "cooling fan", "8414.59", 2, 80), ("pcb", "printed circuit board", "8534.00", 3, 300),
        ("bat", "battery pack", "8507.60", 10, 400), ("con", "connector", "8536.69", 1, 30),
        ("hsk", "heat sink", "7616.99", 3, 120), ("rck", "rack enclosure", "9403.20", 200, 3_000),
        ("kbd", "keyboard", "8471.60", 5, 150), ("prn", "printer", "8443.32", 60, 2_500),
        ("ssd", "solid-state drive", "8523.51", 30, 1_500), ("chs", "server chassis", "8473.30", 100, 2_000),
        ("ups", "uninterruptible power supply", "8504.40", 150, 6_000), ("tie", "cable ties", "3926.90", 1, 20),
    ]

    private static let brands = [
        "Nimbus", "Kestrel", "Orbit", "Vanta", "Helix", "Corvid", "Tessel", "Quill", "Arden", "Borealis", "Cinder",
        "Dune", "Fable", "Gale", "Harbor", "Iris", "Juniper", "Kite", "Loom", "Mesa",
    ]

    private static let origins = ["CN", "CN", "CN", "TW", "KR", "MY", "VN", "JP", "TH", "MX", "DE", "US"]

    /// Anchors that make ordinary goods (never a chip designer, the foundry or a tool maker).
    private static let extraMakers: [Anchor] = [.hanbitMemory, .brightlinkCable, .orientComputer, .keelungNotebook,
                                                .selangorPower, .kansaiParts]
}
