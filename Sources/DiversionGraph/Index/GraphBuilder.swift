import Foundation

/// Builds a ``ShipmentGraph`` from rows, either as a ``GraphSink`` fed by a loader, or fed directly by the
/// store when it reads a graph back from its tables.
///
/// - Complexity: O(shipments × log(shipments of the busiest party)) for the date sorts; other tables are
///   linear.
public struct GraphBuilder: GraphSink {
    var name: String?
    var entityIDs = IdTable()
    /// The loader hands over its entity identifier table at the end instead of this builder hashing each id.
    var adoptsEntityIDs = false
    var entityNames = IdTable.unindexed()
    var entityCountry: [CountryCode] = []
    var entityHeadquarters: [CountryCode] = []
    var entityRole: [PartyRole?] = []

    var itemIDs = IdTable()
    var items: [Item] = []
    var itemMaker: [Int32] = []

    var componentRows: [(assembly: Int32, part: Int32, quantity: Double, unitValue: Double)] = []
    var provenanceRows: [(item: Int32, record: Provenance)] = []
    var equipmentRows: [(plant: Int32, item: Int32)] = []
    var ownershipRows: [(owner: Int32, owned: Int32, share: Double, window: DayWindow, via: String?)] = []
    var listingRows: [(entity: Int32, record: Listing)] = []

    /// Shipments in the order added: batches handed over by a bulk reader, and rows added one at a time
    /// (appended to the last batch). ``build()`` lays them out as the graph's columns on all cores.
    var batches: [ShipmentBatch] = []

    public init() {}

    public mutating func begin(name: String?) { self.name = name }

    public mutating func add(entity e: Entity) {
        if !adoptsEntityIDs { entityIDs.insert(e.id) }
        var name = e.name
        name.withUTF8 { entityNames.appendUnindexed($0) }
        entityCountry.append(e.country)
        entityHeadquarters.append(e.headquarters ?? e.country)
        entityRole.append(e.role)
    }

    /// Appends the batch's columns; identifiers are hashed only when the loader does not hand over its table.
    public mutating func add(entities b: EntityBatch) {
        if !adoptsEntityIDs { for k in 0..<b.count { b.withID(k) { _ = entityIDs.insert($0) } } }
        entityNames.appendUnindexed(contentsOf: b.names)
        entityCountry.append(contentsOf: b.country)
        entityHeadquarters.append(contentsOf: zip(b.headquarters, b.country).lazy.map { $0 ?? $1 })
        entityRole.append(contentsOf: b.role)
    }

    public mutating func add(item: Item, maker: Int32?) {
        itemIDs.insert(item.id)
        items.append(item)
        itemMaker.append(maker ?? -1)
    }

    public mutating func add(ownership o: Ownership, owner: Int32, owned: Int32) {
        ownershipRows.append((owner, owned, o.share, DayWindow(since: o.since, until: o.until), o.via))
    }

    public mutating func add(listing: Listing, entity: Int32) { listingRows.append((entity, listing)) }

    public mutating func add(component c: Component, assembly: Int32, part: Int32) {
        componentRows.append((assembly, part, c.quantity, c.unitValue ?? .nan))
    }

    public mutating func add(provenance p: Provenance, item: Int32) { provenanceRows.append((item, p)) }

    public mutating func add(equipment: Equipment, plant: Int32, item: Int32) { equipmentRows.append((plant, item)) }

    public mutating func add(shipment s: ShipmentRow) {
        addShipment(id: s.id, day: s.date.rawValue, from: s.from, to: s.to, item: s.item, quantity: s.quantity,
                    value: s.value ?? .nan, declaredEndUser: s.declaredEndUser, license: s.license,
                    reference: s.reference)
    }

    /// Adds a shipment by dense ids; `value` is NaN when unknown.
    public mutating func addShipment(id: String, day: Int32, from f: Int32, to t: Int32, item: Int32, quantity q: Double,
                                     value v: Double, declaredEndUser: Int32? = nil, license: String? = nil,
                                     reference: String? = nil) {
        if batches.isEmpty { batches.append(ShipmentBatch()) }
        batches[batches.count - 1].append(id: id, day: day, from: f, to: t, item: item, quantity: q, value: v,
                                          declaredEndUser: declaredEndUser, license: license, reference: reference)
    }

