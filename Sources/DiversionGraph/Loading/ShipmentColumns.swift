#if canImport(Glibc)
import Glibc
#endif
import CProcessor
import Foundation

/// The whole shipments table as the graph keeps it: one compact column per field, row `k` of each column the
/// `k`-th shipment in the order read.
///
/// The bulk reader writes a large `shipments.csv` straight into these columns (each slice of the file into its
/// own rows, on all cores) for sinks that take them whole (``GraphSink/takesShipmentColumns``); shipments added
/// one at a time or in batches are laid out the same way when the graph is built.
public struct ShipmentColumns: Sendable {
    public internal(set) var day: DayColumn
    public internal(set) var from: [Int32]
    public internal(set) var to: [Int32]
    public internal(set) var item: IndexColumn
    public internal(set) var quantity: NumberColumn
    /// NaN where the value is unknown.
    public internal(set) var value: NumberColumn
    /// The identifiers, row `k`'s as text `k` (text only, no hash index).
    public internal(set) var ids: IdTable
    public internal(set) var endUsers: SparseColumn<Int32>
    public internal(set) var licenses: SparseText
    public internal(set) var references: SparseText
    /// The earliest and latest day, when there is a row.
    public internal(set) var days: ClosedRange<Int32>?

    public var count: Int { from.count }

    /// Row `k` as a ``ShipmentRow`` (for sinks that take rows one at a time).
    public func row(_ k: Int) -> ShipmentRow {
        let v = value[k]
        return ShipmentRow(id: ids[Int32(k)], date: Day(rawValue: day[k]), from: from[k], to: to[k], item: item[k],
                           quantity: quantity[k], value: v.isNaN ? nil : v, declaredEndUser: endUsers[k],
                           license: licenses[k], reference: references[k])
    }

    /// The rows of `batches` one after another, each column laid out by its own task on all cores.
    init(batches: [ShipmentBatch]) {
        var starts: [Int32] = []
        var next: Int32 = 0
        for b in batches { starts.append(next); next += Int32(b.count) }
        let firsts = starts
        let sFrom = BuildSlot<[Int32]>(), sTo = BuildSlot<[Int32]>(), sDay = BuildSlot<DayColumn>()
        let sItem = BuildSlot<IndexColumn>(), sQuantity = BuildSlot<NumberColumn>(), sValue = BuildSlot<NumberColumn>()
        let sIDs = BuildSlot<IdTable>(), sEndUsers = BuildSlot<SparseColumn<Int32>>()
        let sLicenses = BuildSlot<SparseText>(), sReferences = BuildSlot<SparseText>()
        // The longest tasks first, so that the cores finish together.
        let tasks: [@Sendable () -> Void] = [
            {
                var t = IdTable.unindexed()
                t.reserve(rows: batches.reduce(0) { $0 + $1.count }, bytes: batches.reduce(0) { $0 + $1.ids.arenaByteCount })
                for b in batches { t.appendUnindexed(contentsOf: b.ids) }
                sIDs.value = t
            },
            { sDay.value = DayColumn(parts: batches.map(\.day)) },
            { sReferences.value = SparseText(parts: batches.map(\.references), firstRows: firsts) },
            { sQuantity.value = NumberColumn(parts: batches.map(\.quantity)).compacted() },
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
        DispatchQueue.concurrentPerform(iterations: tasks.count) { tasks[$0]() }
        day = sDay.value!
        from = sFrom.value!
        to = sTo.value!
        item = sItem.value!
        quantity = sQuantity.value!
        value = sValue.value!
        ids = sIDs.value!
        endUsers = sEndUsers.value!
        licenses = sLicenses.value!
        references = sReferences.value!
        let low = batches.compactMap { $0.day.min() }.min(), high = batches.compactMap { $0.day.max() }.max()
        days = low.flatMap { l in high.map { l...$0 } }
    }

    init(day: DayColumn, from: [Int32], to: [Int32], item: IndexColumn, quantity: NumberColumn, value: NumberColumn,
         ids: IdTable, endUsers: SparseColumn<Int32>, licenses: SparseText, references: SparseText, days: ClosedRange<Int32>?) {
        self.day = day; self.from = from; self.to = to; self.item = item; self.quantity = quantity; self.value = value
        self.ids = ids; self.endUsers = endUsers; self.licenses = licenses; self.references = references; self.days = days
    }
}

/// Where the bulk reader puts what it reads of one slice of `shipments.csv`, row by row (rows numbered from 0
/// within the slice): a ``ShipmentBatch`` of its own, or the slice's rows of the table's final columns.
protocol ShipmentOutput {
    /// Rows added so far.
    var count: Int { get }
    /// Rows (within the slice) that declare an end user, in row order.
    var endUsers: [(row: Int32, entity: Int32)] { get set }
    var licenses: SparseText { get set }
    var references: SparseText { get set }
    mutating func reserve(rows: Int)
    /// Adds a row; its parties follow, rows in order, through ``appendParties(_:_:)``.
    mutating func append(day: Int32, item: Int32, quantity: Double, value: Double, id: UnsafeBufferPointer<UInt8>) throws
    /// The shipper and consignee of the earliest row added whose parties are not yet known.
    mutating func appendParties(_ from: Int32, _ to: Int32) throws
    /// Whether rows of `item` are added; the others go to ``skip(day:id:from:to:endUser:readableUpTo:)``.
    func keeps(_ item: Int32) -> Bool
    /// Checks a row of goods that are not kept (its parties named by the fields given), or throws.
    mutating func skip(day: Int32, id: UnsafeBufferPointer<UInt8>, from: UnsafeBufferPointer<UInt8>,
                       to: UnsafeBufferPointer<UInt8>, endUser: UnsafeBufferPointer<UInt8>,
                       readableUpTo limit: UnsafePointer<UInt8>) throws
}

extension ShipmentOutput {
    /// Every row is kept.
    @inline(__always)
    func keeps(_ item: Int32) -> Bool { true }

