/// The compact in-memory shipment graph that jurisdiction and path search read.
///
/// Parties, items and shipments have dense `Int32` ids. Shipments are stored once, in the order they were
/// added (a shipment's *position*), their attributes in parallel arrays; two CSR indexes list the positions
/// of each party's outgoing shipments (`outgoing(from:)`) and incoming shipments (`incoming(to:)`), each in
/// date order, and a third the positions of each item's shipments (`shipments(of:)`), so that a search for
/// watched goods reads only their rows. Bills of materials, provenance, equipment, ownership and listings are their own small CSR
/// structures.
///
/// Keeping the rows where they were read means building the graph sorts three lists of row numbers instead
/// of moving every column.
///
/// Memory: 32 to 44 bytes per shipment plus the identifier text and the sparse columns (see
/// ``bytesPerShipment``).
public struct ShipmentGraph: Sendable {
    public var name: String?

    // MARK: parties
    public internal(set) var entityIDs: IdTable
    /// Names by entity (not indexed), in the parts they were read in.
    public internal(set) var entityNames: TextParts
    public internal(set) var entityCountry: [CountryCode]
    /// The headquarters country; equal to `entityCountry` when the data gives none.
    public internal(set) var entityHeadquarters: [CountryCode]
    public internal(set) var entityRole: [PartyRole?]

    // MARK: items
    public internal(set) var itemIDs: IdTable
    public internal(set) var items: [Item]
    public internal(set) var itemMaker: [Int32]  // -1: unknown

    /// Bill of materials: `componentOffsets[a]..<componentOffsets[a+1]` index the parts of assembly `a`.
    public internal(set) var componentOffsets: [Int32]
    public internal(set) var componentPart: [Int32]
    public internal(set) var componentQuantity: [Double]
    /// Value of one part in this assembly; NaN when only the part's own `unitValue` is known.
    public internal(set) var componentUnitValue: [Double]

    public internal(set) var provenanceOffsets: [Int32]
    public internal(set) var provenance: [Provenance]

    /// Equipment by plant (entity): `equipmentOffsets[p]..<equipmentOffsets[p+1]`.
    public internal(set) var equipmentOffsets: [Int32]
    public internal(set) var equipmentItem: [Int32]

    /// Holdings by owned entity.
    public internal(set) var ownerOffsets: [Int32]
    public internal(set) var ownerEntity: [Int32]
    public internal(set) var ownerShare: [Double]
    public internal(set) var ownerWindow: [DayWindow]
    /// The match a holding came through (``Ownership/via``), for the few that did.
    public internal(set) var ownerVia: [String?]

    /// Listings by entity.
    public internal(set) var listingOffsets: [Int32]
    public internal(set) var listings: [Listing]

    // MARK: shipments (positions in the order added)
    /// Outgoing index: `outOffsets[e]..<outOffsets[e+1]` in `outPositions` are the positions of shipments
    /// from `e`, in date order.
    public internal(set) var outOffsets: [Int32]
    public internal(set) var outPositions: [Int32]
    public internal(set) var shipmentDay: DayColumn
    public internal(set) var shipmentTo: [Int32]
    /// The shipper of each position.
    public internal(set) var shipmentFrom: [Int32]
    public internal(set) var shipmentItem: IndexColumn
    public internal(set) var shipmentQuantity: NumberColumn
    /// Declared total value; NaN when not known.
    public internal(set) var shipmentValue: NumberColumn
    /// Identifiers by position (not indexed: ``shipment(named:)`` scans).
    public internal(set) var shipmentIDs: IdTable
    /// Incoming index: `inOffsets[e]..<inOffsets[e+1]` in `inPositions` are the positions of shipments to
    /// `e`, in date order.
    public internal(set) var inOffsets: [Int32]
    public internal(set) var inPositions: [Int32]
    /// Item index: `itemShipmentOffsets[i]..<itemShipmentOffsets[i+1]` in `itemShipmentPositions` are the
    /// positions of the shipments of item `i`, in position order (so a scan of an item's consignees reads
    /// `shipmentTo` forwards).
    public internal(set) var itemShipmentOffsets: [Int32]
    public internal(set) var itemShipmentPositions: [Int32]
    /// Sparse columns, sorted by position.
    public internal(set) var endUsers: SparseColumn<Int32>
    public internal(set) var licenses: SparseText
    public internal(set) var references: SparseText

    public var entityCount: Int { entityNames.count }
    public var itemCount: Int { items.count }
    public var shipmentCount: Int { shipmentDay.count }
    /// Shipments read and checked but not held, when the graph was loaded for one analysis that does not
    /// read them (``ShipmentGraph/load(path:keeping:progress:)``); 0 otherwise.
    public internal(set) var omitted = OmittedShipments()
    /// Every shipment the graph's source holds: those held and those omitted.
    public var shipmentsRead: Int { shipmentCount + omitted.count }

    /// The first day party `e` shipped or received anything (a shipment held or omitted); `nil` when never.
    public func firstShipmentDay(of e: Int32) -> Int32? {
        var first = entityIDs.withText(e) { omitted.firstDay(of: $0) } ?? .max
        if let k = incoming(to: e).first { first = min(first, shipmentDay[Int(inPositions[k])]) }
        if let s = outgoing(from: e).first { first = min(first, shipmentDay[s]) }
        return first == .max ? nil : first
    }

    // MARK: - Queries

