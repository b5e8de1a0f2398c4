/// What was injected into a world: the diversion schemes a search must find and the decoys it must not.
///
/// Written next to the CSV tables as `ground-truth.json` (sorted keys). Shipment and party ids are the ones
/// in the tables.
public struct GroundTruth: Sendable, Codable, Equatable {
    /// One diversion path ending at one Tier-3 party.
    public struct Scheme: Sendable, Codable, Equatable {
        public var id: String
        /// `hub-and-spoke`, `long-chain`, `server-conversion`, `ownership-disguised`, `listed-consignee` or `direct`.
        public var shape: String
        /// The chain, in order: each hop leaves from the previous hop's consignee.
        public var shipments: [String]
        /// The consignee of the last shipment.
        public var finalParty: String
        /// Why the final party is a Tier-3 party: `country`, `headquarters`, `ownership` or `entity-list`.
        public var tier3Reason: String

        public init(id: String, shape: String, shipments: [String], finalParty: String, tier3Reason: String) {
            self.id = id; self.shape = shape; self.shipments = shipments; self.finalParty = finalParty
            self.tier3Reason = tier3Reason
        }
    }

    /// A chain that looks like a scheme but breaks exactly one condition.
    public struct Decoy: Sendable, Codable, Equatable {
        public var id: String
        /// `tier2-final`, `gap-over-window`, `back-in-time`, `uncontrolled-item` or `no-traced-quantity`.
        public var breaks: String
        public var shipments: [String]

        public init(id: String, breaks: String, shipments: [String]) {
            self.id = id; self.breaks = breaks; self.shipments = shipments
        }
    }

    public var seed: UInt64
    public var profile: String
    public var shipments: Int
    public var entities: Int
    public var schemes: [Scheme]
    public var decoys: [Decoy]

    public init(seed: UInt64, profile: String, shipments: Int, entities: Int, schemes: [Scheme], decoys: [Decoy]) {
        self.seed = seed; self.profile = profile; self.shipments = shipments; self.entities = entities
        self.schemes = schemes; self.decoys = decoys
    }
}

/// The names used in ``GroundTruth``.
public enum SchemeShape: String, Sendable, CaseIterable {
    case hubAndSpoke = "hub-and-spoke"
    case longChain = "long-chain"
    case serverConversion = "server-conversion"
    case ownershipDisguised = "ownership-disguised"
    case listedConsignee = "listed-consignee"
    case direct
}

public enum DecoyBreak: String, Sendable, CaseIterable {
    case tier2Final = "tier2-final"
    case gapOverWindow = "gap-over-window"
    case backInTime = "back-in-time"
    case uncontrolledItem = "uncontrolled-item"
    case noTracedQuantity = "no-traced-quantity"
}

public enum Tier3Cause: String, Sendable, CaseIterable {
    case country, headquarters, ownership
    case entityList = "entity-list"
}
