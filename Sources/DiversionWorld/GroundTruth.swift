/// What was injected into a world: the diversion schemes a search must find (each as a violation on a
/// named hop, or as a lead) and the decoys it must not.
///
/// Written next to the CSV tables as `ground-truth.json` (sorted keys; a nil field is left out). Shipment
/// and party ids are the ones in the tables.
public struct GroundTruth: Sendable, Codable, Equatable {
    /// One diversion path ending at one Tier-3 party, and what the analysis must report for it.
    public struct Scheme: Sendable, Codable, Equatable {
        public var id: String
        /// `hub-and-spoke`, `long-chain`, `server-conversion`, `ownership-disguised`, `listed-consignee`,
        /// `direct`, `foreign-server` or `reseller-server` (see ``SchemeShape``).
        public var shape: String
        /// The chain, in order: each hop leaves from the previous hop's consignee.
        public var shipments: [String]
        /// The consignee of the last shipment.
        public var finalParty: String
        /// Why the final party is a Tier-3 party: `country`, `headquarters`, `ownership` or `entity-list`.
        public var tier3Reason: String
        /// `violation` (some hop is subject to the EAR and needed a licence) or `lead` (no hop is established
        /// as subject to the EAR, and the answer hangs on a fact the data lacks, such as the provenance of a
        /// foreign-made server): see ``SchemeExpectation``.
        public var expect: String
        /// For a violation, the hop (0-based index into ``shipments``) the analysis must name as carrying
        /// it: the last hop, except for a `foreign-server` whose server has no provenance recorded (hop 0,
        /// the chips on their way to be built in) and a `reseller-server` leaving the United States (hop 0,
        /// an export from the United States). Nil (and absent from the file) for a lead or a `subject` path.
        public var violationHop: Int?

        public init(id: String, shape: String, shipments: [String], finalParty: String, tier3Reason: String,
                    expect: String, violationHop: Int?) {
            self.id = id; self.shape = shape; self.shipments = shipments; self.finalParty = finalParty
            self.tier3Reason = tier3Reason; self.expect = expect; self.violationHop = violationHop
        }

        /// Decodes a scheme. NB: files written before `expect` and `violationHop` existed held violations
        /// carried by their last hop only, and read as such.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            shape = try c.decode(String.self, forKey: .shape)
            shipments = try c.decode([String].self, forKey: .shipments)
            finalParty = try c.decode(String.self, forKey: .finalParty)
            tier3Reason = try c.decode(String.self, forKey: .tier3Reason)
            let written = try c.decodeIfPresent(String.self, forKey: .expect)
            expect = written ?? SchemeExpectation.violation.rawValue
            violationHop = try c.decodeIfPresent(Int.self, forKey: .violationHop)
                ?? (written == nil ? shipments.count - 1 : nil)
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
    /// The world's shape (``WorldShape/name``; not a scheme's ``Scheme/shape``); nil (and absent from the
    /// file) for the default shape, so that default worlds' files are what they were before shapes existed.
    public var worldShape: String?
    public var shipments: Int
    public var entities: Int
    /// Rows of `items.csv`; nil (and absent) for the default shape.
    public var items: Int?
    public var schemes: [Scheme]
    public var decoys: [Decoy]

    public init(seed: UInt64, profile: String, worldShape: String? = nil, shipments: Int, entities: Int, items: Int? = nil,
                schemes: [Scheme], decoys: [Decoy]) {
        self.seed = seed; self.profile = profile; self.worldShape = worldShape; self.shipments = shipments; self.entities = entities
        self.items = items; self.schemes = schemes; self.decoys = decoys
    }
}

/// The names used in ``GroundTruth``.
public enum SchemeShape: String, Sendable, CaseIterable {
    /// A Tier-2 hub forwards chips to several Tier-3 buyers (one scheme per buyer).
    case hubAndSpoke = "hub-and-spoke"
    /// Four to six hops through Tier-2 intermediaries.
    case longChain = "long-chain"
    /// Chips built into servers at a Malaysian assembler and sent on.
    case serverConversion = "server-conversion"
    /// The buyer is owned 60% by Chinese or Hong Kong parents.
    case ownershipDisguised = "ownership-disguised"
    /// The buyer is on the Entity List in a Tier-2 country.
    case listedConsignee = "listed-consignee"
    /// U.S. chips straight to China.
    case direct
    /// A Taiwan-made die (a direct product of U.S. technology) built into a foreign-made server in
    /// Thailand and sent on; a violation on hop 0 or, when the server's provenance is recorded, the last.
    case foreignServer = "foreign-server"
    /// Vietnam-built servers of a U.S.-headquartered reseller re-exported through Tier-2 chains: a
    /// violation on hop 0 from the United States, a lead from Mexico.
    case resellerServer = "reseller-server"
}

/// What the analysis must report for a scheme: its `expect` in ``GroundTruth/Scheme``.
public enum SchemeExpectation: String, Sendable, CaseIterable {
    /// A diversion alert naming the scheme's violation hop.
    case violation
    /// A `diversion-lead` alert: nothing on the path is established as subject to the EAR.
    case lead
    /// A `diversion-path` alert with no violation hop: the goods are subject to the EAR and reach a Tier-3
    /// party (by aggregate ownership), but the rules as modelled require no license (two 30% holdings leave
    /// the buyer with no ultimate parent for the headquarters rule).
    case subject
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
