import CProcessor
import Foundation
/// Interns identifier strings to dense `Int32` ids: the first id added is 0, the next 1, and so on.
///
/// The text lives in one byte arena with an offset per id, and lookups go through an open-addressing
/// hash table of 16-byte slots: 24 bits of the identifier's hash, its length and its id in one word, its
/// first eight bytes in the other. Ten million identifiers cost about their own bytes plus 36 bytes each,
/// against several times that for a `[String: Int32]`.
///
/// NB: a slot holds all an identifier of up to eight bytes has, so looking one up reads one slot and
/// nothing else; once the table outgrows the cache, the reads of the text arena were most of the cost of
/// loading a large graph. Longer identifiers compare their first eight bytes in the slot, the rest in the
/// arena.
///
/// Lookups never mutate, so any number of threads may call ``lookup(_:)-(UnsafeBufferPointer<UInt8>)``
/// on a table that no thread is changing.
///
/// - Complexity: `insert` and `lookup` are O(length of the identifier) expected.
public struct IdTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [UInt32] = [0]
    /// Two words per slot: `meta` (0 when empty, else hash bits 40-63 | length (at most 255) << 32 |
    /// (id + 1)), then the first eight bytes of the identifier, zero-padded.
    private var slots: [UInt64] = IdTable.emptySlots(16)
    /// Slot count - 1 (-1 without a hash index).
    private var mask = 15

    public init() {}

    public init(minimumCapacity: Int) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        slots = IdTable.emptySlots(size)
        mask = size - 1
        offsets.reserveCapacity(minimumCapacity + 1)
    }

    /// Zeroed words for `count` slots; a large table asks the kernel for huge pages, so that random probes
    /// do not also miss the TLB at every step.
    private static func emptySlots(_ count: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: 2 * count) { words, initialized in
            #if os(Linux)
            let bytes = 16 * count
            if bytes >= 4 << 20, let base = words.baseAddress {
                let page = 2 << 20
                let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
                let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
                if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, 14 /* MADV_HUGEPAGE */) }
            }
            #endif
            words.initialize(repeating: 0)
            initialized = 2 * count
        }
    }

    public var count: Int { offsets.count - 1 }

    /// How many identifiers the hash index holds before it grows.
    public var capacity: Int { (mask + 1) / 2 }

    /// Bytes held by the table (arena, offsets and hash slots).
    public var byteCount: Int { arena.capacity + offsets.capacity * 4 + slots.capacity * 8 }

    /// Bytes held for the text and offsets alone (what is kept when only names are needed).
    public var textByteCount: Int { arena.count + offsets.count * 4 }

    /// Bytes of identifier text.
    public var arenaByteCount: Int { arena.count }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(b, readableUpTo: nil) }

    /// ``hash(_:)`` of `b`, whose last word may be read whole (and its bytes past `b` masked off) when memory up
    /// to `limit` may be read: the same value, without a loop over the bytes of the last word.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>?) -> UInt64 {
        // Eight bytes at a time, each word folded in with a multiply, then a final mix so that both halves are
        // usable (the low bits pick the slot, the high bits are the slot's fingerprint).
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: b.count)
        guard let start = b.baseAddress else { return mix(h) }
        var p = UnsafeRawPointer(start)
        var n = b.count
        while n >= 8 {
            h = (h ^ UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 29
            p += 8
            n -= 8
        }
        if n > 0 {
            var w: UInt64 = 0
            if let limit, p + 8 <= UnsafeRawPointer(limit) {
                w = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) & ((1 &<< (8 &* UInt64(n))) &- 1)
            } else {
                for k in 0..<n { w |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << (8 * UInt64(k)) }
            }
            h = (h ^ w) &* 0xff51_afd7_ed55_8ccd
        }
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// The slot's first word for an identifier of hash `h` and `length` bytes, without the id.
    @inline(__always)
    private static func signature(_ h: UInt64, _ length: Int) -> UInt64 {
        (h & 0xFFFF_FF00_0000_0000) | UInt64(min(length, 255)) << 32
    }

    private static let signatureMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The first eight bytes of `b`, zero-padded, in memory order.
    @inline(__always)
    private static func head(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let p = b.baseAddress else { return 0 }
        if b.count >= 8 { return UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) }
        var w: UInt64 = 0
        for k in 0..<b.count { w |= UInt64(p[k]) << (8 * UInt64(k)) }
        return w
    }

    /// Whether slot `i` holds `b` (of signature `sig` and head `w`): the slot alone decides for an identifier
    /// of up to eight bytes; a longer one compares the rest of its text.
    @inline(__always)
    private func slot(_ slots: UnsafeBufferPointer<UInt64>, _ i: Int, holds b: UnsafeBufferPointer<UInt8>,
                      _ sig: UInt64, _ w: UInt64) -> Int32? {
        let m = slots[2 * i]
        guard m & IdTable.signatureMask == sig, slots[2 * i + 1] == w else { return nil }
        let id = Int32(truncatingIfNeeded: m) - 1
        if b.count <= 8 { return id }
        return equals(id, b) ? id : nil
    }

    /// Probes from slot `start` on for `b`: its id when it is there, else the empty slot that ends the probe
    /// (where `b` would go).
    @inline(__always)
    private func probe(_ slots: UnsafeBufferPointer<UInt64>, from start: Int, for b: UnsafeBufferPointer<UInt8>,
                       _ sig: UInt64, _ w: UInt64) -> (id: Int32?, slot: Int) {
        var i = start
        while slots[2 * i] != 0 {
            if let id = slot(slots, i, holds: b, sig, w) { return (id, i) }
            i = (i + 1) & mask
        }
        return (nil, i)
    }

    @inline(__always)
    private func equals(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        if end - start != b.count { return false }
        if b.isEmpty { return true }
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + start, b.baseAddress!, b.count) == 0 }
    }

    /// The id of `bytes`, or `nil` when it was never added.
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if mask < 0 {
            for id in 0..<Int32(count) where equals(id, bytes) { return id }
            return nil
        }
        let h = IdTable.hash(bytes)
        let sig = IdTable.signature(h, bytes.count), w = IdTable.head(bytes)
        return slots.withUnsafeBufferPointer { probe($0, from: Int(truncatingIfNeeded: h) & mask, for: bytes, sig, w).id }
    }

    /// Looks up many identifiers at once: identifier `k` is the `lengths[k]` bytes at `base + starts[k]`, and
    /// its number goes to `ids[k]`. Returns false when any is missing.
    ///
    /// The identifiers go through in groups of 32: each of a group is hashed and a read of its home slot
    /// started (a prefetch); then each is decided on that slot. In a table larger than the cache every home
    /// slot misses, and this way the misses of a group overlap instead of waiting one after another.
    ///
    /// With `hashes` (from ``hash(_:)``, one per identifier), the identifiers are not hashed again: a reader that
    /// hashed each as it read it, and started its home slot's read then (``prefetchHome(ofHash:)``), finds the
    /// slots in the cache.
    public func lookupMany(base: UnsafePointer<UInt8>, starts: UnsafeBufferPointer<Int>, lengths: UnsafeBufferPointer<Int32>,
                           hashes: UnsafeBufferPointer<UInt64>? = nil, into ids: UnsafeMutableBufferPointer<Int32>) -> Bool {
        let n = starts.count
        guard mask >= 0 else {
            for k in 0..<n {
                guard let id = lookup(UnsafeBufferPointer(start: base + starts[k], count: Int(lengths[k]))) else { return false }
                ids[k] = id
            }
            return true
        }
        let group = 32
        return slots.withUnsafeBufferPointer { slots in
            // Per identifier of the group: home slot, signature and head.
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 * group) { scratch in
                var first = 0
                while first < n {
                    let count = min(group, n - first)
                    for j in 0..<count {
                        let k = first + j
                        let bytes = UnsafeBufferPointer(start: base + starts[k], count: Int(lengths[k]))
                        let h = hashes?[k] ?? IdTable.hash(bytes)
                        let i = Int(truncatingIfNeeded: h) & mask
                        diversion_prefetch(slots.baseAddress! + 2 * i)
                        scratch[3 * j] = UInt64(i)
                        scratch[3 * j + 1] = IdTable.signature(h, bytes.count)
                        scratch[3 * j + 2] = IdTable.head(bytes)
                    }
                    for j in 0..<count {
                        let k = first + j
                        let i = Int(scratch[3 * j])
                        let meta = slots[2 * i]
                        // Found at home with all its bytes in the slot: decided without the arena.
                        if meta & IdTable.signatureMask == scratch[3 * j + 1], slots[2 * i + 1] == scratch[3 * j + 2],
                           lengths[k] <= 8 {
                            ids[k] = Int32(truncatingIfNeeded: meta) - 1
                            continue
                        }
                        // Another identifier at home, or a long one: probe with what is known, no second hash.
                        let bytes = UnsafeBufferPointer(start: base + starts[k], count: Int(lengths[k]))
                        guard let id = probe(slots, from: i, for: bytes, scratch[3 * j + 1], scratch[3 * j + 2]).id else { return false }
                        ids[k] = id
                    }
                    first += count
                }
                return true
            }
        }
    }

    /// Starts reading the home slot of an identifier of hash `h` (``hash(_:)``) into the cache, without waiting.
    @inline(__always)
    func prefetchHome(ofHash h: UInt64) {
        guard mask >= 0 else { return }
        slots.withUnsafeBufferPointer { diversion_prefetch($0.baseAddress! + 2 * (Int(truncatingIfNeeded: h) & mask)) }
    }

    public func lookup(_ id: String) -> Int32? {
        var id = id
        return id.withUTF8 { lookup($0) }
    }

    /// Adds `bytes` and returns its new id, or returns `(existing, false)` when it is already there.
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        precondition(hasHashIndex || count == 0, "insert into an IdTable whose hash index was dropped")
        if mask < 0 { slots = IdTable.emptySlots(16); mask = 15 }
        if count * 2 >= mask + 1 { grow() }
        return insert(bytes, hash: IdTable.hash(bytes))
    }

    /// `insert(_:)` with the hash already worked out, into a table with room for one more.
    @inline(__always)
    private mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int32, inserted: Bool) {
        let sig = IdTable.signature(h, bytes.count), w = IdTable.head(bytes)
        let (found, i) = slots.withUnsafeBufferPointer { probe($0, from: Int(truncatingIfNeeded: h) & mask, for: bytes, sig, w) }
        if let existing = found { return (existing, false) }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        slots[2 * i] = sig | UInt64(UInt32(id) + 1)
        slots[2 * i + 1] = w
        return (id, true)
    }

    /// Adds the identifiers of `other` in turn (its text, not its hash index), and returns false at the first
    /// that is already there (those before it stay added).
    ///
    /// Like ``lookupMany(base:starts:lengths:into:)``, it goes in groups of 32: the home slots of a group are
    /// all asked for (prefetched) before the first is read, so that in a table larger than the cache their
    /// misses overlap.
    public mutating func insertAll(contentsOf other: IdTable) -> Bool {
        precondition(hasHashIndex || count == 0, "insert into an IdTable whose hash index was dropped")
        if mask < 0 { slots = IdTable.emptySlots(16); mask = 15 }
        while (count + other.count) * 2 >= mask + 1 { grow() }
        // The text goes in at once; the hash slots follow one identifier at a time, and at a duplicate the text
        // of those not slotted is taken off again.
        let first = count
        appendText(of: other)
        let group = 32
        let mask = self.mask
        var added = 0
        // NB: the slots are moved out while they are written (probe reads the rest of the table).
        var table = slots
        slots = []
        let unique = arena.withUnsafeBufferPointer { texts in offsets.withUnsafeBufferPointer { ends in
            table.withUnsafeMutableBufferPointer { slots in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: group) { hashes in
                    func text(_ id: Int) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: texts[Int(ends[id])..<Int(ends[id + 1])])
                    }
                    var next = first
                    while next < first + other.count {
                        let n = min(group, first + other.count - next)
                        for j in 0..<n {
                            let h = IdTable.hash(text(next + j))
                            diversion_prefetch(slots.baseAddress! + 2 * (Int(truncatingIfNeeded: h) & mask))
                            hashes[j] = h
                        }
                        for j in 0..<n {
                            let id = next + j, bytes = text(id), h = hashes[j]
                            let sig = IdTable.signature(h, bytes.count), w = IdTable.head(bytes)
                            let (found, i) = probe(UnsafeBufferPointer(slots), from: Int(truncatingIfNeeded: h) & mask,
                                                   for: bytes, sig, w)
                            if found != nil { return false }
                            slots[2 * i] = sig | UInt64(UInt32(id) + 1)
                            slots[2 * i + 1] = w
                            added += 1
                        }
                        next += n
                    }
                    return true
                }
            }
        } }
        slots = table
        if !unique {
            offsets.removeLast(other.count - added)
            arena.removeLast(arena.count - Int(offsets[offsets.count - 1]))
        }
        return unique
    }

    @discardableResult
    public mutating func insert(_ id: String) -> (id: Int32, inserted: Bool) {
        var id = id
        return id.withUTF8 { insert($0) }
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        slots = IdTable.emptySlots(size)
        mask = size - 1
        let n = count
        arena.withUnsafeBufferPointer { a in
            slots.withUnsafeMutableBufferPointer { slots in
                for id in 0..<n {
                    let b = UnsafeBufferPointer(rebasing: a[Int(offsets[id])..<Int(offsets[id + 1])])
                    let h = IdTable.hash(b)
                    var i = Int(truncatingIfNeeded: h) & mask
                    while slots[2 * i] != 0 { i = (i + 1) & mask }
                    slots[2 * i] = IdTable.signature(h, b.count) | UInt64(UInt32(id) + 1)
                    slots[2 * i + 1] = IdTable.head(b)
                }
            }
        }
    }

    /// The identifier text for `id`.
    public subscript(id: Int32) -> String {
        let r = Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    mutating func appendRaw(_ bytes: UnsafeBufferPointer<UInt8>) {
        if mask >= 0 { slots = []; mask = -1 }
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
    }

    func withText<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// Releases the hash slots, keeping the text; lookups then fall back to a linear scan.
    public mutating func dropHashIndex() {
        slots = []
        mask = -1
    }

    public var hasHashIndex: Bool { mask >= 0 }

    /// Finds `id` by linear scan; for tables whose hash index was dropped.
    public func scan(for id: String) -> Int32? {
        if hasHashIndex { return lookup(id) }
        for i in 0..<count where self[Int32(i)] == id { return Int32(i) }
        return nil
    }
}

