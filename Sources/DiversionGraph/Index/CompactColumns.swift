/// Day numbers stored as 16-bit offsets from the earliest day when the dates span less than 179 years
/// (always, for trade data), else as 32-bit day numbers.
public struct DayColumn: Sendable, RandomAccessCollection {
    @usableFromInline let base: Int32
    @usableFromInline let narrow: [UInt16]
    @usableFromInline let wide: [Int32]

    init(_ days: [Int32]) { self.init(parts: [days]) }

    /// The days of every array of `parts`, one after another.
    init(parts: [[Int32]]) {
        let lo = parts.compactMap { $0.min() }.min() ?? 0, hi = parts.compactMap { $0.max() }.max() ?? 0
        if Int(hi) - Int(lo) <= Int(UInt16.max) {
            base = lo
            narrow = narrowed(parts) { UInt16(truncatingIfNeeded: Int($0) - Int(lo)) }!
            wide = []
        } else {
            base = 0
            narrow = []
            wide = GraphBuilder.concatenated(parts)
        }
    }

    /// Whether every day is on or after the one before.
    var isAscending: Bool {
        func ascending<T: Comparable>(_ a: [T]) -> Bool {
            a.withUnsafeBufferPointer { d in d.indices.dropFirst().allSatisfy { d[$0 - 1] <= d[$0] } }
        }
        return wide.isEmpty ? ascending(narrow) : ascending(wide)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Int32 { wide.isEmpty ? base + Int32(narrow[i]) : wide[i] }

    var byteCount: Int { narrow.count * 2 + wide.count * 4 }
}

/// Numbers stored as 32-bit floats when every value is exactly a float (whole quantities below 16.7 million,
/// round amounts), else as doubles: exact either way. NaN stands for "not known".
public struct NumberColumn: Sendable, RandomAccessCollection {
    @usableFromInline let narrow: [Float]
    @usableFromInline let wide: [Double]

    /// The numbers of every array of `parts`, one after another.
    init(parts: [[Double]]) {
        if let floats = narrowed(parts, { x -> Float? in
            let f = Float(x)
            return x.isNaN || Double(f) == x ? f : nil
        }) {
            narrow = floats
            wide = []
        } else {
            narrow = []
            wide = GraphBuilder.concatenated(parts)
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Double { wide.isEmpty ? Double(narrow[i]) : wide[i] }

    var byteCount: Int { narrow.count * 4 + wide.count * 8 }
}

/// A text column that has a value for few rows: ascending row numbers and the texts in one byte arena.
public struct SparseText: Sendable {
    public internal(set) var rows: [Int32] = []
    var text = IdTable.unindexed()

    public init() {}

    /// Adds the text of `row`, which must be greater than every row added so far.
    mutating func append(row: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        rows.append(row)
        text.appendUnindexed(bytes)
    }

    mutating func append(row: Int32, _ value: String) {
        var value = value
        value.withUTF8 { append(row: row, $0) }
    }

    /// Makes room for `entries` more entries of `bytes` bytes in all.
    mutating func reserve(entries: Int, bytes: Int) {
        rows.reserveCapacity(rows.count + entries)
        text.reserve(rows: entries, bytes: bytes)
    }

    /// The entries of every text column of `parts`, one after another, the rows of part `k` counted from
    /// `firstRows[k]`.
    init(parts: [SparseText], firstRows: [Int32]) {
        reserve(entries: parts.reduce(0) { $0 + $1.count }, bytes: parts.reduce(0) { $0 + $1.text.arenaByteCount })
        for (part, first) in zip(parts, firstRows) { append(contentsOf: part, rowOffset: first) }
    }

    /// Adds every entry of `other` with `offset` added to its row (rows after every row added so far).
    mutating func append(contentsOf other: SparseText, rowOffset offset: Int32) {
        for r in other.rows { rows.append(r + offset) }
        text.appendUnindexed(contentsOf: other.text)
    }

    public subscript(row: Int) -> String? { sortedIndex(of: row, in: rows).map { text[Int32($0)] } }

    /// The text of entry `k` (the `k`-th row in ``rows``).
    public func text(at k: Int) -> String { text[Int32(k)] }

    public var count: Int { rows.count }
    var byteCount: Int { rows.count * 4 + (rows.isEmpty ? 0 : text.textByteCount) }
}

/// Dense ids stored in 16 bits when every id is below 65,536 (item ids: catalogues are small), else in 32.
public struct IndexColumn: Sendable, RandomAccessCollection {
    @usableFromInline let narrow: [UInt16]
    @usableFromInline let wide: [Int32]

    /// The ids of every array of `parts`, one after another.
    init(parts: [[Int32]]) {
        if let ids = narrowed(parts, { $0 >= 0 && $0 < Int32(UInt16.max) ? UInt16(truncatingIfNeeded: $0) : nil }) {
            narrow = ids
            wide = []
        } else {
            narrow = []
            wide = GraphBuilder.concatenated(parts)
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Int32 { wide.isEmpty ? Int32(narrow[i]) : wide[i] }

    var byteCount: Int { narrow.count * 2 + wide.count * 4 }
}

/// `narrow` of every element of every array of `parts`, one after another, allocated once and filled in one
/// pass; `nil` as soon as `narrow` gives `nil` for an element (the caller then keeps the wide form).
private func narrowed<T, U>(_ parts: [[T]], _ narrow: (T) -> U?) -> [U]? {
    let total = parts.reduce(0) { $0 + $1.count }
    var complete = true
    let out = [U](unsafeUninitializedCapacity: total) { out, initialized in
        var k = 0
        outer: for part in parts {
            for x in part {
                guard let u = narrow(x) else { complete = false; break outer }
                (out.baseAddress! + k).initialize(to: u)
                k += 1
            }
        }
        initialized = k
    }
    return complete ? out : nil
}
