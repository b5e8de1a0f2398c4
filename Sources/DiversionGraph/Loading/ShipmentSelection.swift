#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessor
import Foundation

/// Which shipments a graph built for one purpose keeps in memory: those of the items ``keeps`` marks, given
/// every item and every bill-of-materials edge (assembly, part), once both tables are loaded.
///
/// An analysis reads only the shipments of goods its watch list reaches (see `AnalysisParameters` in
/// DiversionAnalysis); a graph loaded for that analysis alone need not hold the rest. The loader still reads
/// and checks every row of `shipments.csv` exactly as before (a row it cannot take fails the load with its line
/// and field), it only does not keep the rows of other goods: ``ShipmentGraph/omitted`` keeps what an analysis
/// asks of them.
public struct ShipmentSelection: Sendable {
    /// Whether the shipments of each item (by item id) are kept.
    public var keeps: @Sendable (_ items: [Item], _ parts: [(assembly: Int32, part: Int32)]) -> [Bool]

    public init(keeps: @escaping @Sendable (_ items: [Item], _ parts: [(assembly: Int32, part: Int32)]) -> [Bool]) {
        self.keeps = keeps
    }
}

/// The identifiers of a table as 64-bit hashes (``IdTable/hash(_:)``), each with the earliest day it was
/// seen, in 8-byte slots grouped eight to a cache line (10 MiB for a million parties), for checking the
/// parties of the shipments not kept without comparing text.
///
/// A slot holds the hash's *tag*, its top 48 bits (the lowest of them forced to 1, so that a slot in use is
/// never 0), above a 16-bit day (days from 1970; 0xFFFF: none yet); the tag's low 32 bits choose the line.
/// The names to check are *references*, a tag above the day the name was seen, grouped by the part of the table
/// they fall in (``check(_:threads:)``): one at a time, each look-up would miss every cache.
///
/// NB: a name that is not in the table passes only if it shares a line and 47 bits of hash with one that is:
/// about one chance in 2^44 per name (and the rows it lets through are ones no analysis reads).
final class IdentifierHashes: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>
    private let lines: UInt64
    /// The table's own mapping (zeroed by the system), or `nil` when it is allocated from the heap.
    private let mapped: UnsafeMutableRawPointer?
    private let byteCount: Int
    static let noDay: UInt16 = 0xFFFF

    convenience init(_ table: IdTable, threads: Int) {
        self.init(tables: [table], threads: threads)
    }

    /// The identifiers of every table of `tables`.
    init(tables: [IdTable], threads: Int) {
        // Six identifiers to a line of eight on average.
        let lineCount = max(1, (tables.reduce(0) { $0 + $1.count } + 5) / 6)
        lines = UInt64(lineCount)
        // Mapped on its own, in 2 MiB pages where the system gives them: look-ups spread over the whole table,
        // and with 4 KiB pages nearly each one would also miss the address cache.
        byteCount = (64 * lineCount + (2 << 20) - 1) & ~((2 << 20) - 1)
        let map = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let map, map != MAP_FAILED {
            _ = madvise(map, byteCount, MADV_HUGEPAGE)
            mapped = map
            slots = map.bindMemory(to: UInt64.self, capacity: 8 * lineCount)
        } else {
            mapped = nil
            slots = UnsafeMutableRawPointer.allocate(byteCount: 64 * lineCount, alignment: 64)
                .initializeMemory(as: UInt64.self, repeating: 0, count: 8 * lineCount)
        }
        for table in tables {
            let n = table.count, workers = max(1, min(threads, n / 65_536 + 1))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                // In groups of 32: every line of a group is asked for before the first is written, so that in a
                // table larger than the cache their misses overlap.
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 32) { hashes in
                    var k = w * 32
                    while k < n {
                        let count = min(32, n - k)
                        for j in 0..<count {
                            let h = table.withText(Int32(k + j)) { IdTable.hash($0) }
                            diversion_prefetch(slots + 8 * line(IdentifierHashes.tag(h)))
                            hashes[j] = h
                        }
                        for j in 0..<count { insert(hashes[j], shared: workers > 1) }
                        k += 32 * workers
                    }
                }
            }
        }
    }

    /// Starts building the table of the identifiers of `tables` on a thread of its own.
    static func building(_ tables: [IdTable]) -> Background<IdentifierHashes> {
        Background { IdentifierHashes(tables: tables, threads: 1) }
    }

    deinit {
        if let mapped { munmap(mapped, byteCount) } else { slots.deallocate() }
    }

    /// The line of a tag (or of a reference).
    @inline(__always)
    private func line(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: (((tag >> 16) & 0xFFFF_FFFF) &* lines) >> 32) }

    @inline(__always)
    private static func tag(_ h: UInt64) -> UInt64 { (h | 0x1_0000) & ~0xFFFF }

    /// A name to check: its hash `h`, seen on `day` (0xFFFF: seen not as shipper or consignee).
    @inline(__always)
    static func reference(_ h: UInt64, day: UInt16) -> UInt64 { tag(h) | UInt64(day) }

    /// Adds the tag of `h`; when the table is `shared` by threads adding at once, a slot is claimed by a
    /// compare-and-swap.
    @inline(__always)
    private func insert(_ h: UInt64, shared: Bool) {
        let tag = IdentifierHashes.tag(h)
        var l = line(tag)
        while true {
            for i in 8 * l..<8 * l + 8 {
                var s = diversion_load_u64(slots + i)
                if s == 0 {
                    if !shared {
                        slots[i] = tag | UInt64(IdentifierHashes.noDay)
                        return
                    }
                    if diversion_claim_u64(slots + i, 0, tag | UInt64(IdentifierHashes.noDay)) != 0 { return }
                    s = diversion_load_u64(slots + i)
                }
                if s & ~0xFFFF == tag { return }
            }
            l = l + 1 == Int(lines) ? 0 : l + 1
        }
    }

    /// The slot of the tag of `h` (or of a reference), or `nil` when it is not the tag of an identifier of the
    /// table.
    @inline(__always)
    private func slot(_ h: UInt64) -> UnsafeMutablePointer<UInt64>? {
        let tag = IdentifierHashes.tag(h)
        var l = line(tag)
        while true {
            let first = slots + 8 &* l
            let k = diversion_find_tag8(first, tag)
            if k >= 0 { return first + Int(k) }
            if k == -1 { return nil }
            l = l &+ 1 == Int(lines) ? 0 : l &+ 1
        }
    }

    /// Whether every reference of `lists` (each grouped by the top bits of the 32 bits that choose the line)
    /// names an identifier of the table; each one's day is noted where it is earlier than the day noted for its
    /// identifier. Group by group on all cores: a group's lines are a stretch of the table that stays in the
    /// core's cache while the group is checked.
    func check(_ lists: [ByteGroups], threads: Int) -> Bool {
        let missing = Flag()
        let workers = max(1, threads)
        // A sixty-fourth of the groups at a time (four of 256): their lines (160 KiB for a million parties) stay in
        // the core's cache, and each list's references to them lie together, a run the processor reads ahead.
        let groups = lists.first?.groups ?? 0, block = max(1, groups / 64)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for first in stride(from: w * block, to: groups, by: workers * block) {
                for list in lists {
                    let known = list.withGroups(first..<min(groups, first + block)) { references -> Bool in
                        #if arch(x86_64)
                        if BulkShipmentReader.usesAVX512 {
                            return references.isEmpty || diversion_check_references_avx512(slots, lines, references.baseAddress!, references.count) < 0
                        }
                        #endif
                        for r in references {
                            guard let s = slot(r) else { return false }
                            // A line at the edge of a block may hold a slot of the next block's worker.
                            let day = UInt16(truncatingIfNeeded: r)
                            if day < UInt16(truncatingIfNeeded: diversion_load_u64(s)) { diversion_atomic_min_low16(s, day) }
                        }
                        return true
                    }
                    if !known { missing.raise(); return }
                }
            }
        }
        return !missing.isRaised
    }

    /// The earliest day noted for the identifier whose hash is `h`, if any.
    func firstDay(ofHash h: UInt64) -> Int32? {
        guard let s = slot(h) else { return nil }
        let day = UInt16(truncatingIfNeeded: diversion_load_u64(s))
        return day == IdentifierHashes.noDay ? nil : Int32(day)
    }
}

