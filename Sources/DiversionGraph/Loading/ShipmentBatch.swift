/// A run of consecutive shipment rows, validated and resolved, held as columns.
///
/// The bulk reader of `shipments.csv` hands a large table to a sink in batches rather than row by row;
/// row `k` of a batch is the `k`-th row of its slice of the file.
public struct ShipmentBatch: Sendable {
    public internal(set) var day: [Int32] = []
    public internal(set) var from: [Int32] = []
    public internal(set) var to: [Int32] = []
    public internal(set) var item: [Int32] = []
    public internal(set) var quantity: [Double] = []
    /// NaN where the value is unknown.
    public internal(set) var value: [Double] = []
    /// The identifiers, row `k`'s as text `k` (text only, no hash index).
    public internal(set) var ids = IdTable.unindexed()
    /// Rows (within the batch) that declare an end user, in row order.
    public internal(set) var endUsers: [(row: Int32, entity: Int32)] = []
    public internal(set) var licenses = SparseText()
    public internal(set) var references = SparseText()

    public init() {}

    /// Adds a row after the others; `value` is NaN when unknown.
    mutating func append(id: String, day d: Int32, from f: Int32, to t: Int32, item i: Int32, quantity q: Double, value v: Double,
                         declaredEndUser: Int32?, license: String?, reference: String?) {
        let row = Int32(count)
        day.append(d); from.append(f); to.append(t); item.append(i); quantity.append(q); value.append(v)
        var id = id
        id.withUTF8 { ids.appendUnindexed($0) }
        if let e = declaredEndUser { endUsers.append((row, e)) }
        if let l = license { licenses.append(row: row, l) }
        if let r = reference { references.append(row: row, r) }
    }

    /// The rows of `columns`, one by one (for rows that come after a table read as columns).
    init(_ columns: ShipmentColumns) {
        for k in 0..<columns.count { append(row: columns.row(k)) }
    }

    mutating func append(row s: ShipmentRow) {
        append(id: s.id, day: s.date.rawValue, from: s.from, to: s.to, item: s.item, quantity: s.quantity,
               value: s.value ?? .nan, declaredEndUser: s.declaredEndUser, license: s.license, reference: s.reference)
    }

    public var count: Int { day.count }

    /// Calls `body` with the UTF-8 bytes of row `k`'s identifier.
    @inline(__always)
    public func withID<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try ids.withText(Int32(k), body)
    }

    public func id(_ k: Int) -> String { withID(k) { String(decoding: $0, as: UTF8.self) } }

    /// Row `k` as a ``ShipmentRow`` (for sinks that take rows one at a time).
    public func row(_ k: Int) -> ShipmentRow {
        let r = Int32(k)
        let v = value[k]
        let endUser = sortedIndex(of: r, count: endUsers.count) { endUsers[$0].row }.map { endUsers[$0].entity }
        let license = licenses[k], reference = references[k]
        return ShipmentRow(id: id(k), date: Day(rawValue: day[k]), from: from[k], to: to[k], item: item[k],
                           quantity: quantity[k], value: v.isNaN ? nil : v, declaredEndUser: endUser,
                           license: license, reference: reference)
    }
}

extension ShipmentBatch: ShipmentOutput {
    mutating func reserve(rows: Int) {
        day.reserveCapacity(rows); from.reserveCapacity(rows); to.reserveCapacity(rows)
        item.reserveCapacity(rows); quantity.reserveCapacity(rows); value.reserveCapacity(rows)
        ids.reserve(rows: rows, bytes: rows * 12)
    }

    @inline(__always)
    mutating func append(day d: Int32, item i: Int32, quantity q: Double, value v: Double, id: UnsafeBufferPointer<UInt8>) {
        day.append(d); item.append(i); quantity.append(q); value.append(v)
        ids.appendUnindexed(id)
    }

    @inline(__always)
    mutating func appendParties(_ f: Int32, _ t: Int32) {
        from.append(f); to.append(t)
    }
}

extension GraphSink {
    /// Adds every row of `batch` in order, one ``add(entity:)`` call each. Sinks that can take columns in
    /// bulk implement this themselves.
    public mutating func add(entities batch: EntityBatch) throws {
        for k in 0..<batch.count { try add(entity: batch.entity(k)) }
    }

    /// Adds every row of `batch` in order, one ``add(shipment:)`` call each. Sinks that can take columns
    /// in bulk implement this themselves.
    public mutating func add(shipments batch: ShipmentBatch) throws {
        for k in 0..<batch.count { try add(shipment: batch.row(k)) }
    }

    public mutating func add(entityBatches batches: [EntityBatch]) throws {
        for batch in batches { try add(entities: batch) }
    }

    public var takesShipmentColumns: Bool { false }

    public var keptShipmentItems: [Bool]? { nil }

    public var holdsEveryShipment: Bool { true }

    public mutating func add(shipmentColumns columns: ShipmentColumns, omitting omitted: OmittedShipments) throws {
        try add(shipmentColumns: columns)
    }

    public mutating func add(shipmentColumns columns: ShipmentColumns) throws {
        for k in 0..<columns.count { try add(shipment: columns.row(k)) }
    }

    public mutating func willAdoptEntityIDs() {}

    public mutating func adopt(entityIDs: IdTable) {}
}