    func skip(day: Int32, id: UnsafeBufferPointer<UInt8>, from: UnsafeBufferPointer<UInt8>,
              to: UnsafeBufferPointer<UInt8>, endUser: UnsafeBufferPointer<UInt8>,
              readableUpTo limit: UnsafePointer<UInt8>) throws {
        preconditionFailure("an output that keeps every row skips none")
    }
}

/// The final columns' memory that slices write their rows into (each slice its own rows).
struct ColumnTarget: @unchecked Sendable {
    let day: UnsafeMutablePointer<UInt16>
    /// Item ids in 16 bits when every item id fits, else in 32.
    let narrowItem: UnsafeMutablePointer<UInt16>?
    let wideItem: UnsafeMutablePointer<Int32>?
    let from: UnsafeMutablePointer<Int32>
    let to: UnsafeMutablePointer<Int32>
    let quantity: UnsafeMutablePointer<Float>
    let value: UnsafeMutablePointer<Float>
    /// The identifiers' text: slice `k` writes its rows' identifiers from the byte that its own first byte has in
    /// the file's body (no slice holds more identifier bytes than it has bytes), and their ends, counted from
    /// there, at `idEnds[row + 1]`; the slices' texts are then moved together.
    let idText: UnsafeMutablePointer<UInt8>
    let idEnds: UnsafeMutablePointer<UInt32>
}

/// One slice's rows written into the final columns at `first`; what the columns cannot hold in their narrow
/// form (a day outside 1970–2149, a number that is not exactly a 32-bit float) is kept aside by row, and the
/// slice's identifiers and sparse fields are kept here until the slices are joined.
struct SliceColumns: ShipmentOutput {
    let target: ColumnTarget
    /// The table row of the slice's row 0.
    let first: Int
    /// The rows counted in the slice before it was read: no more are written.
    let capacity: Int
    /// Where the slice's identifier text starts, and how many bytes it may take (the slice's own size).
    let text: UnsafeMutablePointer<UInt8>
    let textCapacity: Int
    private(set) var count = 0
    private(set) var partiesDone = 0
    /// Bytes of identifier text written.
    private(set) var textUsed = 0
    var endUsers: [(row: Int32, entity: Int32)] = []
    var licenses = SparseText()
    var references = SparseText()
    /// Rows whose day is outside the 16-bit range, and rows whose quantity or value a float does not hold.
    var wideDays: [(row: Int32, value: Int32)] = []
    var wideQuantities: [(row: Int32, value: Double)] = []
    var wideValues: [(row: Int32, value: Double)] = []
    var lowDay = Int32.max, highDay = Int32.min