/// One slice of `shipments.csv` read for a ``ShipmentSelection``: the rows kept go into a batch (parties
/// looked up as always); every row, kept or not, has its identifier's hash noted (for the duplicate check over
/// the whole table), and the rows not kept the references to their parties (``IdentifierHashes``). Both lists
/// are written into buffers the slices of one load take turns with (``WordBuffers``) and sorted by group when
/// the slice is read (``ByteGroups``); the whole table's are checked group by group once every slice is read.
struct SelectedSlice: ShipmentOutput {
    var batch = ShipmentBatch()
    let kept: [Bool]
    var lowDay = Int32.max, highDay = Int32.min
    /// Every row's identifier hash, in row order.
    let ids: UnsafeMutableBufferPointer<UInt64>
    private(set) var idCount = 0
    /// The parties named by the rows not kept, as ``IdentifierHashes/reference(_:day:)``.
    let parties: UnsafeMutableBufferPointer<UInt64>
    private(set) var partyCount = 0

    init(kept: [Bool], ids: UnsafeMutableBufferPointer<UInt64>, parties: UnsafeMutableBufferPointer<UInt64>) {
        self.kept = kept
        self.ids = ids
        self.parties = parties
    }

    var count: Int { batch.count }
    var endUsers: [(row: Int32, entity: Int32)] {
        get { batch.endUsers }
        set { batch.endUsers = newValue }
    }
    var licenses: SparseText {
        get { batch.licenses }
        set { batch.licenses = newValue }
    }
    var references: SparseText {
        get { batch.references }
        set { batch.references = newValue }
    }

