#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessor
import Foundation

/// Reads the body of a clean `shipments.csv` on all cores: the file is mapped into memory, cut into slices at
/// line ends, and each slice is parsed, validated and resolved on its own: into a ``ShipmentBatch`` of its own
/// (``read(path:bodyStart:columns:width:entities:items:threads:progress:sliceSize:)``, for sinks that take
/// batches), or straight into its rows of the table's final columns (``readColumns(path:bodyStart:columns:width:entities:items:threads:progress:sliceSize:)``,
/// for the graph builder), the slices' records having been counted first.
///
/// It takes only the common case: fields plain or quoted (with no quote or line end inside), only ASCII, every
/// row valid. At the first row it cannot take it gives up and returns `nil` without having handed anything on,
/// and the loader reads the table
/// again row by row, which reports every problem with its line and field exactly as it always does. So the
/// fast path changes how long a load takes, never what it reports.
///
/// NB: with no line end inside a quoted field, every line end is a record end, so slices cut at line ends hold
/// whole records. A quoted field that holds a line end fails in the slice where it opens, and any failing slice
/// sends the whole table down the row-by-row path (a slice that starts inside such a field parses nonsense that
/// is never used). A single quoted cell used to do that (at 1M shipments, load 0.6 s to 3.0 s).
///
/// - Complexity: O(bytes) split over the cores; memory O(rows) for the columns.
enum BulkShipmentReader {
    static let sliceSize = 4 << 20

    struct Failure: Error {}

    /// Whether the processor's AVX-512 instructions are used: lines split 64 bytes at a time
    /// (``diversion_split_line_avx512``), a line of the party table compared at once
    /// (``diversion_check_references_avx512``). `DIVERSION_NO_AVX512` in the environment turns them off (the other
    /// path, which every x86-64 and ARM processor takes, gives the same results).
    static let usesAVX512: Bool = {
        #if arch(x86_64)
        return diversion_has_avx512bw() != 0 && ProcessInfo.processInfo.environment["DIVERSION_NO_AVX512"] == nil
        #else
        return false
        #endif
    }()

    /// The table's rows in file order, or `nil` when the row-by-row reader must take the table.
    ///
    /// - Parameters:
    ///   - bodyStart: byte offset of the first row after the header.
    ///   - columns: column index of each field of ``GraphTable/shipments``, -1 when absent.
    ///   - width: the number of columns in the header.
    static func read(path: String, bodyStart: Int, columns: [Int], width: Int, entities: IdTable, items: IdTable,
                     threads: Int, progress: (@Sendable (LoadProgress) -> Void)?,
                     sliceSize: Int = BulkShipmentReader.sliceSize) -> [ShipmentBatch]? {
        let items = ItemLookup(items)
        let batches = MappedSlices.parse(path: path, bodyStart: bodyStart, threads: threads, sliceSize: sliceSize,
                                         rows: { $0.count }, progress: progress.map { p in { p(LoadProgress(table: .shipments, rows: $1, bytesRead: $0, totalBytes: $2)) } }) {
            var batch = ShipmentBatch()
            try parse($0, $1, columns: columns, width: width, entities: entities, items: items, into: &batch)
            return batch
        }
        guard let batches, !hasDuplicateIDs(batches.map(\.ids), threads: threads) else { return nil }
        return batches
    }

