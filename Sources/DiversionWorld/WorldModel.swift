import DiversionGraph

/// The days a world spans: shipments fall between 2023-01-01 and 2025-12-31.
enum WorldCalendar {
    static let first = Day(year: 2023, month: 1, day: 1)!.rawValue
    static let last = Day(year: 2025, month: 12, day: 31)!.rawValue
    static var span: Int32 { last - first + 1 }
}

/// Everything about a world except its background shipments, which are streamed: parties, holdings,
/// listings, the party pools background traffic draws from, and the injected schemes and decoys.
final class WorldModel {
    let configuration: WorldConfiguration
    let schemeCount: Int
    let decoyCount: Int
    /// Parties 0..<backgroundCount are background parties; those after are fresh scheme and decoy parties.
    let backgroundCount: Int
    let hubRange: Range<Int32>
    /// The items of the world: the catalogue, then the shape's extra items.
    let items: WorldItems
    var parties = PartyTable()
    var holdings: [Holding] = []
    var listings: [ListingEntry] = []

    // Background pools, filled by `buildPools()`; each is in random order so that a power-law rank does
    // not follow the party number.
    /// Clean Tier-1/Tier-2 distributors, resellers, forwarders and assemblers.
    var controlledShippers: [Int32] = []
    /// Clean Tier-1/Tier-2 parties that may receive controlled goods.
    var controlledConsignees: [Int32] = []
    /// Clean Tier-1 parties among the shippers (dense profile: supply into the hubs).
    var tier1Shippers: [Int32] = []
    /// Clean fabs for tools.
    var fabs: [Int32] = []

    static let anchorCount = Anchor.allCases.count

    init(_ configuration: WorldConfiguration) {
        self.configuration = configuration
        let n = configuration.shipments
        schemeCount = min(2_000, max(10, n / 20_000))
        decoyCount = schemeCount
        backgroundCount = max(60, n / configuration.shape.shipmentsPerEntity - 4 * (schemeCount + decoyCount))
        // NB: the dense profile's hubs are counted from the parties a default-shaped world would have (one
        // per 5,000 shipments), not from this world's: fewer parties per shipment make the other parties
        // busier, not the hub structure (how many hubs share the controlled trade) different.
        let defaultBackground = max(60, n / WorldShape.default.shipmentsPerEntity - 4 * (schemeCount + decoyCount))
        let hubCount = configuration.profile == .dense ? min(2_000, max(8, defaultBackground / 500), max(8, backgroundCount / 5))
            : 0
        let a = Int32(WorldModel.anchorCount)
        hubRange = a..<(a + Int32(hubCount))
        items = WorldItems(configuration)
    }

    var isDense: Bool { configuration.profile == .dense }
}