    init(target: ColumnTarget, first: Int, capacity: Int, textStart: Int, textCapacity: Int) {
        self.target = target
        self.first = first
        self.capacity = capacity
        self.text = target.idText + textStart
        self.textCapacity = textCapacity
    }

    mutating func reserve(rows: Int) {}

    @inline(__always)
    mutating func append(day d: Int32, item i: Int32, quantity q: Double, value v: Double, id: UnsafeBufferPointer<UInt8>) throws {
        guard count < capacity else { throw BulkShipmentReader.Failure() }
        let r = first &+ count
        if d >= 0 && d <= Int32(UInt16.max) {
            target.day[r] = UInt16(truncatingIfNeeded: d)
        } else {
            target.day[r] = 0
            wideDays.append((Int32(count), d))
        }
        lowDay = min(lowDay, d); highDay = max(highDay, d)
        if let narrow = target.narrowItem { narrow[r] = UInt16(truncatingIfNeeded: i) } else { target.wideItem![r] = i }
        let fq = Float(q)
        target.quantity[r] = fq
        if Double(fq) != q { wideQuantities.append((Int32(count), q)) }
        let fv = Float(v)
        target.value[r] = fv
        if Double(fv) != v && !v.isNaN { wideValues.append((Int32(count), v)) }
        guard id.count <= textCapacity &- textUsed else { throw BulkShipmentReader.Failure() }
        var at = text + textUsed
        for byte in id { at.pointee = byte; at += 1 }
        textUsed &+= id.count
        target.idEnds[r &+ 1] = UInt32(truncatingIfNeeded: textUsed)
        count &+= 1
    }