    /// Parses the rows in `range` of the mapped file; throws at anything the row-by-row reader must see.
    static func parse<Output: ShipmentOutput>(_ base: UnsafePointer<UInt8>, _ range: Range<Int>, columns: [Int], width: Int,
                                              entities: IdTable, items: ItemLookup, into b: inout Output) throws {
        b.reserve(rows: (range.count / 64) + 16)
        // The from and to fields of the rows not yet resolved: where they start in the file and their lengths.
        var parties = PartyFields(entities: entities, base: base)
        defer { parties.release() }
        // The current row's field bounds: field c runs from just after bounds[c] (its comma; for the first
        // field, the byte before the line) to bounds[c + 1] (its comma, or the line end); a quoted field (its
        // bit in `quoted`) has its quotes taken off. Room for a chunk of sixteen commas past the last field.
        guard width <= 64 else { throw Failure() }
        var bounds = [Int](repeating: 0, count: width + 18)
        var quoted: UInt64 = 0
        let cId = columns[0], cDate = columns[1], cFrom = columns[2], cTo = columns[3], cItem = columns[4]
        let cQuantity = columns[5], cValue = columns[6], cEndUser = columns[7], cLicense = columns[8]
        let cReference = columns[9]
        var dates = DateCache()
        let wide = BulkShipmentReader.usesAVX512
        var endUsers = EndUserFields()
        try bounds.withUnsafeMutableBufferPointer { boundsBuffer in
            do {
                let bounds = boundsBuffer.baseAddress!
                @inline(__always) func field(_ c: Int) -> UnsafeBufferPointer<UInt8> {
                    guard c >= 0 else { return UnsafeBufferPointer(start: base, count: 0) }
                    let q = Int(truncatingIfNeeded: (quoted >> UInt64(c)) & 1)
                    return UnsafeBufferPointer(start: base + (bounds[c] &+ 1 &+ q), count: bounds[c &+ 1] &- bounds[c] &- 1 &- 2 &* q)
                }
                var p = range.lowerBound
                let end = range.upperBound
                while p < end {
                    // One line: split at commas, refusing quotes and non-ASCII bytes.
                    var column = 0
                    bounds[0] = p &- 1
                    quoted = 0
                    var high: UInt8 = 0
                    var i = p
                    // Sixteen bytes at a time while that many are left: a quote or a non-ASCII byte anywhere in
                    // them hands the line to the byte loop (past the line end it belongs to a row that would go
                    // there too), which comes back here after a quoted field.
                    scan: while true {
                        #if arch(x86_64)
                        if wide {
                            var state = 0
                            i = diversion_split_line_avx512(base, i, end, bounds, width, &column, &state)
                            if state == 0 { break scan }
                            if state == 2 { throw Failure() }
                        }
                        #endif
                        vectors: while i + 16 <= end {
                            let classes = diversion_classify16(base + i)
                            if classes.refused != 0 { break vectors }
                            let stops = classes.stops
                            var commas = classes.commas
                            // Only the commas before the line end belong to this row.
                            if stops != 0 { commas &= (stops & (0 &- stops)) &- 1 }
                            while commas != 0 {
                                column &+= 1
                                bounds[column] = i &+ commas.trailingZeroBitCount
                                commas &= commas &- 1
                            }
                            if column >= width { throw Failure() }
                            if stops != 0 { i = i &+ stops.trailingZeroBitCount; break vectors }
                            i &+= 16
                        }
                        while i < end {
                            let c = base[i]
                            if c == 0x0A || c == 0x0D { break scan }
                            if c == 0x2C {
                                if column == width - 1 { throw Failure() }
                                column += 1
                                bounds[column] = i
                            } else if c == 0x22 {
                                // A quoted field: its text runs to the closing quote. A quote inside one (written
                                // "") or a line end inside one is left to the row-by-row reader, and so is a quote
                                // that does not open a field or text after a closing quote.
                                guard i == bounds[column] + 1 else { throw Failure() }
                                var j = i + 1
                                while j < end, base[j] != 0x22 {
                                    if base[j] == 0x0A || base[j] == 0x0D { throw Failure() }
                                    high |= base[j]
                                    j += 1
                                }
                                guard j < end else { throw Failure() }
                                let after = j + 1
                                if after < end, base[after] == 0x22 { throw Failure() }
                                quoted |= 1 << UInt64(column)
                                if after < end, base[after] == 0x2C {
                                    if column == width - 1 { throw Failure() }
                                    column += 1
                                    bounds[column] = after
                                    i = after + 1
                                    continue scan
                                }
                                guard after >= end || base[after] == 0x0A || base[after] == 0x0D else { throw Failure() }
                                i = after
                                break scan
                            }
                            high |= c
                            i += 1
                        }
                        break scan
                    }
                    let lineEnd = i
                    var next = i + 1
                    if i < end && base[i] == 0x0D {
                        // Only CR LF: a lone CR ends a record for the row-by-row reader, which takes those files.
                        guard i + 1 < end, base[i + 1] == 0x0A else { throw Failure() }
                        next = i + 2
                    }
                    if lineEnd == p { p = next; continue }  // a blank line
                    guard high & 0x80 == 0, column == width - 1 else { throw Failure() }
                    bounds[width] = lineEnd
                    p = next

                    let id = field(cId)
                    // A few hundred dates recur over millions of rows: each is parsed once.
                    let dateText = field(cDate)
                    guard let date = dates.day(of: dateText) else { throw Failure() }
                    guard !id.isEmpty, let item = items.lookup(field(cItem), readableUpTo: base + end),
                          cFrom >= 0, cTo >= 0
                    else { throw Failure() }
                    let quantityText = field(cQuantity), valueText = field(cValue)
                    // A row of goods the output does not keep: checked, not kept.
                    guard b.keeps(item) else {
                        let limit = base + end
                        guard BulkShipmentReader.isNumber(quantityText, positive: true, readableUpTo: limit),
                              valueText.isEmpty || BulkShipmentReader.isNumber(valueText, positive: false, readableUpTo: limit)
                        else { throw Failure() }
                        try b.skip(day: date.rawValue, id: id, from: field(cFrom), to: field(cTo), endUser: field(cEndUser),
                                   readableUpTo: limit)
                        continue
                    }
                    let row = KeptRow(day: date.rawValue, item: item, id: id, quantity: quantityText, value: valueText,
                                      from: field(cFrom), to: field(cTo), endUser: field(cEndUser),
                                      license: field(cLicense), reference: field(cReference))
                    try add(row, base: base, into: &b, parties: &parties, endUsers: &endUsers)
                }
            }
        }
        try parties.resolve(into: &b)
        let users = try PartyFields.lookUp(endUsers.starts, endUsers.lengths, base: base, in: entities)
        for (k, user) in users.enumerated() { b.endUsers[k].entity = user }
    }

