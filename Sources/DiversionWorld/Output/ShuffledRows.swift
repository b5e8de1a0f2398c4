#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiversionGraph

/// Puts the rows of `shipments.csv` in a seeded random order without holding the table in memory.
///
/// Rows are written, as they are generated, to part files, each day's rows to one part (the days dealt to the
/// parts in a random order); then each part is read back whole, its rows interleaved at random, and appended
/// to the table, part after part. Memory is one part: about 2^20 rows, whatever the size of the world.
///
/// NB: rows of one day keep the order they were generated in; rows of different days are interleaved
/// uniformly. The analysis orders shipments by date and, within a day, by the order the file lists them (the
/// stock of a party is drawn by its dispatches of a day in that order), so a uniform shuffle would change what
/// a world means, not only how it is written. Keeping each day's order, a shuffled world is the same world,
/// and the analysis gives the same alerts as for its date-ordered twin.
///
/// - Complexity: O(rows) time; memory O(rows / parts) plus a 256 KiB buffer per part.
final class ShuffledRows {
    /// Rows a part holds, about.
    static let rowsPerPart = 1 << 20

    private let folder: String
    private let parts: [CSVFile]
    /// `partOfDay[d]`: the part that holds the rows of the calendar's day `d` (from 0).
    private let partOfDay: [Int]
    private let first: Int32

    init(folder: String, rows: Int, random r: inout SeededRandom) throws {
        self.folder = folder
        first = WorldCalendar.first
        let days = Int(WorldCalendar.span)
        let count = min(days, max(1, (rows + ShuffledRows.rowsPerPart - 1) / ShuffledRows.rowsPerPart))
        var order = Array(0..<days)
        r.shuffle(&order)
        var partOfDay = [Int](repeating: 0, count: days)
        for (k, d) in order.enumerated() { partOfDay[d] = k % count }
        self.partOfDay = partOfDay
        parts = try (0..<count).map { try CSVFile(path: ShuffledRows.partPath(folder, $0), capacity: 1 << 18) }
    }

    private static func partPath(_ folder: String, _ k: Int) -> String {
        folder + "/shipments.csv.part-" + zeroPadded(k, 4) + ".tmp"
    }

    /// The part file a row dated `day` goes to.
    @inline(__always)
    func file(forDay day: Int32) -> CSVFile { parts[partOfDay[Int(day - first)]] }

    /// Appends every part to `out`, its rows interleaved at random, and deletes the parts. `dateOffset` is where
    /// a row's `YYYY-MM-DD` date starts.
    func finish(into out: CSVFile, dateOffset: Int, random r: inout SeededRandom) throws {
        for (k, part) in parts.enumerated() {
            try part.close()
            let path = ShuffledRows.partPath(folder, k)
            let bytes = try ShuffledRows.read(path)
            unlink(path)
            // Row starts (and the end), and for each row its day's group within the part.
            var starts: [Int] = []
            var group: [Int32] = []
            var groupOfDate: [Int: Int32] = [:]
            var start = 0
            bytes.withUnsafeBufferPointer { b in
                for i in 0..<b.count where b[i] == 0x0A {
                    var key = 0
                    for j in (start + dateOffset)..<(start + dateOffset + 10) where b[j] != 0x2D { key = key * 10 + Int(b[j] &- 0x30) }
                    let g: Int32
                    if let found = groupOfDate[key] { g = found } else {
                        g = Int32(groupOfDate.count)
                        groupOfDate[key] = g
                    }
                    starts.append(start)
                    group.append(g)
                    start = i + 1
                }
            }
            starts.append(start)
            // Each group's rows in order; a shuffled list of group labels says whose next row comes next.
            var rowsOf = [[Int32]](repeating: [], count: groupOfDate.count)
            for (row, g) in group.enumerated() { rowsOf[Int(g)].append(Int32(row)) }
            r.shuffle(&group)
            var next = [Int](repeating: 0, count: rowsOf.count)
            bytes.withUnsafeBufferPointer { b in
                for g in group {
                    let row = Int(rowsOf[Int(g)][next[Int(g)]])
                    next[Int(g)] += 1
                    let length = starts[row + 1] - starts[row]
                    out.ensureRoom(length)
                    out.bytes(UnsafeBufferPointer(rebasing: b[starts[row] ..< starts[row + 1]]))
                }
            }
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw WorldGenerationError("\(path): cannot be read back") }
        defer { fclose(f) }
        fseek(f, 0, SEEK_END)
        let size = ftell(f)
        fseek(f, 0, SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: max(0, size))
        let got = bytes.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, f) }
        guard got == bytes.count else { throw WorldGenerationError("\(path): cannot be read back") }
        return bytes
    }
}