    @inline(__always)
    mutating func appendParties(_ f: Int32, _ t: Int32) throws {
        guard partiesDone < count else { throw BulkShipmentReader.Failure() }
        target.from[first &+ partiesDone] = f
        target.to[first &+ partiesDone] = t
        partiesDone &+= 1
    }
}

extension BulkShipmentReader {
    /// The table as the graph's columns, or `nil` when the row-by-row reader must take it. The rows of each
    /// slice are counted first (a fast pass over the bytes), so that every slice knows where its rows go and
    /// writes them into the final columns on its own: no copy of the table is ever held beside the columns.
    static func readColumns(path: String, bodyStart: Int, columns: [Int], width: Int, entities: IdTable, items: IdTable,
                            threads: Int, progress: (@Sendable (LoadProgress) -> Void)?,
                            sliceSize: Int = BulkShipmentReader.sliceSize) -> ShipmentColumns? {
        MappedSlices.withMapped(path: path, bodyStart: bodyStart, sliceSize: sliceSize) { file -> ShipmentColumns? in
            guard let counts = file.map(threads: threads, rows: { _ in 0 }, progress: nil, { k -> Int in
                let r = file.range(k)
                return diversion_count_records(file.base + r.lowerBound, r.count)
            }) else { return nil }
            LoadTrace.mark("shipments: records counted")
            var firsts: [Int] = []
            var n = 0
            for c in counts { firsts.append(n); n += c }
            let narrowItems = items.count <= Int(UInt16.max)
            let items = ItemLookup(items)
            let report = progress.map { p in { (bytes: Int64, rows: Int, size: Int64) in
                p(LoadProgress(table: .shipments, rows: rows, bytesRead: bytes, totalBytes: size)) } }

            var slices: [SliceColumns]?
            var from: [Int32] = [], to: [Int32] = [], narrowItem: [UInt16] = [], wideItem: [Int32] = []
            var quantity: [Float] = [], value: [Float] = []
            var idText: [UInt8] = [], idEnds: [UInt32] = []
            let day = uninitialized(n, of: UInt16.self) { day in
                from = uninitialized(n, of: Int32.self) { fromAt in
                    to = uninitialized(n, of: Int32.self) { toAt in
                        narrowItem = uninitialized(narrowItems ? n : 0, of: UInt16.self) { narrowAt in
                            wideItem = uninitialized(narrowItems ? 0 : n, of: Int32.self) { wideAt in
                                quantity = uninitialized(n, of: Float.self) { quantityAt in
                                    value = uninitialized(n, of: Float.self) { valueAt in
                                        idEnds = uninitialized(n + 1, of: UInt32.self) { endsAt in
                                            idText = uninitialized(capacity: file.size - file.bodyStart, of: UInt8.self) { textAt in
                                                guard let day, let fromAt, let toAt, let quantityAt, let valueAt, let endsAt, let textAt else { return 0 }
                                                let target = ColumnTarget(day: day, narrowItem: narrowAt, wideItem: wideAt, from: fromAt,
                                                                          to: toAt, quantity: quantityAt, value: valueAt,
                                                                          idText: textAt, idEnds: endsAt)
                                                slices = file.map(threads: threads, rows: { $0.count }, progress: report) { k in
                                                    let bytes = file.range(k)
                                                    var slice = SliceColumns(target: target, first: firsts[k], capacity: counts[k],
                                                                             textStart: bytes.lowerBound - file.bodyStart,
                                                                             textCapacity: bytes.count)
                                                    try parse(file.base, bytes, columns: columns, width: width,
                                                              entities: entities, items: items, into: &slice)
                                                    guard slice.count == counts[k], slice.partiesDone == slice.count else { throw Failure() }
                                                    return slice
                                                }
                                                guard let parts = slices else { return 0 }
                                                // NB: identifier ends are 32-bit, as in every identifier table.
                                                guard parts.reduce(0, { $0 + $1.textUsed }) <= Int(UInt32.max) else {
                                                    slices = nil
                                                    return 0
                                                }
                                                return compactIdentifiers(parts, file: file, text: textAt, ends: endsAt, threads: threads)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            LoadTrace.mark("shipments: slices parsed")
            guard n > 0 else { return ShipmentColumns(batches: []) }
            guard var parts = slices else { return nil }
            slices = nil  // NB: else every slice's texts outlive the join, which releases each as it copies it.
            idEnds[0] = 0
            let ids = IdTable(unindexedText: idText, ends: idEnds)
            idText = []; idEnds = []
            guard !hasDuplicateIDs([ids], threads: threads) else { return nil }
            LoadTrace.mark("shipments: identifiers checked")
            return join(&parts, firsts: firsts.map { Int32($0) }, ids: ids, day: day, from: from, to: to, narrowItem: narrowItem,
                        wideItem: wideItem, quantity: quantity, value: value)
        } ?? nil
    }

    /// Moves each slice's identifier text down to just after the slice before it (in file order, so that no
    /// text is overwritten before it is moved), makes the ends count from the start of the text (slices on all
    /// cores) and gives the memory past the text back; the text's length.
    private static func compactIdentifiers(_ parts: [SliceColumns], file: MappedSlices.MappedFile,
                                           text: UnsafeMutablePointer<UInt8>, ends: UnsafeMutablePointer<UInt32>,
                                           threads: Int) -> Int {
        var bases: [Int] = []
        var total = 0
        for (k, part) in parts.enumerated() {
            bases.append(total)
            let from = text + (file.bounds[k] - file.bodyStart)
            if text + total != from, part.textUsed > 0 { (text + total).update(from: from, count: part.textUsed) }
            total += part.textUsed
        }
        let shared = ColumnEnds(ends: ends)
        let starts = bases, rows = parts.map { $0.first..<($0.first + $0.count) }
        let workers = max(1, min(threads, parts.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for k in stride(from: w, to: rows.count, by: workers) {
                let base = UInt32(truncatingIfNeeded: starts[k])
                for row in rows[k] { shared.ends[row + 1] &+= base }
            }
        }
        // The pages past the text were written by later slices before their text moved down.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let keep = (Int(bitPattern: text + total) + page - 1) & ~(page - 1)
        let end = Int(bitPattern: text + (file.size - file.bodyStart)) & ~(page - 1)
        if end > keep { _ = madvise(UnsafeMutableRawPointer(bitPattern: keep), end - keep, MADV_DONTNEED) }
        return total
    }

    /// The columns from the slices' rows: identifiers and sparse fields joined (each slice's released as soon as
    /// it is copied), and a column widened where a slice kept values aside.
    private static func join(_ parts: inout [SliceColumns], firsts: [Int32], ids: IdTable, day: [UInt16], from: [Int32], to: [Int32],
                             narrowItem: [UInt16], wideItem: [Int32], quantity: [Float], value: [Float]) -> ShipmentColumns {
        var licenses = SparseText(), references = SparseText()
        licenses.reserve(entries: parts.reduce(0) { $0 + $1.licenses.count }, bytes: parts.reduce(0) { $0 + $1.licenses.text.arenaByteCount })
        references.reserve(entries: parts.reduce(0) { $0 + $1.references.count }, bytes: parts.reduce(0) { $0 + $1.references.text.arenaByteCount })
        var endUsers = SparseColumn<Int32>()
        for k in parts.indices {
            licenses.append(contentsOf: parts[k].licenses, rowOffset: firsts[k])
            parts[k].licenses = SparseText()
            references.append(contentsOf: parts[k].references, rowOffset: firsts[k])
            parts[k].references = SparseText()
            for u in parts[k].endUsers { endUsers.rows.append(firsts[k] + u.row); endUsers.values.append(u.entity) }
            parts[k].endUsers = []
        }
        /// The values a column kept aside, by table row.
        func aside<W>(_ kept: KeyPath<SliceColumns, [(row: Int32, value: W)]>) -> [(row: Int32, value: W)] {
            zip(parts, firsts).flatMap { part, first in part[keyPath: kept].map { (first + $0.row, $0.value) } }
        }
        var days = DayColumn(base: 0, narrow: day, wide: [])
        let wideDays = aside(\.wideDays)
        if !wideDays.isEmpty {
            var wide = day.map { Int32($0) }
            for (row, d) in wideDays { wide[Int(row)] = d }
            days = DayColumn(base: 0, narrow: [], wide: wide)
        }
        let low = parts.map(\.lowDay).min() ?? 0, high = parts.map(\.highDay).max() ?? 0
        return ShipmentColumns(
            day: days, from: from, to: to, item: IndexColumn(narrow: narrowItem, wide: wideItem),
            quantity: NumberColumn(narrow: quantity, aside: aside(\.wideQuantities)).compacted(),
            value: NumberColumn(narrow: value, aside: aside(\.wideValues)), ids: ids, endUsers: endUsers,
            licenses: licenses, references: references, days: from.isEmpty ? nil : low...high)
    }
}

/// The identifier ends the slices fix up, each its own rows.
private struct ColumnEnds: @unchecked Sendable { let ends: UnsafeMutablePointer<UInt32> }

/// An array with room for `capacity` elements of a type with no references, of which `body` writes the first
/// ones through the pointer to its storage (`nil` when `capacity` is 0) and returns how many.
func uninitialized<T>(capacity: Int, of: T.Type, _ body: (UnsafeMutablePointer<T>?) -> Int) -> [T] {
    precondition(_isPOD(T.self), "uninitialized(capacity:of:_:) is for types with no references")
    return [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
        initialized = min(capacity, max(0, body(capacity > 0 ? buffer.baseAddress : nil)))
    }
}

/// An array of `count` elements of a type with no references, written by `body` through the pointer to its
/// storage (`nil` when `count` is 0); elements `body` does not write hold whatever the memory held.
func uninitialized<T>(_ count: Int, of: T.Type, _ body: (UnsafeMutablePointer<T>?) -> Void) -> [T] {
    precondition(_isPOD(T.self), "uninitialized(_:of:_:) is for types with no references")
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        body(count > 0 ? buffer.baseAddress : nil)
        initialized = count
    }
}