extension IdTable {
    /// Appends text without hashing it (for tables whose index is dropped or never needed).
    public mutating func appendUnindexed(_ bytes: UnsafeBufferPointer<UInt8>) {
        appendRaw(bytes)
    }

    /// A table of text only (no hash index) whose identifier `k` is the bytes `ends[k]..<ends[k + 1]` of `text`
    /// (`ends[0]` is 0).
    init(unindexedText text: [UInt8], ends: [UInt32]) {
        precondition(ends.first == 0 && Int(ends.last ?? 0) == text.count, "identifier ends do not match the text")
        arena = text
        offsets = ends
        slots = []
        mask = -1
    }

    /// A table that only stores text (no hash index), for columns read by number.
    static func unindexed() -> IdTable {
        var t = IdTable()
        t.slots = []
        t.mask = -1
        return t
    }

    /// Appends every identifier of `other` without hashing.
    public mutating func appendUnindexed(contentsOf other: IdTable) {
        if mask >= 0 { slots = []; mask = -1 }
        appendText(of: other)
    }

    /// Appends the text and ends of every identifier of `other`, leaving the hash index as it is.
    private mutating func appendText(of other: IdTable) {
        let base = UInt32(arena.count)
        arena.append(contentsOf: other.arena)
        let first = offsets.count, added = other.offsets.count - 1
        guard added > 0 else { return }
        other.offsets.withUnsafeBufferPointer { offsets.append(contentsOf: UnsafeBufferPointer(rebasing: $0.dropFirst())) }
        offsets.withUnsafeMutableBufferPointer { o in
            for k in first..<(first + added) { o[k] &+= base }
        }
    }