    /// Positions of the shipments `entity` sent, in date order.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func outgoing(from entity: Int32) -> LazyMapCollection<ArraySlice<Int32>, Int> {
        outPositions[Int(outOffsets[Int(entity)])..<Int(outOffsets[Int(entity) + 1])].lazy.map { Int($0) }
    }

    /// Indices into ``inPositions`` of the shipments `entity` received, in date order.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func incoming(to entity: Int32) -> Range<Int> {
        Int(inOffsets[Int(entity)])..<Int(inOffsets[Int(entity) + 1])
    }

    /// Indices into ``itemShipmentPositions`` of the shipments of `item`, in
    /// position order.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func shipments(of item: Int32) -> Range<Int> {
        Int(itemShipmentOffsets[Int(item)])..<Int(itemShipmentOffsets[Int(item) + 1])
    }

    /// The shipper of the shipment at `position`.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func shipper(of position: Int) -> Int32 { shipmentFrom[position] }

    public func shipmentID(_ position: Int) -> String { shipmentIDs[Int32(position)] }

    /// Calls `body` with the UTF-8 bytes of the shipment's identifier, without making a string.
    @inline(__always)
    public func withShipmentID<R>(_ position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        shipmentIDs.withText(Int32(position), body)
    }
    public func day(_ position: Int) -> Day { Day(rawValue: shipmentDay[position]) }
    public func entityID(_ e: Int32) -> String { entityIDs[e] }
    public func itemID(_ i: Int32) -> String { itemIDs[i] }
    public func entity(named id: String) -> Int32? { entityIDs.lookup(id) }
    public func item(named id: String) -> Int32? { itemIDs.lookup(id) }
    /// The position of a shipment by its identifier. - Complexity: O(shipments): a linear scan.
    public func shipment(named id: String) -> Int? {
        shipmentIDs.scan(for: id).map { Int($0) }
    }

    public func components(of assembly: Int32) -> Range<Int> {
        Int(componentOffsets[Int(assembly)])..<Int(componentOffsets[Int(assembly) + 1])
    }

    public func provenance(of item: Int32) -> ArraySlice<Provenance> {
        provenance[Int(provenanceOffsets[Int(item)])..<Int(provenanceOffsets[Int(item) + 1])]
    }

    public func equipment(of plant: Int32) -> ArraySlice<Int32> {
        equipmentItem[Int(equipmentOffsets[Int(plant)])..<Int(equipmentOffsets[Int(plant) + 1])]
    }

    public func owners(of entity: Int32) -> Range<Int> {
        Int(ownerOffsets[Int(entity)])..<Int(ownerOffsets[Int(entity) + 1])
    }

    public func listings(of entity: Int32) -> ArraySlice<Listing> {
        listings[Int(listingOffsets[Int(entity)])..<Int(listingOffsets[Int(entity) + 1])]
    }

    /// The full record of the shipment at `position`.
    public func shipmentRecord(_ p: Int) -> Shipment {
        Shipment(id: shipmentID(p), date: day(p), from: entityID(shipper(of: p)), to: entityID(shipmentTo[p]),
                 item: itemID(shipmentItem[p]), quantity: shipmentQuantity[p],
                 value: shipmentValue[p].isNaN ? nil : shipmentValue[p],
                 declaredEndUser: endUsers[p].map { entityID($0) }, license: licenses[p], reference: references[p])
    }

    /// Bytes held by the shipment arrays and indexes, divided by the number of shipments.
    public var bytesPerShipment: Double {
        guard shipmentCount > 0 else { return 0 }
        let n = shipmentCount
        let fixed = shipmentDay.byteCount + shipmentQuantity.byteCount + shipmentValue.byteCount
            + shipmentItem.byteCount + n * (4 + 4 + 4 + 4 + 4)  // consignee, shipper; outgoing, incoming, item indexes
        let offsets = (outOffsets.count + inOffsets.count + itemShipmentOffsets.count) * 4
        let sparse = endUsers.byteCount + licenses.byteCount + references.byteCount
        return Double(fixed + offsets + shipmentIDs.textByteCount + sparse) / Double(n)
    }

    /// The date range of the shipments.
    public var dateRange: ClosedRange<Day>? {
        guard let lo = shipmentDay.min(), let hi = shipmentDay.max() else { return nil }
        return Day(rawValue: lo)...Day(rawValue: hi)
    }
}

/// The index of `row` in the sorted `rows`, if it is there. - Complexity: O(log n).
@usableFromInline
func sortedIndex(of row: Int, in rows: [Int32]) -> Int? {
    sortedIndex(of: Int32(row), count: rows.count) { rows[$0] }
}

/// The index of `row` among `count` ascending rows (`rowAt`), if it is there. - Complexity: O(log count).
@inline(__always)
func sortedIndex(of row: Int32, count: Int, _ rowAt: (Int) -> Int32) -> Int? {
    var lo = 0, hi = count
    while lo < hi { let mid = (lo + hi) / 2; if rowAt(mid) < row { lo = mid + 1 } else { hi = mid } }
    return lo < count && rowAt(lo) == row ? lo : nil
}

/// A column that has a value for few rows: sorted row numbers and their values.
public struct SparseColumn<Value: Sendable>: Sendable {
    public internal(set) var rows: [Int32] = []
    public internal(set) var values: [Value] = []

    public init() {}

    public subscript(row: Int) -> Value? { sortedIndex(of: row, in: rows).map { values[$0] } }

    public var count: Int { rows.count }

    var byteCount: Int {
        let valueBytes = Value.self == String.self ? values.count * 24 : values.count * MemoryLayout<Value>.stride
        return rows.count * 4 + valueBytes
    }
}