    mutating func reserve(rows: Int) { batch.reserve(rows: rows / 8) }

    @inline(__always)
    func keeps(_ item: Int32) -> Bool { kept[Int(item)] }

    @inline(__always)
    private mutating func noteID(_ id: UnsafeBufferPointer<UInt8>, day: Int32,
                                 readableUpTo limit: UnsafePointer<UInt8>? = nil) throws {
        lowDay = min(lowDay, day); highDay = max(highDay, day)
        guard idCount < ids.count else { throw BulkShipmentReader.Failure() }
        ids[idCount] = IdTable.hash(id, readableUpTo: limit)
        idCount &+= 1
    }

    @inline(__always)
    mutating func append(day: Int32, item: Int32, quantity: Double, value: Double, id: UnsafeBufferPointer<UInt8>) throws {
        try noteID(id, day: day)
        batch.append(day: day, item: item, quantity: quantity, value: value, id: id)
    }

    @inline(__always)
    mutating func appendParties(_ from: Int32, _ to: Int32) throws { batch.appendParties(from, to) }

    @inline(__always)
    mutating func skip(day: Int32, id: UnsafeBufferPointer<UInt8>, from: UnsafeBufferPointer<UInt8>,
                       to: UnsafeBufferPointer<UInt8>, endUser: UnsafeBufferPointer<UInt8>,
                       readableUpTo limit: UnsafePointer<UInt8>) throws {
        try noteID(id, day: day, readableUpTo: limit)
        // Days are noted in 16 bits: a day outside 1970-2149 goes to the row-by-row reader.
        guard day >= 0, day < Int32(IdentifierHashes.noDay), partyCount &+ 3 <= parties.count else {
            throw BulkShipmentReader.Failure()
        }
        let day16 = UInt16(truncatingIfNeeded: day)
        let hf = IdTable.hash(from, readableUpTo: limit), ht = IdTable.hash(to, readableUpTo: limit)
        // A party shipping to itself: the same text (distinct texts are distinct parties or unknown ones).
        if hf == ht, from.count == to.count, from.count == 0 || memcmp(from.baseAddress!, to.baseAddress!, from.count) == 0 {
            throw BulkShipmentReader.Failure()
        }
        parties[partyCount] = IdentifierHashes.reference(hf, day: day16)
        parties[partyCount &+ 1] = IdentifierHashes.reference(ht, day: day16)
        partyCount &+= 2
        if !endUser.isEmpty {
            parties[partyCount] = IdentifierHashes.reference(IdTable.hash(endUser, readableUpTo: limit), day: IdentifierHashes.noDay)
            partyCount &+= 1
        }
    }
}

