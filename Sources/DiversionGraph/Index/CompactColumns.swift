/// Day numbers stored as 16-bit offsets from the earliest day when the dates span less than 179 years
/// (always, for trade data), else as 32-bit day numbers.
public struct DayColumn: Sendable, RandomAccessCollection {
    @usableFromInline let base: Int32
    @usableFromInline let narrow: [UInt16]
    @usableFromInline let wide: [Int32]

    init(_ days: [Int32]) { self.init(parts: [days]) }

    init(base: Int32, narrow: [UInt16], wide: [Int32]) {
        self.base = base; self.narrow = narrow; self.wide = wide
    }

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

/// Numbers stored as 32-bit floats where the value is exactly a float (whole quantities below 16.7 million,
/// round amounts), the few that are not kept aside by row; as doubles when more than one in eight is not.
/// Exact either way. NaN stands for "not known".
public struct NumberColumn: Sendable, RandomAccessCollection {
    @usableFromInline let narrow: [Float]
    @usableFromInline let wide: [Double]
    /// Every value, when all are whole numbers from 0 to 65,535 (quantities, mostly); then the other forms are
    /// empty.
    @usableFromInline var whole: [UInt16] = []
    /// Rows of `narrow` that hold ``NumberColumn/elsewhere`` (ascending), and their values.
    @usableFromInline let asideRows: [Int32]
    @usableFromInline let asideValues: [Double]

    /// A NaN with a payload no arithmetic makes: "the value is kept aside".
    @usableFromInline static let elsewhere = Float(bitPattern: 0x7FC0_5A5A)

    /// `narrow` with the values at `aside` rows (ascending) put in: kept aside when they are few, else all
    /// widened to doubles.
    init(narrow: [Float], aside: [(row: Int32, value: Double)]) {
        if aside.isEmpty {
            self.narrow = narrow; wide = []; asideRows = []; asideValues = []
        } else if aside.count <= narrow.count / 8 {
            var marked = narrow
            marked.withUnsafeMutableBufferPointer { m in for (row, _) in aside { m[Int(row)] = NumberColumn.elsewhere } }
            self.narrow = marked
            wide = []
            asideRows = aside.map(\.row)
            asideValues = aside.map(\.value)
        } else {
            var all = narrow.map { Double($0) }
            for (row, v) in aside { all[Int(row)] = v }
            self.narrow = []; wide = all; asideRows = []; asideValues = []
        }
    }

    /// The numbers of every array of `parts`, one after another.
    init(parts: [[Double]]) {
        var aside: [(row: Int32, value: Double)] = []
        let total = parts.reduce(0) { $0 + $1.count }
        let floats = [Float](unsafeUninitializedCapacity: total) { out, initialized in
            var k = 0
            for part in parts {
                for x in part {
                    let f = Float(x)
                    if !x.isNaN && Double(f) != x { aside.append((Int32(k), x)) }
                    (out.baseAddress! + k).initialize(to: f)
                    k += 1
                }
            }
            initialized = k
        }
        self.init(narrow: floats, aside: aside)
    }

    /// The column in 16 bits when every value is a whole number from 0 to 65,535, else as it is.
    func compacted() -> NumberColumn {
        guard whole.isEmpty, wide.isEmpty, asideRows.isEmpty, !narrow.isEmpty,
              narrow.allSatisfy({ $0 >= 0 && $0 <= 65_535 && $0 == $0.rounded(.towardZero) }) else { return self }
        var c = NumberColumn(narrow: [], aside: [])
        c.whole = narrow.map { UInt16($0) }
        return c
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { whole.isEmpty ? (wide.isEmpty ? narrow.count : wide.count) : whole.count }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Double {
        if !whole.isEmpty { return Double(whole[i]) }
        guard wide.isEmpty else { return wide[i] }
        let f = narrow[i]
        if f.bitPattern == NumberColumn.elsewhere.bitPattern, let k = sortedIndex(of: i, in: asideRows) { return asideValues[k] }
        return Double(f)
    }

    var byteCount: Int { whole.count * 2 + narrow.count * 4 + wide.count * 8 + asideRows.count * 12 }
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
        let first = rows.count
        rows.append(contentsOf: other.rows)
        rows.withUnsafeMutableBufferPointer { r in for k in first..<r.count { r[k] &+= offset } }
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

    init(narrow: [UInt16], wide: [Int32]) {
        self.narrow = narrow; self.wide = wide
    }

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
