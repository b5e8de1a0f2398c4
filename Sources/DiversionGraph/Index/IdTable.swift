/// Interns identifier strings to dense `Int32` ids: the first id added is 0, the next 1, and so on.
///
/// The text lives in one byte arena with an offset per id, and lookups go through an open-addressing
/// hash table of ids, so ten million identifiers cost about their own bytes plus twelve bytes each,
/// against several times that for a `[String: Int32]`.
///
/// - Complexity: `insert` and `lookup` are O(length of the identifier) expected.
public struct IdTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [UInt32] = [0]
    private var slots: [Int32] = Array(repeating: -1, count: 16)
    private var mask = 15

    public init() {}

    public init(minimumCapacity: Int) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        offsets.reserveCapacity(minimumCapacity + 1)
    }

    public var count: Int { offsets.count - 1 }

    /// Bytes held by the table (arena, offsets and hash slots).
    public var byteCount: Int { arena.capacity + offsets.capacity * 4 + slots.count * 4 }

    /// Bytes held for the text and offsets alone (what is kept when only names are needed).
    public var textByteCount: Int { arena.count + offsets.count * 4 }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        // FNV-1a, 64-bit: fast and good enough for identifiers.
        var h: UInt64 = 0xcbf29ce484222325
        for c in b { h = (h ^ UInt64(c)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func equals(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        if end - start != b.count { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<b.count where a[start + k] != b[k] { return false }
            return true
        }
    }

    /// The id of `bytes`, or `nil` when it was never added.
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if slots.isEmpty {
            for id in 0..<Int32(count) where equals(id, bytes) { return id }
            return nil
        }
        var i = IdTable.hash(bytes) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if equals(s, bytes) { return s }
            i = (i + 1) & mask
        }
    }

    public func lookup(_ id: String) -> Int32? {
        var id = id
        return id.withUTF8 { lookup($0) }
    }

    /// Adds `bytes` and returns its new id, or returns `(existing, false)` when it is already there.
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        precondition(hasHashIndex || count == 0, "insert into an IdTable whose hash index was dropped")
        if slots.isEmpty { slots = Array(repeating: -1, count: 16); mask = 15 }
        if count * 2 >= slots.count { grow() }
        var i = IdTable.hash(bytes) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if equals(s, bytes) { return (s, false) }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        slots[i] = id
        return (id, true)
    }

    @discardableResult
    public mutating func insert(_ id: String) -> (id: Int32, inserted: Bool) {
        var id = id
        return id.withUTF8 { insert($0) }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        let n = count
        arena.withUnsafeBufferPointer { a in
            for id in 0..<n {
                let r = Int(offsets[id])..<Int(offsets[id + 1])
                var i = IdTable.hash(UnsafeBufferPointer(rebasing: a[r])) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = Int32(id)
            }
        }
    }

    /// The identifier text for `id`.
    public subscript(id: Int32) -> String {
        let r = Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    mutating func appendRaw(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !slots.isEmpty { slots = []; mask = -1 }
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
    }

    func withText<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let r = Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// Releases the hash slots, keeping the text; lookups then fall back to a linear scan.
    public mutating func dropHashIndex() {
        slots = []
        mask = -1
    }

    public var hasHashIndex: Bool { !slots.isEmpty }

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

    /// Appends the text of `id` in `other` without hashing.
    public mutating func appendUnindexed(_ other: IdTable, _ id: Int32) {
        other.withText(id) { appendRaw($0) }
    }
}
