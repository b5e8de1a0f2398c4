/// How a synthetic world's trade is shaped.
public enum WorldProfile: String, Sendable, CaseIterable {
    /// About 3% of shipments carry controlled goods (3A090/4A090), spread over the whole network.
    case typical
    /// About 30% of shipments carry controlled goods, most of them through up to 2,000 large Tier-2 hub
    /// distributors (suppliers to hubs, hubs to customers, a little trade between hubs): millions of clean
    /// supplier-hub-customer chains for the path search to wade through.
    case dense
}

/// What a world's tables look like, as opposed to what its trade is (``WorldProfile``): how many parties
/// share the shipments, how many kinds of goods there are, how long the text is, how many optional cells
/// are filled, and whether rows come in date order.
///
/// The default is the shape every world had before shapes existed, byte for byte. Real extracts have other
/// shapes (a quarter of a million parties for ten million shipments, thousands of items, long names with
/// addresses in them, half-empty optional columns, rows in no order), and a benchmark on one shape only
/// flatters it.
///
///     var shape = WorldShape.messy
///     shape.extraItems = 6_000
///     WorldConfiguration(shipments: 1_000_000, seed: 1, shape: shape)
public struct WorldShape: Sendable, Equatable {
    /// Shipments per background party: 10 (one party per 10 shipments, 1M parties at 10M) to 100. The
    /// issue's other world, 250,000 parties at 10M shipments, is 40.
    public var shipmentsPerEntity: Int
    /// Synthetic items added after the fixed catalogue (about 60 items): EAR99 and unclassified goods, and
    /// one in twenty a controlled variant of a catalogue chip or server under a fresh id. Background trade
    /// ships them; injected schemes and decoys keep to the catalogue.
    public var extraItems: Int
    /// Party names of 40 to 120 characters (the trading name followed by an address, with commas and
    /// sometimes a quoted alias, so that cells need RFC 4180 quoting) and item descriptions of 100 to 250
    /// characters. The interchange format has no address column: names and descriptions are its long text.
    public var longText: Bool
    /// About half of the optional cells left empty: a shipment's value, declared end user, reference and
    /// (background rows only) licence; a party's role; an item's description (and, for the extra items,
    /// HS code, maker and unit value).
    public var sparseOptional: Bool
    /// Rows of `shipments.csv` and `entities.csv` in a seeded random order instead of date and id order.
    public var shuffled: Bool
    /// Shipment references written as other tools write them, quoted with a comma inside
    /// (`"BL0001234567, ORIGINAL"`), so that a loader must take quoted cells in `shipments.csv`.
    public var quotedCells: Bool

    public init(shipmentsPerEntity: Int = 10, extraItems: Int = 0, longText: Bool = false, sparseOptional: Bool = false,
                shuffled: Bool = false, quotedCells: Bool = false) {
        self.shipmentsPerEntity = shipmentsPerEntity
        self.extraItems = extraItems
        self.longText = longText
        self.sparseOptional = sparseOptional
        self.shuffled = shuffled
        self.quotedCells = quotedCells
    }

    public static let shipmentsPerEntityRange = 10...100
    public static let extraItemsRange = 0...60_000

    /// Today's worlds: a party per 10 shipments, the catalogue's items, short text, filled cells, date order.
    public static let `default` = WorldShape()
    /// A party per 40 shipments, like the other world (250,000 parties at 10M shipments).
    public static let wide = WorldShape(shipmentsPerEntity: 40)
    /// 6,000 extra items (6,061 in all) and long names and descriptions.
    public static let catalogue = WorldShape(extraItems: 6_000, longText: true)
    /// A party per 100 shipments, long text, half-empty optional cells, quoted references, rows in random order.
    public static let messy = WorldShape(shipmentsPerEntity: 100, longText: true, sparseOptional: true, shuffled: true,
                                         quotedCells: true)

    /// The named shapes, as `--shape` takes them.
    public static let named: [(name: String, shape: WorldShape)] = [
        ("default", .default), ("wide", .wide), ("catalogue", .catalogue), ("messy", .messy),
    ]

    /// The shape called `name`, or nil.
    public init?(named name: String) {
        guard let found = WorldShape.named.first(where: { $0.name == name }) else { return nil }
        self = found.shape
    }

    /// The shape's name when it is a named one, else its options (`shipments-per-entity=40,long-text`).
    public var name: String {
        if let found = WorldShape.named.first(where: { $0.shape == self }) { return found.name }
        var parts = ["shipments-per-entity=\(shipmentsPerEntity)"]
        if extraItems > 0 { parts.append("extra-items=\(extraItems)") }
        if longText { parts.append("long-text") }
        if sparseOptional { parts.append("sparse-optional") }
        if shuffled { parts.append("shuffled") }
        if quotedCells { parts.append("quoted-cells") }
        return parts.joined(separator: ",")
    }
}

/// What to generate: the number of shipment rows, the seed, the profile and the shape.
public struct WorldConfiguration: Sendable {
    /// Rows of `shipments.csv`, injected schemes and decoys included (1,000 to 100,000,000).
    public var shipments: Int
    public var seed: UInt64
    public var profile: WorldProfile
    public var shape: WorldShape

    public init(shipments: Int, seed: UInt64, profile: WorldProfile = .typical, shape: WorldShape = .default) {
        self.shipments = shipments
        self.seed = seed
        self.profile = profile
        self.shape = shape
    }

    public static let shipmentRange = 1_000...100_000_000
}

/// Why a world could not be written.
public struct WorldGenerationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}