    /// The fields of a row that is kept.
    struct KeptRow {
        let day: Int32, item: Int32
        let id, quantity, value, from, to, endUser, license, reference: UnsafeBufferPointer<UInt8>
    }

    /// Where the declared end users of the rows kept are in the file (looked up once the slice is read).
    struct EndUserFields {
        var starts: [Int] = [], lengths: [Int32] = []
    }

    /// Checks and adds a kept row, its parties to be looked up a few thousand rows at a time.
    @inline(__always)
    static func add<Output: ShipmentOutput>(_ r: KeptRow, base: UnsafePointer<UInt8>, into b: inout Output,
                                            parties: inout PartyFields, endUsers: inout EndUserFields) throws {
        guard let q = BulkShipmentReader.number(r.quantity), q > 0 else { throw Failure() }
        let row = Int32(b.count)
        var value = Double.nan
        if !r.value.isEmpty {
            guard let v = BulkShipmentReader.number(r.value), v >= 0 else { throw Failure() }
            value = v
        }
        if !r.endUser.isEmpty {
            endUsers.starts.append(r.endUser.baseAddress! - base); endUsers.lengths.append(Int32(r.endUser.count))
            b.endUsers.append((row, -1))
        }
        if !r.license.isEmpty { b.licenses.append(row: row, r.license) }
        if !r.reference.isEmpty { b.references.append(row: row, r.reference) }
        try b.append(day: r.day, item: r.item, quantity: q, value: value, id: r.id)
        let fromAt = r.from.baseAddress! - base, toAt = r.to.baseAddress! - base
        if parties.add(from: fromAt, fromAt + r.from.count, to: toAt, toAt + r.to.count) {
            try parties.resolve(into: &b)
        }
    }

    /// The shipper and consignee fields of rows read but not yet resolved, a few thousand at a time, so that
    /// their look-ups go through ``IdTable/lookupMany(base:starts:lengths:into:)`` in groups without a list
    /// as long as the slice.
    struct PartyFields {
        static let rows = 4_096
        let entities: IdTable
        let base: UnsafePointer<UInt8>
        /// Shipper then consignee of each row held, in turn: where the field starts, its length and its hash
        /// (room for ``rows`` rows, allocated once per slice).
        let starts: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int32>
        let hashes: UnsafeMutablePointer<UInt64>
        var held = 0

        init(entities: IdTable, base: UnsafePointer<UInt8>) {
            self.entities = entities
            self.base = base
            starts = .allocate(capacity: 2 * PartyFields.rows)
            lengths = .allocate(capacity: 2 * PartyFields.rows)
            hashes = .allocate(capacity: 2 * PartyFields.rows)
        }

        /// Frees the buffers; the fields must not be used after.
        func release() {
            starts.deallocate(); lengths.deallocate(); hashes.deallocate()
        }

