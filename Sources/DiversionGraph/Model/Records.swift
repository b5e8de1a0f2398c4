/// The rows of a shipment graph, as the interchange format defines them (`Graphs/FORMAT.md`).
///
/// These are the plain values a loader produces and a writer consumes. Analysis reads the compact
/// ``ShipmentGraph`` instead; these types favour clarity over size.

/// What a party does in the supply chain; it informs red flags (a forwarder as final consignee).
public enum PartyRole: String, Sendable, Hashable, Codable, CaseIterable {
    case designer, fab, assembler, distributor, forwarder, reseller, cloud
    case endUser = "end-user"
    case equipmentMaker = "equipment-maker"
    case other
}

/// A party or facility.
public struct Entity: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var country: CountryCode
    public var role: PartyRole?
    /// The headquarters country when it differs from `country`.
    public var headquarters: CountryCode?

    public init(id: String, name: String, country: CountryCode, role: PartyRole? = nil, headquarters: CountryCode? = nil) {
        self.id = id; self.name = name; self.country = country; self.role = role; self.headquarters = headquarters
    }
}

/// A holding of `share` (0 < share ≤ 1) of `owned` by `owner`, within `since`...`until`.
public struct Ownership: Sendable, Hashable, Codable {
    public var owner: String
    public var owned: String
    public var share: Double
    public var since: Day?
    public var until: Day?
    /// Set when the holding comes to this party through an entity-resolution match (a screening-list or
    /// OpenSanctions entry taken to be this party): the match in words. Not part of the interchange format.
    public var via: String?

    public init(owner: String, owned: String, share: Double, since: Day? = nil, until: Day? = nil, via: String? = nil) {
        self.owner = owner; self.owned = owned; self.share = share; self.since = since; self.until = until; self.via = via
    }
}

/// A screening-list entry such as the Entity List (with its footnote).
public struct Listing: Sendable, Hashable, Codable {
    public var entity: String
    public var list: String
    public var footnote: Int?
    public var since: Day?
    public var until: Day?
    /// Set when the listing comes to this party through an entity-resolution match: the match in words
    /// ("match M-1a2b3c: \"SHENZHEN TIANYU AI COMPUTING CO LTD\" is the list entry \"Shenzhen Tianyu AI Computing
    /// Co., Ltd.\", score 0.97, accepted"). Not part of the interchange format.
    public var via: String?

    public init(entity: String, list: String, footnote: Int? = nil, since: Day? = nil, until: Day? = nil, via: String? = nil) {
        self.entity = entity; self.list = list; self.footnote = footnote; self.since = since; self.until = until; self.via = via
    }
}

/// A kind of goods: its classification, origin, maker, value and chip figures.
public struct Item: Sendable, Hashable, Codable {
    public var id: String
    public var description: String?
    public var eccn: String?
    public var hsCode: String?
    public var origin: CountryCode
    public var maker: String?
    public var unitValue: Double?
    public var tpp: Double?
    public var tops: Double?
    public var bitLength: Double?
    public var dieAreaMM2: Double?
    /// Aggregate bidirectional chip-to-chip interconnect bandwidth in GB/s (the October 2022 3A090 test).
    public var interconnectGBps: Double?

    public init(
        id: String, description: String? = nil, eccn: String? = nil, hsCode: String? = nil, origin: CountryCode,
        maker: String? = nil, unitValue: Double? = nil, tpp: Double? = nil, tops: Double? = nil,
        bitLength: Double? = nil, dieAreaMM2: Double? = nil, interconnectGBps: Double? = nil
    ) {
        self.id = id; self.description = description; self.eccn = eccn; self.hsCode = hsCode; self.origin = origin
        self.maker = maker; self.unitValue = unitValue; self.tpp = tpp; self.tops = tops; self.bitLength = bitLength
        self.dieAreaMM2 = dieAreaMM2; self.interconnectGBps = interconnectGBps
    }
}

/// A bill-of-materials line: `quantity` units of `component` in one unit of `assembly`.
public struct Component: Sendable, Hashable, Codable {
    public var assembly: String
    public var component: String
    public var quantity: Double
    public var unitValue: Double?

    public init(assembly: String, component: String, quantity: Double, unitValue: Double? = nil) {
        self.assembly = assembly; self.component = component; self.quantity = quantity; self.unitValue = unitValue
    }
}

public enum ProvenanceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case technology, software
}

/// The technology or software an item is a direct product of (for the foreign-direct-product rules).
public struct Provenance: Sendable, Hashable, Codable {
    public var item: String
    public var kind: ProvenanceKind
    public var eccn: String
    public var origin: CountryCode

    public init(item: String, kind: ProvenanceKind, eccn: String, origin: CountryCode) {
        self.item = item; self.kind = kind; self.eccn = eccn; self.origin = origin
    }
}

/// A tool or piece of equipment that is part of a plant.
public struct Equipment: Sendable, Hashable, Codable {
    public var plant: String
    public var item: String
    public var quantity: Double?

    public init(plant: String, item: String, quantity: Double? = nil) {
        self.plant = plant; self.item = item; self.quantity = quantity
    }
}

/// A dated movement of goods from one party to another.
public struct Shipment: Sendable, Hashable, Codable {
    public var id: String
    public var date: Day
    public var from: String
    public var to: String
    public var item: String
    public var quantity: Double
    public var value: Double?
    public var declaredEndUser: String?
    public var license: String?
    public var reference: String?

    public init(
        id: String, date: Day, from: String, to: String, item: String, quantity: Double, value: Double? = nil,
        declaredEndUser: String? = nil, license: String? = nil, reference: String? = nil
    ) {
        self.id = id; self.date = date; self.from = from; self.to = to; self.item = item; self.quantity = quantity
        self.value = value; self.declaredEndUser = declaredEndUser; self.license = license; self.reference = reference
    }
}

/// A whole graph held as record arrays: what the JSON form holds, and what small graphs and tests use.
public struct GraphDocument: Sendable, Hashable {
    public var name: String?
    public var entities: [Entity] = []
    public var ownership: [Ownership] = []
    public var listings: [Listing] = []
    public var items: [Item] = []
    public var components: [Component] = []
    public var provenance: [Provenance] = []
    public var equipment: [Equipment] = []
    public var shipments: [Shipment] = []

    public init(name: String? = nil) { self.name = name }
}