    /// Makes room for `rows` more identifiers of `bytes` bytes in all.
    public mutating func reserve(rows: Int, bytes: Int) {
        arena.reserveCapacity(arena.count + bytes)
        offsets.reserveCapacity(offsets.count + rows)
    }
}

/// Texts by number (not indexed), held in the parts they were read in: a table read slice by slice on several
/// threads keeps each slice's text where it was written instead of copying it into one arena (a million
/// parties' names are a hundred megabytes).
///
/// - Complexity: `subscript` is O(log parts); appending a part is O(1).
public struct TextParts: Sendable {
    private var parts: [IdTable] = []
    /// The number of the first text of each part.
    private var firsts: [Int] = []
    /// Whether the last part was made here (texts appended one at a time go there) rather than handed over.
    private var ownsLast = false
    public private(set) var count = 0

    public init() {}

    /// Appends every text of `part`, keeping its storage.
    public mutating func append(part: IdTable) {
        guard part.count > 0 else { return }
        parts.append(part)
        firsts.append(count)
        count += part.count
        ownsLast = false
    }

    /// Appends one text.
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !ownsLast {
            parts.append(IdTable.unindexed())
            firsts.append(count)
            ownsLast = true
        }
        parts[parts.count - 1].appendUnindexed(bytes)
        count += 1
    }

    /// The part holding text `k` and its number within the part.
    @inline(__always)
    private func locate(_ k: Int) -> (part: Int, index: Int32) {
        precondition(k >= 0 && k < count, "text \(k) of \(count)")
        var low = 0, high = firsts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if firsts[mid] <= k { low = mid } else { high = mid - 1 }
        }
        return (low, Int32(k - firsts[low]))
    }

    public subscript(k: Int32) -> String {
        let (p, i) = locate(Int(k))
        return parts[p][i]
    }
}