        /// Adds a row's fields (start and end offsets); true when the rows held should now be resolved. Each
        /// field is hashed now and its home slot's read started, so that the slot arrives while the rows after it
        /// are parsed (a million parties' table misses the cache at every look-up).
        @inline(__always)
        mutating func add(from: Int, _ fromEnd: Int, to: Int, _ toEnd: Int) -> Bool {
            let hf = IdTable.hash(UnsafeBufferPointer(start: base + from, count: fromEnd - from))
            let ht = IdTable.hash(UnsafeBufferPointer(start: base + to, count: toEnd - to))
            entities.prefetchHome(ofHash: hf)
            entities.prefetchHome(ofHash: ht)
            starts[held] = from; lengths[held] = Int32(fromEnd - from); hashes[held] = hf
            starts[held + 1] = to; lengths[held + 1] = Int32(toEnd - to); hashes[held + 1] = ht
            held += 2
            return held == 2 * PartyFields.rows
        }

        /// Looks up the rows held and appends their parties to `batch`; throws at an unknown party or a
        /// shipment from a party to itself.
        mutating func resolve<Output: ShipmentOutput>(into batch: inout Output) throws {
            let n = held
            held = 0
            guard n > 0 else { return }
            var ids = [Int32](repeating: 0, count: n)
            let found = ids.withUnsafeMutableBufferPointer {
                entities.lookupMany(base: base, starts: UnsafeBufferPointer(start: starts, count: n),
                                    lengths: UnsafeBufferPointer(start: lengths, count: n),
                                    hashes: UnsafeBufferPointer(start: hashes, count: n), into: $0)
            }
            guard found else { throw Failure() }
            for k in stride(from: 0, to: n, by: 2) {
                guard ids[k] != ids[k + 1] else { throw Failure() }
                try batch.appendParties(ids[k], ids[k + 1])
            }
        }

        /// The parties named by the fields at `starts` (of `lengths` bytes), looked up as a group.
        static func lookUp(_ starts: [Int], _ lengths: [Int32], base: UnsafePointer<UInt8>, in entities: IdTable) throws -> [Int32] {
            var ids = [Int32](repeating: 0, count: starts.count)
            let found = starts.withUnsafeBufferPointer { s in
                lengths.withUnsafeBufferPointer { l in
                    ids.withUnsafeMutableBufferPointer { entities.lookupMany(base: base, starts: s, lengths: l, into: $0) }
                }
            }
            guard found else { throw Failure() }
            return ids
        }
    }

