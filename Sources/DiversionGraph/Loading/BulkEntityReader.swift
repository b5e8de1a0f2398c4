import CProcessor
import Foundation

/// Reads the body of a clean `entities.csv` on all cores, like ``BulkShipmentReader`` does for shipments.
///
/// It takes quoted fields (names such as `"Delmont Systems, Inc."`, with `""` for a quote) and UTF-8 text,
/// but not a quoted field that runs over a line end, a quote inside an unquoted field, a lone carriage
/// return, or any row that breaks a rule of the format. At the first such row it gives up and the loader
/// reads the table again row by row, which reports every problem exactly as it always does.
///
/// NB: slices are cut at line ends. A quoted field that runs over a line end leaves a line whose quote never
/// closes; the slice holding that line gives up, so a cut inside such a field never yields rows.
///
/// - Complexity: O(bytes) split over the cores.
enum BulkEntityReader {
    struct Failure: Error {}

    /// The table's rows in file order, or `nil` when the row-by-row reader must take the table.
    ///
    /// - Parameter columns: column index of each field of ``GraphTable/entities``, -1 when absent.
    static func read(path: String, bodyStart: Int, columns: [Int], width: Int, threads: Int,
                     progress: (@Sendable (LoadProgress) -> Void)?,
                     sliceSize: Int = BulkShipmentReader.sliceSize) -> [EntityBatch]? {
        guard columns[0] >= 0, columns[1] >= 0, columns[2] >= 0 else { return nil }
        return MappedSlices.parse(path: path, bodyStart: bodyStart, threads: threads, sliceSize: sliceSize,
                                  rows: { $0.count },
                                  progress: progress.map { p in { p(LoadProgress(table: .entities, rows: $1, bytesRead: $0, totalBytes: $2)) } }) {
            try parse($0, $1, columns: columns, width: width)
        }
    }

    /// Parses the rows in `range` of the mapped file; throws at anything the row-by-row reader must see.
    static func parse(_ base: UnsafePointer<UInt8>, _ range: Range<Int>, columns: [Int], width: Int) throws -> EntityBatch {
        var b = EntityBatch()
        let estimate = range.count / 40 + 16
        b.country.reserveCapacity(estimate); b.role.reserveCapacity(estimate); b.headquarters.reserveCapacity(estimate)
        // Room for all the slice's text at once: a name never holds more bytes than the slice (pages reserved and
        // not written cost nothing), and a growing arena would be copied at each doubling.
        b.ids.reserve(rows: estimate, bytes: estimate * 10); b.names.reserve(rows: estimate, bytes: range.count)
        // The text of a quoted field with "" inside, each "" as one quote.
        var unescaped: [UInt8] = []
        var starts = [Int](repeating: 0, count: width), ends = [Int](repeating: 0, count: width)
        // 0: plain, 1: quoted, 2: quoted with "" inside.
        var kinds = [UInt8](repeating: 0, count: width)
        let cId = columns[0], cName = columns[1], cCountry = columns[2], cRole = columns[3], cHeadquarters = columns[4]
        var p = range.lowerBound
        let end = range.upperBound
        while p < end {
            // One line, split into fields.
            var column = 0
            var high: UInt8 = 0
            var i = p
            var lineEnd = p
            while true {
                if i < end && base[i] == 0x22 {
                    var j = i + 1
                    var escaped = false
                    while true {
                        // To the next quote, or a line end (which a quoted field may not hold here).
                        j += diversion_find4(base + j, end - j, 0x22, 0x0A, 0x0D, 0x22, &high)
                        guard j < end else { throw Failure() }
                        let c = base[j]
                        if c == 0x22 {
                            if j + 1 < end && base[j + 1] == 0x22 { escaped = true; j += 2; continue }
                            break
                        }
                        throw Failure()
                    }
                    starts[column] = i + 1; ends[column] = j; kinds[column] = escaped ? 2 : 1
                    i = j + 1
                } else {
                    let start = i
                    i += diversion_find4(base + i, end - i, 0x2C, 0x0A, 0x0D, 0x22, &high)
                    if i < end && base[i] == 0x22 { throw Failure() }
                    starts[column] = start; ends[column] = i; kinds[column] = 0
                }
                if i < end && base[i] == 0x2C {
                    if column == width - 1 { throw Failure() }
                    column += 1
                    i += 1
                    continue
                }
                guard i >= end || base[i] == 0x0A || base[i] == 0x0D else { throw Failure() }  // text after a quote
                lineEnd = i
                break
            }
            var next = lineEnd + 1
            if lineEnd < end && base[lineEnd] == 0x0D {
                guard lineEnd + 1 < end, base[lineEnd + 1] == 0x0A else { throw Failure() }
                next = lineEnd + 2
            }
            if lineEnd == p { p = next; continue }  // a blank line
            guard column == width - 1 else { throw Failure() }
            if high & 0x80 != 0,
               String(validating: UnsafeBufferPointer(start: base + p, count: lineEnd - p), as: UTF8.self) == nil {
                throw Failure()
            }
            p = next

            /// Appends field `c`'s text to `texts`, a doubled quote inside quotes as one.
            func append(_ c: Int, to texts: inout IdTable) {
                let field = UnsafeBufferPointer(start: base + starts[c], count: ends[c] - starts[c])
                guard kinds[c] == 2 else { texts.appendUnindexed(field); return }
                unescaped.removeAll(keepingCapacity: true)
                // The runs between doubled quotes copied whole, each "" as one quote (the field's quotes come in
                // pairs: the reader checked it).
                var k = 0
                while k < field.count {
                    let start = field.baseAddress! + k, left = field.count - k
                    var run = left
                    if let quote = memchr(start, 0x22, left) {
                        run = UnsafeRawPointer(quote) - UnsafeRawPointer(start)
                    }
                    unescaped.append(contentsOf: UnsafeBufferPointer(start: start, count: min(left, run + 1)))
                    k += run + 2
                }
                unescaped.withUnsafeBufferPointer { texts.appendUnindexed($0) }
            }
            func isEmpty(_ c: Int) -> Bool { c < 0 || ends[c] == starts[c] }
            func country(_ c: Int) -> CountryCode? {
                guard ends[c] - starts[c] == 2, let v = CountryCode.value(base[starts[c]], base[starts[c] + 1]),
                      CountryCode.isAssigned(v) else { return nil }
                return CountryCode(unchecked: base[starts[c]], base[starts[c] + 1])
            }
            guard !isEmpty(cId), !isEmpty(cName), let location = country(cCountry) else { throw Failure() }
            var role: PartyRole?
            if !isEmpty(cRole) {
                guard kinds[cRole] != 2,
                      let r = PartyRole(asciiBytes: UnsafeBufferPointer(start: base + starts[cRole], count: ends[cRole] - starts[cRole]))
                else { throw Failure() }
                role = r
            }
            var headquarters: CountryCode?
            if !isEmpty(cHeadquarters) {
                guard let h = country(cHeadquarters) else { throw Failure() }
                headquarters = h
            }
            append(cId, to: &b.ids)
            append(cName, to: &b.names)
            b.country.append(location)
            b.role.append(role)
            b.headquarters.append(headquarters)
        }
        return b
    }
}

extension PartyRole {
    private static let spellings: [(bytes: [UInt8], role: PartyRole)] = allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The role spelled by `b` (its raw value, exactly), without making a string.
    init?(asciiBytes b: UnsafeBufferPointer<UInt8>) {
        for (bytes, role) in PartyRole.spellings where bytes.count == b.count {
            if bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) {
                self = role
                return
            }
        }
        return nil
    }
}
