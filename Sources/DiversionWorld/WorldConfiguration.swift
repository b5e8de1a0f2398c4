/// How a synthetic world's trade is shaped.
public enum WorldProfile: String, Sendable, CaseIterable {
    /// About 3% of shipments carry controlled goods (3A090/4A090), spread over the whole network.
    case typical
    /// About 30% of shipments carry controlled goods, most of them through up to 2,000 large Tier-2 hub
    /// distributors (suppliers to hubs, hubs to customers, a little trade between hubs): millions of clean
    /// supplier-hub-customer chains for the path search to wade through.
    case dense
}

/// What to generate: the number of shipment rows, the seed, and the profile.
public struct WorldConfiguration: Sendable {
    /// Rows of `shipments.csv`, injected schemes and decoys included (1,000 to 50,000,000).
    public var shipments: Int
    public var seed: UInt64
    public var profile: WorldProfile

    public init(shipments: Int, seed: UInt64, profile: WorldProfile = .typical) {
        self.shipments = shipments
        self.seed = seed
        self.profile = profile
    }

    public static let shipmentRange = 1_000...50_000_000
}

/// Why a world could not be written.
public struct WorldGenerationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}