/// Words sorted by a few bits of each (2^bits groups, in word order within a group), and where each group
/// starts.
struct ByteGroups: Sendable {
    let words: [UInt64]
    /// 2^bits + 1 entries: group `g` is `words[starts[g]..<starts[g + 1]]`.
    let starts: [Int32]
    var groups: Int { starts.count - 1 }

    /// The words of `source` grouped by their `bits` bits from `shift` up (a counting sort: two passes).
    init(_ source: UnsafeBufferPointer<UInt64>, shift: UInt64, bits: Int = 8) {
        let groups = 1 << bits, mask = UInt64(groups - 1)
        var starts = [Int32](repeating: 0, count: groups + 1)
        starts.withUnsafeMutableBufferPointer { c in
            for w in source { c[Int(truncatingIfNeeded: (w >> shift) & mask) &+ 1] &+= 1 }
            for g in 0..<groups { c[g + 1] &+= c[g] }
        }
        var at = starts
        words = [UInt64](unsafeUninitializedCapacity: source.count) { out, initialized in
            at.withUnsafeMutableBufferPointer { at in
                for w in source {
                    let g = Int(truncatingIfNeeded: (w >> shift) & mask)
                    out[Int(at[g])] = w
                    at[g] &+= 1
                }
            }
            initialized = source.count
        }
        self.starts = starts
    }

    /// The words of group `g`.
    @inline(__always)
    func withGroup<R>(_ g: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        withGroups(g..<(g + 1), body)
    }

    /// The words of the groups of `range`, which lie together.
    @inline(__always)
    func withGroups<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        words.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[Int(starts[range.lowerBound])..<Int(starts[range.upperBound])]))
        }
    }
}

/// Word buffers of one size that the slices of a load take in turn, so that each slice's lists are written
/// into memory already in use instead of fresh pages.
final class WordBuffers: @unchecked Sendable {
    let capacity: Int
    private var free: [UnsafeMutableBufferPointer<UInt64>] = []
    private let lock = NSLock()

    init(capacity: Int) { self.capacity = capacity }

    deinit { for b in free { b.deallocate() } }

    func take() -> UnsafeMutableBufferPointer<UInt64> {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? .allocate(capacity: capacity)
    }

    func give(_ buffer: UnsafeMutableBufferPointer<UInt64>) {
        lock.lock()
        free.append(buffer)
        lock.unlock()
    }
}

extension BulkShipmentReader {
    /// What one slice read for a selection hands back.
    struct SelectedPart: Sendable {
        var batch: ShipmentBatch
        /// Identifier hashes by their top byte.
        var ids: ByteGroups
        /// References to the parties of rows not kept, by the top byte of the 32 bits that choose their line.
        var parties: ByteGroups
        var days: ClosedRange<Int32>?
    }