    /// A number field: plain digits (most quantities and values) read in place, anything else by
    /// ``parseDecimal(_:)``, which gives the same value for plain digits.
    @inline(__always)
    static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count > 0, b.count <= 15 else { return parseDecimal(b) }
        var v: UInt64 = 0
        for c in b {
            let d = c &- 0x30
            guard d < 10 else { return parseDecimal(b) }
            v = v &* 10 &+ UInt64(d)
        }
        return Double(v)
    }

    /// Whether `b` is a number field ``number(_:)`` takes, greater than 0 (`positive`) or at least 0: plain
    /// digits are decided without converting them.
    @inline(__always)
    static func isNumber(_ b: UnsafeBufferPointer<UInt8>, positive: Bool) -> Bool {
        if b.count > 0, b.count <= 15, let start = b.baseAddress {
            var seen: UInt8 = 0, k = 0
            while k < b.count {
                let d = start[k] &- 0x30
                if d >= 10 { return isNumberAsRead(b, positive: positive) }
                seen |= d
                k &+= 1
            }
            return !positive || seen != 0
        }
        return isNumberAsRead(b, positive: positive)
    }

    /// ``isNumber(_:positive:)`` for a field whose bytes up to `limit` may be read: a field of at most eight
    /// bytes is read as one word and its digits checked all at once.
    @inline(__always)
    static func isNumber(_ b: UnsafeBufferPointer<UInt8>, positive: Bool, readableUpTo limit: UnsafePointer<UInt8>) -> Bool {
        guard b.count > 0, b.count <= 8, let start = b.baseAddress, start + 8 <= limit else {
            return isNumber(b, positive: positive)
        }
        let mask: UInt64 = b.count == 8 ? ~0 : (1 &<< (8 &* UInt64(b.count))) &- 1
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // The bytes past the field read as '0'.
        let w = (UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self)) & mask) | (zeros & ~mask)
        // A byte is a digit when its high half is 3 and adding 6 leaves it so (no carry crosses a byte that
        // passes the first test).
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard w & high == zeros, (w &+ 0x0606_0606_0606_0606) & high == zeros else {
            return isNumberAsRead(b, positive: positive)
        }
        return !positive || w != zeros
    }

    /// ``isNumber(_:positive:)`` for a field that is not plain digits: read by ``number(_:)``.
    @inline(never)
    static func isNumberAsRead(_ b: UnsafeBufferPointer<UInt8>, positive: Bool) -> Bool {
        guard let v = number(b) else { return false }
        return positive ? v > 0 : v >= 0
    }

    /// Whether two identifiers of `parts` (tables read by number, laid one after another) are equal: their
    /// hashes, grouped stretch by stretch on all cores, go through ``hasEqualHashes(_:threads:)``, and equal
    /// hashes are confirmed on the text (a real duplicate, or two identifiers that merely share a hash).
    static func hasDuplicateIDs(_ parts: [IdTable], threads: Int) -> Bool {
        let n = parts.reduce(0) { $0 + $1.count }
        guard n > 1 else { return false }
        // Stretches of at most a million rows within one part.
        var cuts: [(part: Int, rows: Range<Int>)] = []
        for (p, part) in parts.enumerated() {
            var first = 0
            while first < part.count {
                let last = min(part.count, first + 1 << 20)
                cuts.append((p, first..<last))
                first = last
            }
        }
        let stretches = cuts
        let lists = SliceResults<ByteGroups>(count: stretches.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, stretches.count))) { _ in
            while let s = lists.take(), s < stretches.count {
                let (p, rows) = stretches[s]
                let hashes = rows.map { k in parts[p].withText(Int32(k)) { IdTable.hash($0) } }
                lists.set(s, hashes.withUnsafeBufferPointer { ByteGroups($0, shift: 56) }, rows: 0, bytes: 0) { _, _ in }
            }
        }
        guard hasEqualHashes(lists.batches, threads: threads) else { return false }
        var seen = Set<String>()
        for part in parts { for k in 0..<part.count where !seen.insert(part[Int32(k)]).inserted { return true } }
        return false
    }
}

/// Days of recently seen date fields (`YYYY-MM-DD`), so that a date that recurs is not parsed again: 1,024
/// entries (16 KiB), each holding the ten bytes of a date in two words and its day, found by a hash of the
/// bytes. A few years of dates fit, so rows in any order find theirs.
struct DateCache {
    private var entries = [(head: UInt64, tail: UInt16, day: Day)](repeating: (0, 0xFFFF, Day(rawValue: 0)), count: 1_024)
    /// The last date asked for (rows of one day often follow one another).
    private var last: (head: UInt64, tail: UInt16, day: Day) = (0, 0xFFFF, Day(rawValue: 0))

    /// The day of `b`, or `nil` when it is not a valid date (text of other than ten bytes is parsed each time).
    @inline(__always)
    mutating func day(of b: UnsafeBufferPointer<UInt8>) -> Day? {
        guard b.count == 10 else { return Day(asciiBytes: b) }
        let raw = UnsafeRawPointer(b.baseAddress!)
        let head = raw.loadUnaligned(as: UInt64.self), tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if last.head == head && last.tail == tail { return last.day }
        let slot = Int(truncatingIfNeeded: ((head ^ UInt64(tail) << 48) &* 0x9E37_79B9_7F4A_7C15) >> 54)
        // NB: read without asking for the array's storage to write (a hit, nearly every row, writes nothing).
        let e = entries[slot]
        if e.head == head && e.tail == tail {
            last = e
            return e.day
        }
        guard let d = Day(asciiBytes: b) else { return nil }
        entries[slot] = (head, tail, d)
        last = (head, tail, d)
        return d
    }
}

/// A table's identifiers, with those of at most 16 bytes also held in two words each in an open-addressing
/// table of their own, built once per load and read by every slice (a few thousand items looked up ten million
/// times): an identifier that short is matched on its bytes without hashing its text or reading the identifier
/// table; anything longer goes to the table. Every short identifier is in it, so one not found is unknown.
final class ItemLookup: @unchecked Sendable {
    let table: IdTable
    /// Slot `i`: the first word at `3i`, the second at `3i + 1`, then the length above the id + 1 (0: empty).
    private let slots: UnsafeMutablePointer<UInt64>
    private let mask: Int
    /// For a length `n` from 0 to 16: at `2n` the mask of its bytes in the first word, at `2n + 1` in the second.
    private let masks: UnsafeMutablePointer<UInt64>

