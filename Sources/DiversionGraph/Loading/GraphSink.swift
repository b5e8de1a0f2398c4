/// A shipment row whose references are resolved to dense indices (entities and items numbered from 0 in
/// the order they were loaded).
public struct ShipmentRow: Sendable, Hashable {
    public var id: String
    public var date: Day
    public var from: Int32
    public var to: Int32
    public var item: Int32
    public var quantity: Double
    public var value: Double?
    public var declaredEndUser: Int32?
    public var license: String?
    public var reference: String?

    public init(id: String, date: Day, from: Int32, to: Int32, item: Int32, quantity: Double, value: Double? = nil,
                declaredEndUser: Int32? = nil, license: String? = nil, reference: String? = nil) {
        self.id = id; self.date = date; self.from = from; self.to = to; self.item = item; self.quantity = quantity
        self.value = value; self.declaredEndUser = declaredEndUser; self.license = license; self.reference = reference
    }
}

/// Receives a graph's rows from a loader, table by table in ``GraphTable/loadOrder``.
///
/// The loader validates every row before it hands it on, and stops handing rows on at the first problem:
/// a sink that stored anything must discard it when ``GraphLoader/load(path:into:)`` throws (the store
/// does so by rolling its transaction back). Entities and items are numbered from 0 in the order the sink
/// receives them; later rows refer to them by those numbers.
public protocol GraphSink {
    mutating func begin(name: String?) throws
    mutating func add(entity: Entity) throws
    /// Adds a batch of entity rows; by default one ``add(entity:)`` call per row.
    mutating func add(entities batch: EntityBatch) throws
    /// Adds every batch of a table read in bulk, in order; by default one ``add(entities:)`` call per batch.
    mutating func add(entityBatches batches: [EntityBatch]) throws
    mutating func add(item: Item, maker: Int32?) throws
    mutating func add(ownership: Ownership, owner: Int32, owned: Int32) throws
    mutating func add(listing: Listing, entity: Int32) throws
    mutating func add(component: Component, assembly: Int32, part: Int32) throws
    mutating func add(provenance: Provenance, item: Int32) throws
    mutating func add(equipment: Equipment, plant: Int32, item: Int32) throws
    mutating func add(shipment: ShipmentRow) throws
    /// Adds a batch of shipment rows; by default one ``add(shipment:)`` call per row.
    mutating func add(shipments batch: ShipmentBatch) throws
    /// Whether the sink takes a shipments table read in bulk as whole columns (``add(shipmentColumns:)``),
    /// which is faster and lighter than batches; by default false.
    var takesShipmentColumns: Bool { get }
    /// Adds a whole shipments table; by default one ``add(shipment:)`` call per row.
    mutating func add(shipmentColumns: ShipmentColumns) throws
    /// The items whose shipments the sink keeps (by item id), asked once items and bills of materials are in,
    /// before a shipments table read in bulk; `nil` (the default) keeps every shipment. The loader still
    /// checks every row; it hands over only the rows kept (``add(shipmentColumns:omitting:)``).
    var keptShipmentItems: [Bool]? { get }
    /// Whether the sink holds every shipment it is given (no ``keptShipmentItems``); by default true.
    var holdsEveryShipment: Bool { get }
    /// Adds the rows kept of a whole shipments table, with what the rows read, checked and not kept tell;
    /// by default ``add(shipmentColumns:)``.
    mutating func add(shipmentColumns: ShipmentColumns, omitting omitted: OmittedShipments) throws
    /// Tells the sink that the loader will hand over its own table of entity identifiers, numbered as the
    /// entities arrive, when the load succeeds (``adopt(entityIDs:)``), so that the sink need not build one;
    /// by default nothing.
    mutating func willAdoptEntityIDs()
    /// The loader's entity identifier table, after the last row; by default ignored.
    mutating func adopt(entityIDs: IdTable)
    mutating func finish() throws
}

/// Collects a loaded graph as a ``GraphDocument`` (for small graphs, tests and the JSON writer).
public struct DocumentSink: GraphSink {
    public private(set) var document = GraphDocument()
    /// Whether a shipments table read in bulk comes as columns (then added row by row) rather than in batches.
    public var takesShipmentColumns = false
    private var entityIDs: [String] = []
    private var itemIDs: [String] = []

    public init() {}

    public mutating func begin(name: String?) { document.name = name }
    public mutating func add(entity: Entity) { entityIDs.append(entity.id); document.entities.append(entity) }
    public mutating func add(item: Item, maker: Int32?) { itemIDs.append(item.id); document.items.append(item) }
    public mutating func add(ownership: Ownership, owner: Int32, owned: Int32) { document.ownership.append(ownership) }
    public mutating func add(listing: Listing, entity: Int32) { document.listings.append(listing) }
    public mutating func add(component: Component, assembly: Int32, part: Int32) { document.components.append(component) }
    public mutating func add(provenance: Provenance, item: Int32) { document.provenance.append(provenance) }
    public mutating func add(equipment: Equipment, plant: Int32, item: Int32) { document.equipment.append(equipment) }
    public mutating func add(shipment s: ShipmentRow) {
        document.shipments.append(Shipment(
            id: s.id, date: s.date, from: entityIDs[Int(s.from)], to: entityIDs[Int(s.to)], item: itemIDs[Int(s.item)],
            quantity: s.quantity, value: s.value, declaredEndUser: s.declaredEndUser.map { entityIDs[Int($0)] },
            license: s.license, reference: s.reference))
    }
    public mutating func finish() {}
}

/// Progress of a long load, for a progress display.
public struct LoadProgress: Sendable {
    public var table: GraphTable
    public var rows: Int
    public var bytesRead: Int64
    public var totalBytes: Int64?
}

/// Counts of what a load read.
public struct LoadSummary: Sendable, Hashable {
    public var name: String?
    public var rows: [GraphTable: Int] = [:]
    public var dateRange: ClosedRange<Day>?
}
