/// The tables of the interchange format and their fields, in the order the format documents them.
///
/// Loaders, writers and the store all take field names from here, so the three can never disagree.
public enum GraphTable: String, Sendable, CaseIterable {
    case entities, ownership, listings, items, components, provenance, equipment, shipments

    /// Tables in the order they must be read: every table refers only to tables before it.
    public static let loadOrder: [GraphTable] = [
        .entities, .items, .ownership, .listings, .components, .provenance, .equipment, .shipments,
    ]

    public var fileName: String { rawValue + ".csv" }

    /// Field names in the documented order (the CSV header order the writers use).
    public var fields: [String] {
        switch self {
        case .entities: return ["id", "name", "country", "role", "headquarters"]
        case .ownership: return ["owner", "owned", "share", "since", "until"]
        case .listings: return ["entity", "list", "footnote", "since", "until"]
        case .items:
            return ["id", "description", "eccn", "hs_code", "origin", "maker", "unit_value", "tpp", "tops",
                    "bit_length", "die_area_mm2", "interconnect_gbps"]
        case .components: return ["assembly", "component", "quantity", "unit_value"]
        case .provenance: return ["item", "kind", "eccn", "origin"]
        case .equipment: return ["plant", "item", "quantity"]
        case .shipments:
            return ["id", "date", "from", "to", "item", "quantity", "value", "declared_end_user", "license",
                    "reference"]
        }
    }

    public var requiredFields: Set<String> {
        switch self {
        case .entities: return ["id", "name", "country"]
        case .ownership: return ["owner", "owned", "share"]
        case .listings: return ["entity", "list"]
        case .items: return ["id", "origin"]
        case .components: return ["assembly", "component", "quantity"]
        case .provenance: return ["item", "kind", "eccn", "origin"]
        case .equipment: return ["plant", "item"]
        case .shipments: return ["id", "date", "from", "to", "item", "quantity"]
        }
    }
}