    /// The rows of the items `kept` marks, as the graph's columns, and what was read and not kept; `nil` when
    /// the row-by-row reader must take the table (a row it cannot take, or two identifiers with one hash).
    /// Every row is checked as ``readColumns(path:bodyStart:columns:width:entities:items:threads:progress:sliceSize:)``
    /// checks it: the rows not kept have their parties checked by hash (``IdentifierHashes``), and every
    /// identifier is checked against every other by hash (equal hashes send the table to the row-by-row reader,
    /// which compares the text).
    ///
    /// The checks go group by group over every slice's lists: a group's part of the party table, and its set
    /// of identifier hashes, stay in the core's cache while it is checked.
    static func readSelected(path: String, bodyStart: Int, columns: [Int], width: Int, entities: IdTable, items: IdTable,
                             kept: [Bool], partyHashes: Background<IdentifierHashes>? = nil, threads: Int, progress: (@Sendable (LoadProgress) -> Void)?,
                             sliceSize: Int = BulkShipmentReader.sliceSize) -> (columns: ShipmentColumns, omitted: OmittedShipments)? {
        guard kept.count == items.count else { return nil }
        let report = progress.map { p in { (bytes: Int64, rows: Int, size: Int64) in
            p(LoadProgress(table: .shipments, rows: rows, bytesRead: bytes, totalBytes: size)) } }
        // A row holds at least a date and five other fields: fewer than one row in 16 bytes, three names a row.
        let items = ItemLookup(items)
        let idBuffers = WordBuffers(capacity: sliceSize / 16 + 64), partyBuffers = WordBuffers(capacity: 3 * (sliceSize / 16) + 64)
        let parts = MappedSlices.parse(path: path, bodyStart: bodyStart, threads: threads, sliceSize: sliceSize,
                                       rows: { $0.ids.words.count }, progress: report) { base, range -> SelectedPart in
            let ids = idBuffers.take(), names = partyBuffers.take()
            defer { idBuffers.give(ids); partyBuffers.give(names) }
            var slice = SelectedSlice(kept: kept, ids: ids, parties: names)
            try parse(base, range, columns: columns, width: width, entities: entities, items: items, into: &slice)
            return SelectedPart(batch: slice.batch,
                                ids: ByteGroups(UnsafeBufferPointer(rebasing: ids[0..<slice.idCount]), shift: 56),
                                parties: ByteGroups(UnsafeBufferPointer(rebasing: names[0..<slice.partyCount]), shift: 40, bits: 8),
                                days: slice.lowDay <= slice.highDay ? slice.lowDay...slice.highDay : nil)
        }
        LoadTrace.mark("shipments: slices parsed")
        guard let parts else { return nil }
        let hashes = partyHashes?.value ?? IdentifierHashes(entities, threads: threads)
        LoadTrace.mark("shipments: party hashes")
        guard hashes.check(parts.map(\.parties), threads: threads) else { return nil }
        LoadTrace.mark("shipments: parties checked")
        guard !hasEqualHashes(parts.map(\.ids), threads: threads) else { return nil }
        LoadTrace.mark("shipments: identifiers checked")
        let rows = parts.reduce(0) { $0 + $1.ids.words.count }
        var table = ShipmentColumns(batches: parts.map(\.batch))
        let days = parts.compactMap(\.days)
        table.days = days.isEmpty ? nil : days.map(\.lowerBound).min()!...days.map(\.upperBound).max()!
        return (table, OmittedShipments(count: rows - table.count, parties: hashes))
    }

    /// Whether two of the hashes of `lists` (each grouped by its top byte) are equal (a hash of 0 counts as equal
    /// to another): each group of every list goes through one hash set, on all cores.
    static func hasEqualHashes(_ lists: [ByteGroups], threads: Int) -> Bool {
        let largest = (0..<256).map { g in lists.reduce(0) { $0 + Int($1.starts[g + 1] - $1.starts[g]) } }.max() ?? 0
        let found = Flag()
        let workers = max(1, min(threads, 256))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var size = 16
            while size < 2 * largest { size <<= 1 }
            var set = [UInt64](repeating: 0, count: size)
            set.withUnsafeMutableBufferPointer { set in
                for g in stride(from: w, to: 256, by: workers) {
                    let count = lists.reduce(0) { $0 + Int($1.starts[g + 1] - $1.starts[g]) }
                    var mask = 15
                    while mask + 1 < 2 * count { mask = mask << 1 | 1 }
                    for i in 0...mask { set[i] = 0 }
                    for list in lists {
                        let equal = list.withGroup(g) { hashes -> Bool in
                            for h in hashes {
                                if h == 0 { return true }
                                var i = Int(truncatingIfNeeded: h >> 8) & mask
                                while set[i] != 0 {
                                    if set[i] == h { return true }
                                    i = (i + 1) & mask
                                }
                                set[i] = h
                            }
                            return false
                        }
                        if equal { found.raise(); return }
                    }
                }
            }
        }
        return found.isRaised
    }
}

/// The shipments a load read and checked but did not keep (``ShipmentSelection``): how many, and the earliest
/// day each party shipped or received one of them, which is all any analysis asks of them.
public struct OmittedShipments: Sendable {
    public var count = 0
    /// The parties by hash, with the first day each was seen in a row not kept.
    var parties: IdentifierHashes?

    public init() {}

    init(count: Int, parties: IdentifierHashes) {
        self.count = count
        self.parties = parties
    }

    /// The earliest day the party named `id` shipped or received a shipment not kept.
    func firstDay(of id: UnsafeBufferPointer<UInt8>) -> Int32? { parties?.firstDay(ofHash: IdTable.hash(id)) }
}

/// Work started on a thread of its own; ``value`` waits for it (and may be asked again).
final class Background<T>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> T) {
        Thread.detachNewThread {
            self.result = work()
            self.done.signal()
        }
    }

    var value: T {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
