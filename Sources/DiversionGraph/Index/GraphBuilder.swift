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
    var entityNames = TextParts()
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
    /// A shipments table read in bulk straight into columns (then `batches` is empty).
    var shipmentColumns: ShipmentColumns?
    /// Which shipments of a table read in bulk the graph keeps (`nil`: all of them).
    public var shipmentSelection: ShipmentSelection?
    /// Rows read, checked and not kept.
    var omitted = OmittedShipments()

    public init() {}

    public mutating func begin(name: String?) { self.name = name }

    public mutating func add(entity e: Entity) {
        if !adoptsEntityIDs { entityIDs.insert(e.id) }
        var name = e.name
        name.withUTF8 { entityNames.append($0) }
        entityCountry.append(e.country)
        entityHeadquarters.append(e.headquarters ?? e.country)
        entityRole.append(e.role)
    }

    /// Appends the batch's columns; identifiers are hashed only when the loader does not hand over its table.
    public mutating func add(entities b: EntityBatch) {
        if !adoptsEntityIDs { for k in 0..<b.count { b.withID(k) { _ = entityIDs.insert($0) } } }
        entityNames.append(part: b.names)
        entityCountry.append(contentsOf: b.country)
        for (h, c) in zip(b.headquarters, b.country) { entityHeadquarters.append(h ?? c) }
        entityRole.append(contentsOf: b.role)
    }

    /// Every batch, with room made for all of them first; the names stay in the batches' own storage (a table of
    /// long names is not copied).
    public mutating func add(entityBatches batches: [EntityBatch]) {
        let rows = batches.reduce(0) { $0 + $1.count }
        entityCountry.reserveCapacity(entityCountry.count + rows)
        entityHeadquarters.reserveCapacity(entityHeadquarters.count + rows)
        entityRole.reserveCapacity(entityRole.count + rows)
        for batch in batches { add(entities: batch) }
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
        takeColumnsAsBatch()
        if batches.isEmpty { batches.append(ShipmentBatch()) }
        batches[batches.count - 1].append(id: id, day: day, from: f, to: t, item: item, quantity: q, value: v,
                                          declaredEndUser: declaredEndUser, license: license, reference: reference)
    }

    /// Keeps the batch as it is; ``build()`` lays the batches out as columns.
    public mutating func add(shipments b: ShipmentBatch) {
        takeColumnsAsBatch()
        if b.count > 0 { batches.append(b) }
    }

    public var takesShipmentColumns: Bool { batches.isEmpty && shipmentColumns == nil }

    public mutating func add(shipmentColumns columns: ShipmentColumns) {
        guard takesShipmentColumns else { return add(shipments: ShipmentBatch(columns)) }
        shipmentColumns = columns
    }

    public var holdsEveryShipment: Bool { shipmentSelection == nil }

    public var keptShipmentItems: [Bool]? {
        shipmentSelection.map { $0.keeps(items, componentRows.map { ($0.assembly, $0.part) }) }
    }

    public mutating func add(shipmentColumns columns: ShipmentColumns, omitting omitted: OmittedShipments) {
        add(shipmentColumns: columns)
        self.omitted = omitted
    }

    /// Rows added after a table of columns go after its rows: the columns become the first batch.
    private mutating func takeColumnsAsBatch() {
        guard let columns = shipmentColumns else { return }
        shipmentColumns = nil
        batches.insert(ShipmentBatch(columns), at: 0)
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

    /// A counting sort of the rows of `keys` by key, each key's rows in row order.
    static func bucket(_ keys: IndexColumn, buckets: Int) -> (offsets: [Int32], order: [Int32]) {
        countingSort(count: keys.count, buckets: buckets, key: { Int(keys[$0]) }, visiting: 0..<Int32(keys.count))
    }

    /// The rows in date order, the row number breaking ties (a stable counting sort by day), or `nil` when
    /// they already are (`ascending`, when the caller has looked already).
    static func dateOrder(_ days: DayColumn, ascending: Bool? = nil) -> [Int32]? {
        guard !(ascending ?? days.isAscending), let low = days.min(), let high = days.max() else { return nil }
        return countingSort(count: days.count, buckets: Int(high - low) + 1, key: { Int(days[$0] - low) },
                            visiting: 0..<Int32(days.count)).order
    }

    /// Rows grouped by `keys`, each group in date order with the row number breaking ties: one counting sort
    /// visiting the rows in `dateOrder` (from ``dateOrder(_:)``; `nil` when the rows are in date order).
    static func bucketByDate(_ keys: [Int32], buckets: Int, dateOrder: [Int32]?, threads: Int = 1) -> (offsets: [Int32], order: [Int32]) {
        if buckets > 1 << 16 && keys.count > 1 << 20 {
            var scratch = TwoPassScratch(count: keys.count)
            return bucketInTwoPasses(keys, buckets: buckets, visiting: dateOrder, threads: threads, scratch: &scratch)
        }
        return dateOrder.map { bucket(keys, buckets: buckets, visiting: $0) } ?? bucket(keys, buckets: buckets)
    }

    /// Room for the rows and keys that ``bucketInTwoPasses(_:buckets:visiting:threads:scratch:)`` deals, kept
    /// for the next index so that two indexes cost one allocation.
    struct TwoPassScratch {
        var rows: [Int32]
        /// Each dealt row's key within its range (ranges span at most 65,536 keys).
        var keys: [UInt16]
        /// Each dealt row's day, from the earliest, when rows are ordered by day within their ranges.
        var days: [UInt16]
        init(count: Int, days: Bool = false) {
            rows = uninitialized(count, of: Int32.self) { _ in }
            keys = uninitialized(count, of: UInt16.self) { _ in }
            self.days = uninitialized(days ? count : 0, of: UInt16.self) { _ in }
        }
    }

    /// The widest span of days (latest − earliest + 1) for which ``bucketInTwoPasses(_:buckets:visiting:days:threads:scratch:)``
    /// orders rows by day within each range (a counting sort by day per range of about ten thousand rows).
    static let daySpanWithinRanges = 4_096

    /// Whether rows out of date order are best put in order range by range (``DaySpan``) rather than
    /// visited in date order: true when their days span at most ``daySpanWithinRanges``.
    static func daySpan(_ days: DayColumn) -> DaySpan? {
        guard let low = days.min(), let high = days.max(), Int(high - low) < daySpanWithinRanges else { return nil }
        return DaySpan(days: days, low: low, count: Int(high - low) + 1)
    }

    /// Whether consecutive rows are far apart in date (on average more than eight days, over up to 65,536
    /// pairs spread through the table): then visiting rows in date order reads the table at random, and ordering
    /// each range by day is cheaper. Rows merely interleaved around each day (as trade data often is) visit
    /// their neighbours.
    static func isScattered(_ days: DayColumn) -> Bool {
        let n = days.count
        guard n > 1 else { return false }
        let step = max(1, (n - 1) / 65_536)
        var total = 0, pairs = 0
        for j in stride(from: 0, to: n - 1, by: step) {
            total += abs(Int(days[j + 1]) - Int(days[j]))
            pairs += 1
        }
        return total > 8 * pairs
    }

    /// The days of the rows, from the earliest, for ordering each key's rows by day range by range.
    struct DaySpan: @unchecked Sendable {
        let days: DayColumn
        let low: Int32
        /// Latest − earliest + 1.
        let count: Int
    }

    /// The same result as ``bucket(_:buckets:visiting:)`` for many buckets (a million parties), on `threads`
    /// cores: the rows are first dealt, with their keys, into about 1,024 ranges of consecutive keys (a few
    /// streams of writes instead of one random write a row; each thread deals a stretch of the visiting order
    /// into its own part of each range, after the parts of the stretches before it), then each range is sorted
    /// by key while it sits in the cache (ranges on all cores: each writes its own part of the result).
    ///
    /// Rows out of date order need not be visited in date order (ten million random reads of the keys, twice):
    /// with `days`, rows are dealt in row order with their days, and each range is put in order by day (a
    /// counting sort, stable) before its sort by key, which gives each key's rows by day, then by row.
    ///
    /// - Parameters:
    ///   - visiting: the order in which rows are visited, `nil` for row order.
    ///   - days: with `visiting` `nil`, the rows' days, to order each key's rows by day (``daySpan(_:)``);
    ///     `nil` keeps the visiting order.
    static func bucketInTwoPasses(_ keys: [Int32], buckets: Int, visiting: [Int32]?, days: DaySpan? = nil, threads: Int,
                                  scratch: inout TwoPassScratch) -> (offsets: [Int32], order: [Int32]) {
        let n = keys.count
        precondition(scratch.rows.count >= n && scratch.keys.count >= n && visiting.map { $0.count == n } ?? true)
        precondition(days == nil || (visiting == nil && scratch.days.count >= n && days!.days.count == n))
        var bits = 0
        while (buckets - 1) >> bits >= 1_024 && bits < 16 { bits += 1 }
        let shift = bits
        let ranges = ((buckets - 1) >> shift) + 1
        let workers = max(1, min(threads, n / 65_536 + 1))
        let stretch = (n + workers - 1) / workers
        // cursors[w * (ranges + 1) + r]: first the count of stretch w's rows in range r, then where they go.
        var cursors = [Int](repeating: 0, count: workers * (ranges + 1))
        var rangeStarts = [Int](repeating: 0, count: ranges + 1)
        var offsets = [Int32](repeating: 0, count: buckets + 1)
        let order = uninitialized(n, of: Int32.self) { out in
            guard let out else { return }
            keys.withUnsafeBufferPointer { k in
                withUnsafeRows(visiting) { visit in
                    scratch.rows.withUnsafeMutableBufferPointer { dealtRows in
                        scratch.keys.withUnsafeMutableBufferPointer { dealtKeys in
                          scratch.days.withUnsafeMutableBufferPointer { dealtDays in
                            cursors.withUnsafeMutableBufferPointer { c in
                                let shared = TwoPassShared(keys: k, visit: visit, dealtRows: dealtRows, dealtKeys: dealtKeys,
                                                           dealtDays: dealtDays, days: days, cursors: c, out: out)
                                // Count by range, stretch by stretch.
                                DispatchQueue.concurrentPerform(iterations: workers) { w in
                                    let counts = shared.cursors.baseAddress! + w * (ranges + 1)
                                    for j in (w * stretch)..<min(n, (w + 1) * stretch) {
                                        let row = shared.visit.map { Int($0[j]) } ?? j
                                        counts[Int(shared.keys[row]) >> shift] &+= 1
                                    }
                                }
                                var next = 0
                                for r in 0..<ranges {
                                    rangeStarts[r] = next
                                    for w in 0..<workers {
                                        let count = c[w * (ranges + 1) + r]
                                        c[w * (ranges + 1) + r] = next
                                        next += count
                                    }
                                }
                                rangeStarts[ranges] = n
                                // Deal the rows, in visiting order, into the ranges.
                                DispatchQueue.concurrentPerform(iterations: workers) { w in
                                    let at = shared.cursors.baseAddress! + w * (ranges + 1)
                                    // NB: the days are taken out of the optional once, not at every row (a copy
                                    // of the column each time).
                                    if let days = shared.days {
                                        let column = days.days, low = days.low
                                        for row in (w * stretch)..<min(n, (w + 1) * stretch) {
                                            let key = shared.keys[row]
                                            let range = Int(key) >> shift
                                            let to = at[range]
                                            shared.dealtRows[to] = Int32(truncatingIfNeeded: row)
                                            shared.dealtKeys[to] = UInt16(truncatingIfNeeded: Int(key) & ((1 << shift) - 1))
                                            shared.dealtDays[to] = UInt16(truncatingIfNeeded: column[row] - low)
                                            at[range] = to &+ 1
                                        }
                                        return
                                    }
                                    for j in (w * stretch)..<min(n, (w + 1) * stretch) {
                                        let row = shared.visit.map { Int($0[j]) } ?? j
                                        let key = shared.keys[row]
                                        let range = Int(key) >> shift
                                        let to = at[range]
                                        shared.dealtRows[to] = Int32(truncatingIfNeeded: row)
                                        shared.dealtKeys[to] = UInt16(truncatingIfNeeded: Int(key) & ((1 << shift) - 1))
                                        at[range] = to &+ 1
                                    }
                                }
                                // Each range in turn: a counting sort by key over its rows, which keeps the visiting
                                // order; its keys' offsets start where the range does.
                                let starts = rangeStarts
                                offsets.withUnsafeMutableBufferPointer { o in
                                    let offsetsAt = MutableInt32s(base: o)
                                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                                        // With days: the range's rows and keys put in order by day first.
                                        let span = shared.days
                                        var byDay = ByDayScratch()
                                        var r = w
                                        while r < ranges {
                                            if let days = span {
                                                GraphBuilder.orderByDay(shared, starts[r]..<starts[r + 1], days: days.count, &byDay)
                                            }
                                            let low = r << shift, high = min(buckets, (r + 1) << shift)
                                            // The range's keys: their counts, then their offsets, which are where
                                            // each key's next row goes until its rows are placed.
                                            var cursor = [Int32](repeating: 0, count: high - low)
                                            cursor.withUnsafeMutableBufferPointer { cur in
                                                for j in starts[r]..<starts[r + 1] { cur[Int(shared.dealtKeys[j])] &+= 1 }
                                                var at = Int32(starts[r])
                                                for key in low..<high {
                                                    let count = cur[key - low]
                                                    offsetsAt.base[key] = at
                                                    cur[key - low] = at
                                                    at &+= count
                                                }
                                                for j in starts[r]..<starts[r + 1] {
                                                    let key = Int(shared.dealtKeys[j])
                                                    shared.out[Int(cur[key])] = shared.dealtRows[j]
                                                    cur[key] &+= 1
                                                }
                                            }
                                            r += workers
                                        }
                                    }
                                    o[buckets] = Int32(n)
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
        return (offsets, order)
    }

    /// A worker's room for putting a range in order by day.
    private struct ByDayScratch {
        var rows: [Int32] = []
        var keys: [UInt16] = []
        var cursor: [Int32] = []
    }

    /// Puts the dealt rows `range` (one range's) in order by day, keeping their order within a day (a counting
    /// sort over `days` days).
    @inline(never)
    private static func orderByDay(_ shared: TwoPassShared, _ range: Range<Int>, days: Int, _ scratch: inout ByDayScratch) {
        let m = range.count
        if scratch.rows.count < m {
            scratch.rows = [Int32](repeating: 0, count: m)
            scratch.keys = [UInt16](repeating: 0, count: m)
        }
        if scratch.cursor.count != days { scratch.cursor = [Int32](repeating: 0, count: days) }
        scratch.rows.withUnsafeMutableBufferPointer { rows in
            scratch.keys.withUnsafeMutableBufferPointer { keys in
                scratch.cursor.withUnsafeMutableBufferPointer { cursor in
                    for d in 0..<days { cursor[d] = 0 }
                    for j in range { cursor[Int(shared.dealtDays[j])] &+= 1 }
                    var at: Int32 = 0
                    for d in 0..<days { let c = cursor[d]; cursor[d] = at; at &+= c }
                    for j in range {
                        let d = Int(shared.dealtDays[j])
                        let to = Int(cursor[d])
                        rows[to] = shared.dealtRows[j]
                        keys[to] = shared.dealtKeys[j]
                        cursor[d] = Int32(to + 1)
                    }
                    // Back into the range's part of the scratch, now by day.
                    for j in 0..<m {
                        shared.dealtRows[range.lowerBound + j] = rows[j]
                        shared.dealtKeys[range.lowerBound + j] = keys[j]
                    }
                }
            }
        }
    }

    /// The buffers the workers of ``bucketInTwoPasses(_:buckets:visiting:threads:scratch:)`` share; each worker
    /// writes only its own parts.
    private struct TwoPassShared: @unchecked Sendable {
        let keys: UnsafeBufferPointer<Int32>
        let visit: UnsafeBufferPointer<Int32>?
        let dealtRows: UnsafeMutableBufferPointer<Int32>
        let dealtKeys: UnsafeMutableBufferPointer<UInt16>
        let dealtDays: UnsafeMutableBufferPointer<UInt16>
        let days: DaySpan?
        let cursors: UnsafeMutableBufferPointer<Int>
        let out: UnsafeMutablePointer<Int32>
    }

    private static func withUnsafeRows<R>(_ rows: [Int32]?, _ body: (UnsafeBufferPointer<Int32>?) -> R) -> R {
        guard let rows else { return body(nil) }
        return rows.withUnsafeBufferPointer { body($0) }
    }

    public consuming func build() -> ShipmentGraph {
        let ne = entityNames.count, ni = items.count

        // Shipments stay in the order added: batches are laid out as compact columns, one column per task.
        let table = shipmentColumns ?? ShipmentColumns(batches: batches)
        batches = []
        shipmentColumns = nil
        let (from, to, day) = (table.from, table.to, table.day)
        let sDateOrder = BuildSlot<[Int32]?>()
        let sByItem = BuildSlot<(offsets: [Int32], order: [Int32])>()
        // Many parties, rows scattered in date over a few years: each party index is put in date order range by
        // range, with no date order of the whole table (``bucketInTwoPasses``).
        let manyParties = ne > 1 << 16 && from.count > 1 << 20
        let sSpan = BuildSlot<DaySpan?>()
        let first: [@Sendable () -> Void] = [
            { sByItem.value = GraphBuilder.bucket(table.item, buckets: ni) },
            {
                guard !day.isAscending else { sSpan.value = .some(nil); sDateOrder.value = .some(nil); return }
                let span = manyParties && GraphBuilder.isScattered(day) ? GraphBuilder.daySpan(day) : nil
                sSpan.value = span
                sDateOrder.value = span == nil ? GraphBuilder.dateOrder(day, ascending: false) : nil
            },
        ]
        LoadTrace.mark("build: columns")
        DispatchQueue.concurrentPerform(iterations: first.count) { first[$0]() }
        LoadTrace.mark("build: item index, date order")

        // The two indexes list positions by shipper and by consignee, each in date order. Rows already in date
        // order (as trade data often is) need only a counting sort per index; rows interleaved around each day are
        // visited in date order (a stable counting sort by day); rows scattered in date are put in order by day
        // range by range.
        let dateOrder = sDateOrder.value!
        // One index after the other, each on all cores, so that they share one set of scratch arrays.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let (outOffsets, outOrder, inOffsets, inOrder): ([Int32], [Int32], [Int32], [Int32])
        if manyParties {
            let span = sSpan.value!
            var scratch = TwoPassScratch(count: from.count, days: span != nil)
            (outOffsets, outOrder) = GraphBuilder.bucketInTwoPasses(from, buckets: ne, visiting: dateOrder, days: span,
                                                                    threads: threads, scratch: &scratch)
            (inOffsets, inOrder) = GraphBuilder.bucketInTwoPasses(to, buckets: ne, visiting: dateOrder, days: span,
                                                                  threads: threads, scratch: &scratch)
        } else {
            (outOffsets, outOrder) = GraphBuilder.bucketByDate(from, buckets: ne, dateOrder: dateOrder)
            (inOffsets, inOrder) = GraphBuilder.bucketByDate(to, buckets: ne, dateOrder: dateOrder)
        }
        LoadTrace.mark("build: party indexes")
        let (itemOffsets, itemOrder) = sByItem.value!

        // Bills of materials.
        let (cOffsets, cOrder) = GraphBuilder.bucket(componentRows.map(\.assembly), buckets: ni)
        let (pOffsets, pOrder) = GraphBuilder.bucket(provenanceRows.map(\.item), buckets: ni)
        let (eOffsets, eOrder) = GraphBuilder.bucket(equipmentRows.map(\.plant), buckets: ne)
        let (oOffsets, oOrder) = GraphBuilder.bucket(ownershipRows.map(\.owned), buckets: ne)
        let (lOffsets, lOrder) = GraphBuilder.bucket(listingRows.map(\.entity), buckets: ne)

        var graph = ShipmentGraph(
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
            shipmentItem: table.item, shipmentQuantity: table.quantity, shipmentValue: table.value,
            shipmentIDs: table.ids, inOffsets: inOffsets, inPositions: inOrder,
            itemShipmentOffsets: itemOffsets, itemShipmentPositions: itemOrder,
            endUsers: table.endUsers, licenses: table.licenses, references: table.references)
        graph.omitted = omitted
        return graph
    }
}

extension ShipmentGraph {
    /// Loads a graph file straight into memory, with no database.
    ///
    /// With a `selection`, only the shipments it keeps are held (every row is still read and checked); the
    /// graph counts the others in ``omitted``.
    public static func load(path: String, keeping selection: ShipmentSelection? = nil,
                            progress: (@Sendable (LoadProgress) -> Void)? = nil) throws -> ShipmentGraph {
        var builder = GraphBuilder()
        builder.shipmentSelection = selection
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