    init(_ table: IdTable) {
        self.table = table
        masks = .allocate(capacity: 34)
        for n in 0...16 {
            masks[2 * n] = n >= 8 ? ~0 : (1 << (8 * UInt64(n))) - 1
            masks[2 * n + 1] = n <= 8 ? 0 : (n == 16 ? ~0 : (1 << (8 * UInt64(n - 8))) - 1)
        }
        var size = 16
        while size < 2 * table.count { size <<= 1 }
        mask = size - 1
        slots = .allocate(capacity: 3 * size)
        slots.initialize(repeating: 0, count: 3 * size)
        for id in 0..<table.count {
            table.withText(Int32(id)) { b in
                guard b.count > 0, b.count <= 16 else { return }
                let (w0, w1) = ItemLookup.words(b)
                var i = ItemLookup.slot(w0, w1, b.count) & mask
                while slots[3 * i + 2] != 0 { i = (i + 1) & mask }
                slots[3 * i] = w0
                slots[3 * i + 1] = w1
                slots[3 * i + 2] = UInt64(b.count) << 32 | UInt64(id + 1)
            }
        }
    }

    deinit { slots.deallocate(); masks.deallocate() }

    /// An identifier too long (or too short) for the short table, or too near the end of the memory that may be
    /// read: looked up byte by byte.
    @inline(never)
    private func lookUpSlowly(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count <= 16, b.count > 0 else { return table.lookup(b) }
        let (w0, w1) = ItemLookup.words(b)
        return find(Key(w0: w0, w1: w1, count: b.count, slot: ItemLookup.slot(w0, w1, b.count) & mask))
    }

    /// The id of `b`; memory up to `limit` may be read past the end of `b` (it is masked off).
    @inline(__always)
    func lookup(_ b: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>) -> Int32? {
        guard let key = key(b, readableUpTo: limit) else { return lookUpSlowly(b) }
        return find(key)
    }

    /// An identifier of at most 16 bytes in two words, and its first slot.
    private struct Key {
        let w0: UInt64, w1: UInt64, count: Int, slot: Int
    }

    /// The key of `b`, or `nil` when it is too long (or empty) or too near `limit`, the end of the memory that
    /// may be read (look it up with ``lookUpSlowly(_:)``).
    @inline(__always)
    private func key(_ b: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>) -> Key? {
        let n = b.count
        guard n <= 16, n > 0, let start = b.baseAddress, start + 16 <= limit else { return nil }
        // Both words read whole and masked to the identifier's length (a branch on the length would be taken one
        // way or the other row by row).
        let raw = UnsafeRawPointer(start)
        let w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & masks[2 &* n]
        let w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & masks[2 &* n &+ 1]
        return Key(w0: w0, w1: w1, count: n, slot: ItemLookup.slot(w0, w1, n) & mask)
    }

    /// The id of the identifier whose key is `key`.
    @inline(__always)
    private func find(_ key: Key) -> Int32? {
        let meta = UInt64(key.count) << 32
        var i = key.slot
        while true {
            let m = slots[3 * i + 2]
            if m == 0 { return nil }
            if m & 0xFFFF_FFFF_0000_0000 == meta, slots[3 * i] == key.w0, slots[3 * i + 1] == key.w1 {
                return Int32(truncatingIfNeeded: m & 0xFFFF_FFFF) - 1
            }
            i = (i + 1) & mask
        }
    }

    /// The bytes of `b` (at most 16) in two words, the bytes past it cleared.
    private static func words(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var w0: UInt64 = 0, w1: UInt64 = 0
        for k in 0..<min(8, b.count) { w0 |= UInt64(b[k]) << (8 * UInt64(k)) }
        if b.count > 8 { for k in 8..<b.count { w1 |= UInt64(b[k]) << (8 * UInt64(k - 8)) } }
        return (w0, w1)
    }

    @inline(__always)
    private static func slot(_ w0: UInt64, _ w1: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: ((w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(count)) &* 0xff51_afd7_ed55_8ccd) >> 20)
    }

}