    /// Keeps the batch as it is; ``build()`` lays the batches out as columns.
    public mutating func add(shipments b: ShipmentBatch) {
        if b.count > 0 { batches.append(b) }
    }

    /// Every array of `parts` one after another, allocated once.
    static func concatenated<T>(_ parts: [[T]]) -> [T] {
        let total = parts.reduce(0) { $0 + $1.count }
        guard total > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: total) { out, initialized in
            var at = out.baseAddress!
            for part in parts {
                part.withUnsafeBufferPointer { p in
                    if let source = p.baseAddress { at.initialize(from: source, count: p.count) }
                }
                at += part.count
            }
            initialized = total
        }
    }

    public mutating func willAdoptEntityIDs() { adoptsEntityIDs = entityNames.count == 0 }

    public mutating func adopt(entityIDs table: IdTable) {
        guard adoptsEntityIDs else { return }
        precondition(table.count == entityNames.count, "the loader's entity table does not match the entities added")
        entityIDs = table
    }

    public mutating func finish() {}

    /// Removes listings for which `predicate` holds (scenario files use it to take entries off a list).
    public mutating func removeListings(where predicate: (Listing) -> Bool) {
        listingRows.removeAll { predicate($0.record) }
    }

    /// The dense id of an entity added so far.
    public func entityIndex(_ id: String) -> Int32? { entityIDs.lookup(id) }
    /// The dense id of an item added so far.
    public func itemIndex(_ id: String) -> Int32? { itemIDs.lookup(id) }
    public var entityCount: Int { entityNames.count }
    public var itemCount: Int { items.count }

    /// Groups `keys` (values in 0..<buckets) into CSR offsets and a stable order of the row numbers.
    static func bucket(_ keys: [Int32], buckets: Int) -> (offsets: [Int32], order: [Int32]) {
        bucket(keys, buckets: buckets, visiting: 0..<Int32(keys.count))
    }

    /// A counting sort of rows by `keys`: rows of one key keep the order in which `rows` visits them.
    static func bucket(_ keys: [Int32], buckets: Int, visiting rows: some Sequence<Int32>) -> (offsets: [Int32], order: [Int32]) {
        keys.withUnsafeBufferPointer { k in countingSort(count: k.count, buckets: buckets, key: { Int(k[$0]) }, visiting: rows) }
    }

    /// A counting sort of `count` rows by `key(row)` (in 0..<buckets): CSR offsets, and the rows of each key
    /// in the order in which `rows` visits them. `rows` must visit every row of 0..<count once.
    @inline(__always)
    static func countingSort(count: Int, buckets: Int, key: (Int) -> Int, visiting rows: some Sequence<Int32>)
        -> (offsets: [Int32], order: [Int32]) {
        var offsets = [Int32](repeating: 0, count: buckets + 1)
        offsets.withUnsafeMutableBufferPointer { o in
            for row in 0..<count { o[key(row) + 1] &+= 1 }
            for i in 0..<buckets { o[i + 1] &+= o[i] }
        }
        var cursor = offsets
        let order = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            cursor.withUnsafeMutableBufferPointer { c in
                for row in rows {
                    let k = key(Int(row))
                    out[Int(c[k])] = row
                    c[k] &+= 1
                }
            }
            initialized = count
        }
        return (offsets, order)
    }

    /// A counting sort of the rows of `keys` (arrays laid one after another) by key, each key's rows in row
    /// order, with each row's value from `values` (arrays of the same lengths) alongside.
    static func bucket(parts keys: [[Int32]], values: [[Int32]], buckets: Int)
        -> (offsets: [Int32], rows: [Int32], values: [Int32]) {
        var offsets = [Int32](repeating: 0, count: buckets + 1)
        let total = keys.reduce(0) { $0 + $1.count }
        offsets.withUnsafeMutableBufferPointer { o in
            for part in keys { part.withUnsafeBufferPointer { for k in $0 { o[Int(k) + 1] &+= 1 } } }
            for i in 0..<buckets { o[i + 1] += o[i] }
        }
        var cursor = offsets
        var out: [Int32] = []
        let rows = [Int32](unsafeUninitializedCapacity: total) { r, rowsDone in
            out = [Int32](unsafeUninitializedCapacity: total) { v, valuesDone in
                cursor.withUnsafeMutableBufferPointer { c in
                    var row: Int32 = 0
                    for (part, partValues) in zip(keys, values) {
                        part.withUnsafeBufferPointer { k in
                            partValues.withUnsafeBufferPointer { x in
                                for j in 0..<k.count {
                                    let at = Int(c[Int(k[j])])
                                    r[at] = row &+ Int32(j)
                                    v[at] = x[j]
                                    c[Int(k[j])] = Int32(at + 1)
                                }
                            }
                        }
                        row += Int32(part.count)
                    }
                }
                valuesDone = total
            }
            rowsDone = total
        }
        return (offsets, rows, out)
    }

    /// The rows in date order, the row number breaking ties (a stable counting sort by day), or `nil` when
    /// they already are.
    static func dateOrder(_ days: DayColumn) -> [Int32]? {
        guard !days.isAscending, let low = days.min(), let high = days.max() else { return nil }
        return countingSort(count: days.count, buckets: Int(high - low) + 1, key: { Int(days[$0] - low) },
                            visiting: 0..<Int32(days.count)).order
    }

    /// Rows grouped by `keys`, each group in date order with the row number breaking ties: one counting sort
    /// visiting the rows in `dateOrder` (from ``dateOrder(_:)``; `nil` when the rows are in date order).
    static func bucketByDate(_ keys: [Int32], buckets: Int, dateOrder: [Int32]?) -> (offsets: [Int32], order: [Int32]) {
        if buckets > 1 << 16 && keys.count > 1 << 20 {
            return dateOrder.map { bucketInTwoPasses(keys, buckets: buckets, visiting: $0) }
                ?? bucketInTwoPasses(keys, buckets: buckets, visiting: 0..<Int32(keys.count))
        }
        return dateOrder.map { bucket(keys, buckets: buckets, visiting: $0) } ?? bucket(keys, buckets: buckets)
    }

    /// The same result as ``bucket(_:buckets:visiting:)`` for many buckets (a million parties): the rows are
    /// first dealt, with their keys, into at most 1,024 ranges of consecutive keys (a few streams of writes
    /// instead of one random write a row), then each range is sorted by key while it sits in the cache.
    static func bucketInTwoPasses(_ keys: [Int32], buckets: Int, visiting rows: some Sequence<Int32>)
        -> (offsets: [Int32], order: [Int32]) {
        let n = keys.count
        var shift = 0
        while (buckets - 1) >> shift >= 1_024 { shift += 1 }
        let ranges = ((buckets - 1) >> shift) + 1
        var offsets = [Int32](repeating: 0, count: buckets + 1)
        var dealtRows = [Int32](), dealtKeys = [Int32]()
        let order = keys.withUnsafeBufferPointer { k in
            // Where each range starts: a count by range (a small table), not yet by key.
            var cursor = [Int32](repeating: 0, count: ranges + 1)
            cursor.withUnsafeMutableBufferPointer { c in
                for key in k { c[(Int(key) >> shift) + 1] &+= 1 }
                for r in 0..<ranges { c[r + 1] &+= c[r] }
            }
            // Deal the rows, in visiting order, into the ranges.
            dealtRows = [Int32](unsafeUninitializedCapacity: n) { r, rowsDone in
                dealtKeys = [Int32](unsafeUninitializedCapacity: n) { d, keysDone in
                    cursor.withUnsafeMutableBufferPointer { c in
                        for row in rows {
                            let key = k[Int(row)]
                            let range = Int(key) >> shift
                            let at = Int(c[range])
                            r[at] = row
                            d[at] = key
                            c[range] = Int32(at + 1)
                        }
                    }
                    keysDone = n
                }
                rowsDone = n
            }
            // The count by key, read from the dealt keys: one range's counters at a time stay in the cache.
            offsets.withUnsafeMutableBufferPointer { o in
                dealtKeys.withUnsafeBufferPointer { d in for key in d { o[Int(key) + 1] &+= 1 } }
                for i in 0..<buckets { o[i + 1] &+= o[i] }
            }
            // Each range in turn: a counting sort by key over its rows, which keeps the visiting order.
            return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                var next = offsets
                next.withUnsafeMutableBufferPointer { c in
                    dealtRows.withUnsafeBufferPointer { r in
                        dealtKeys.withUnsafeBufferPointer { d in
                            for j in 0..<n {
                                let key = Int(d[j])
                                out[Int(c[key])] = r[j]
                                c[key] &+= 1
                            }
                        }
                    }
                }
                initialized = n
            }
        }
        return (offsets, order)
    }

    public consuming func build() -> ShipmentGraph {
        let ne = entityNames.count, ni = items.count

        // Shipments stay in the order added: the batches are laid out as compact columns, one column per task.
        let batches = self.batches
        self.batches = []
        var starts: [Int32] = []
        var next: Int32 = 0
        for b in batches { starts.append(next); next += Int32(b.count) }
        let firsts = starts
        let sFrom = BuildSlot<[Int32]>(), sTo = BuildSlot<[Int32]>(), sDay = BuildSlot<DayColumn>()
        let sDateOrder = BuildSlot<[Int32]?>()
        let sItem = BuildSlot<IndexColumn>(), sQuantity = BuildSlot<NumberColumn>(), sValue = BuildSlot<NumberColumn>()
        let sByItem = BuildSlot<(offsets: [Int32], rows: [Int32], values: [Int32])>()
        let sIDs = BuildSlot<IdTable>(), sEndUsers = BuildSlot<SparseColumn<Int32>>()
        let sLicenses = BuildSlot<SparseText>(), sReferences = BuildSlot<SparseText>()
        // The longest tasks first, so that the two cores finish together.
        let columns: [@Sendable () -> Void] = [
            {
                var t = IdTable.unindexed()
                t.reserve(rows: batches.reduce(0) { $0 + $1.count }, bytes: batches.reduce(0) { $0 + $1.ids.arenaByteCount })
                for b in batches { t.appendUnindexed(contentsOf: b.ids) }
                sIDs.value = t
            },
            { sByItem.value = GraphBuilder.bucket(parts: batches.map(\.item), values: batches.map(\.to), buckets: ni) },
            {
                // The date order needs only the days: it is worked out here, beside the other columns.
                let day = DayColumn(parts: batches.map(\.day))
                sDay.value = day
                sDateOrder.value = GraphBuilder.dateOrder(day)
            },
            { sReferences.value = SparseText(parts: batches.map(\.references), firstRows: firsts) },
            { sQuantity.value = NumberColumn(parts: batches.map(\.quantity)) },
            { sValue.value = NumberColumn(parts: batches.map(\.value)) },
            { sFrom.value = GraphBuilder.concatenated(batches.map(\.from)) },
            { sTo.value = GraphBuilder.concatenated(batches.map(\.to)) },
            { sItem.value = IndexColumn(parts: batches.map(\.item)) },
            {
                var e = SparseColumn<Int32>()
                let users = batches.reduce(0) { $0 + $1.endUsers.count }
                e.rows.reserveCapacity(users); e.values.reserveCapacity(users)
                for (b, first) in zip(batches, firsts) {
                    for u in b.endUsers { e.rows.append(first + u.row); e.values.append(u.entity) }
                }
                sEndUsers.value = e
            },
            { sLicenses.value = SparseText(parts: batches.map(\.licenses), firstRows: firsts) },
        ]
        DispatchQueue.concurrentPerform(iterations: columns.count) { columns[$0]() }
        let (from, to, day) = (sFrom.value!, sTo.value!, sDay.value!)
        let (endUsers, licenses, references) = (sEndUsers.value!, sLicenses.value!, sReferences.value!)

        // The two indexes list positions by shipper and by consignee, each in date order. Rows already in date
        // order (as trade data often is) need only a counting sort per index; others are first put in date
        // order (a stable counting sort by day).
        let dateOrder = sDateOrder.value!
        let sOut = BuildSlot<(offsets: [Int32], order: [Int32])>(), sIn = BuildSlot<(offsets: [Int32], order: [Int32])>()
        let indexes: [@Sendable () -> Void] = [
            { sOut.value = GraphBuilder.bucketByDate(from, buckets: ne, dateOrder: dateOrder) },
            { sIn.value = GraphBuilder.bucketByDate(to, buckets: ne, dateOrder: dateOrder) },
        ]
        DispatchQueue.concurrentPerform(iterations: indexes.count) { indexes[$0]() }
        let (outOffsets, outOrder) = sOut.value!, (inOffsets, inOrder) = sIn.value!
        let (itemOffsets, itemOrder, itemConsignees) = sByItem.value!

        // Bills of materials.
        let (cOffsets, cOrder) = GraphBuilder.bucket(componentRows.map(\.assembly), buckets: ni)
        let (pOffsets, pOrder) = GraphBuilder.bucket(provenanceRows.map(\.item), buckets: ni)
        let (eOffsets, eOrder) = GraphBuilder.bucket(equipmentRows.map(\.plant), buckets: ne)
        let (oOffsets, oOrder) = GraphBuilder.bucket(ownershipRows.map(\.owned), buckets: ne)
        let (lOffsets, lOrder) = GraphBuilder.bucket(listingRows.map(\.entity), buckets: ne)

        return ShipmentGraph(
            name: name, entityIDs: entityIDs, entityNames: entityNames, entityCountry: entityCountry,
            entityHeadquarters: entityHeadquarters, entityRole: entityRole,
            itemIDs: itemIDs, items: items, itemMaker: itemMaker,
            componentOffsets: cOffsets, componentPart: cOrder.map { componentRows[Int($0)].part },
            componentQuantity: cOrder.map { componentRows[Int($0)].quantity },
            componentUnitValue: cOrder.map { componentRows[Int($0)].unitValue },
            provenanceOffsets: pOffsets, provenance: pOrder.map { provenanceRows[Int($0)].record },
            equipmentOffsets: eOffsets, equipmentItem: eOrder.map { equipmentRows[Int($0)].item },
            ownerOffsets: oOffsets, ownerEntity: oOrder.map { ownershipRows[Int($0)].owner },
            ownerShare: oOrder.map { ownershipRows[Int($0)].share },
            ownerWindow: oOrder.map { ownershipRows[Int($0)].window },
            ownerVia: oOrder.map { ownershipRows[Int($0)].via },
            listingOffsets: lOffsets, listings: lOrder.map { listingRows[Int($0)].record },
            outOffsets: outOffsets, outPositions: outOrder, shipmentDay: day, shipmentTo: to, shipmentFrom: from,
            shipmentItem: sItem.value!, shipmentQuantity: sQuantity.value!, shipmentValue: sValue.value!,
            shipmentIDs: sIDs.value!, inOffsets: inOffsets, inPositions: inOrder,
            itemShipmentOffsets: itemOffsets, itemShipmentPositions: itemOrder, itemShipmentConsignees: itemConsignees,
            endUsers: endUsers, licenses: licenses, references: references)
    }
}

extension ShipmentGraph {
    /// Loads a graph file straight into memory, with no database.
    public static func load(path: String, progress: (@Sendable (LoadProgress) -> Void)? = nil) throws -> ShipmentGraph {
        var builder = GraphBuilder()
        try GraphLoader(progress: progress).load(path: path, into: &builder)
        return builder.build()
    }

    /// Builds the compact graph from a document held in memory.
    public static func build(from document: GraphDocument) throws -> ShipmentGraph {
        var builder = GraphBuilder()
        try DocumentReplay.replay(document, into: &builder)
        return builder.build()
    }
}

/// A result written by one worker of `concurrentPerform` and read after it returns.
final class BuildSlot<T>: @unchecked Sendable {
    var value: T?
}
