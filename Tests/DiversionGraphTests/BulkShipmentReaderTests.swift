@testable import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing

/// The bulk reader of `shipments.csv` must change how long a load takes, never what it gives or reports.
@Suite("Loader: bulk shipments reader")
struct BulkShipmentReaderTests {
    /// A CSV graph folder with `n` random shipments (end users, licences, references on some rows).
    static func writeWorld(_ dir: String, shipments n: Int, seed: UInt64, lineEnd: String = "\n", quoted: Bool = false) {
        var rng = SeededRandom(seed: seed)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var entities = "id,name,country\n"
        for i in 0..<40 { entities += "p\(i),Party \(i),\(["SG", "CN", "US", "MY"][i % 4])\n" }
        write(entities, to: dir + "/entities.csv")
        write("id,origin,eccn\ngpu,US,3A090.a\nsrv,TW,4A090.a\ncable,CN,EAR99\n", to: dir + "/items.csv")
        var rows = "id,date,from,to,item,quantity,value,declared_end_user,license,reference" + lineEnd
        for k in 0..<n {
            let a = Int(rng.next() % 40)
            var b = Int(rng.next() % 40)
            if b == a { b = (a + 1) % 40 }
            let day = 1 + Int(rng.next() % 28)
            let item = ["gpu", "srv", "cable"][Int(rng.next() % 3)]
            let value = rng.next() % 3 == 0 ? "" : String(rng.next() % 100_000)
            let user = rng.next() % 5 == 0 ? "p\(rng.next() % 40)" : ""
            let licence = rng.next() % 7 == 0 ? "D\(rng.next() % 9999)" : ""
            var reference = rng.next() % 4 == 0 ? "INV-\(k)" : ""
            var id = "s\(k)", from = "p\(a)", itemText = item, valueText = value
            if quoted {
                // Quoted cells as other tools write them: commas inside, identifiers quoted, empty quoted cells.
                if rng.next() % 3 == 0 { reference = "\"INV, \(k)\"" }
                if rng.next() % 5 == 0 { id = "\"s\(k)\"" }
                if rng.next() % 5 == 0 { from = "\"p\(a)\"" }
                if rng.next() % 7 == 0 { itemText = "\"\(item)\"" }
                if value.isEmpty, rng.next() % 2 == 0 { valueText = "\"\"" }
            }
            rows += "\(id),2024-03-\(day < 10 ? "0" : "")\(day),\(from),p\(b),\(itemText),\(1 + rng.next() % 50),\(valueText),\(user),\(licence),\(reference)" + lineEnd
            if rng.next() % 50 == 0 { rows += lineEnd }  // blank lines are skipped
        }
        write(rows, to: dir + "/shipments.csv")
    }

    /// The folder's graph as a document; with `columns`, a bulk-read shipments table comes as whole columns (as
    /// the graph builder takes it) instead of batches.
    static func load(_ dir: String, bulk: Bool, slice: Int = 97, columns: Bool = false) throws -> GraphDocument {
        var loader = GraphLoader()
        loader.readsInBulk = bulk
        loader.bulkSliceSize = slice
        var sink = DocumentSink()
        sink.takesShipmentColumns = columns
        try loader.load(path: dir, into: &sink)
        return sink.document
    }

    static func diagnostics(_ dir: String, bulk: Bool, slice: Int = 97, columns: Bool = false) -> [String] {
        do { _ = try load(dir, bulk: bulk, slice: slice, columns: columns); return [] } catch let e as GraphLoadError {
            return e.diagnostics.map(\.description)
        } catch { return ["\(error)"] }
    }

    /// Small slices (many batches), and one slice of 9,000 rows, whose parties are looked up in several runs
    /// of ``BulkShipmentReader/PartyFields/rows``.
    @Test(arguments: [(1, "\n", 3_000, 97), (2, "\r\n", 3_000, 97), (3, "\n", 3_000, 97), (4, "\n", 9_000, 1 << 22)])
    func bulkAndRowByRowGiveTheSameGraph(_ seed: UInt64, _ lineEnd: String, _ n: Int, _ slice: Int) throws {
        let dir = temporaryFolder("bulk")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: n, seed: seed, lineEnd: lineEnd)
        let bulk = try BulkShipmentReaderTests.load(dir, bulk: true, slice: slice)
        let rows = try BulkShipmentReaderTests.load(dir, bulk: false)
        #expect(bulk.shipments.count == n)
        #expect(bulk == rows)
        #expect(try BulkShipmentReaderTests.load(dir, bulk: true, slice: slice, columns: true) == rows)
        // The compact graph built from batches equals the one built row by row.
        let g1 = try ShipmentGraph.load(path: dir), g2 = try ShipmentGraph.build(from: rows)
        #expect(g1.shipmentCount == g2.shipmentCount)
        for p in 0..<g1.shipmentCount { #expect(g1.shipmentRecord(p) == g2.shipmentRecord(p)) }
        GraphRoundTripTests.expectItemIndexMatchesTheColumns(g1)
        GraphRoundTripTests.expectItemIndexMatchesTheColumns(g2)
    }

    /// Quoted cells (commas inside, quoted identifiers, empty quoted cells) are read in bulk, on both line ends,
    /// and give what the row-by-row reader gives.
    @Test(arguments: [(5, "\n", 97), (6, "\r\n", 97), (7, "\n", 1 << 22)])
    func quotedCellsAreReadInBulk(_ seed: UInt64, _ lineEnd: String, _ slice: Int) throws {
        let dir = temporaryFolder("bulk-quoted")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 3_000, seed: seed, lineEnd: lineEnd, quoted: true)
        let text = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8)
        #expect(text.contains("\"INV, ") && text.contains("\"\","))
        var entities = IdTable(), items = IdTable()
        for i in 0..<40 { entities.insert("p\(i)") }
        for i in ["gpu", "srv", "cable"] { items.insert(i) }
        let header = "id,date,from,to,item,quantity,value,declared_end_user,license,reference" + lineEnd
        #expect(BulkShipmentReader.read(path: dir + "/shipments.csv", bodyStart: header.utf8.count, columns: Array(0..<10), width: 10,
                                        entities: entities, items: items, threads: 2, progress: nil, sliceSize: slice) != nil,
                "the bulk reader gave the table up")
        #expect(BulkShipmentReader.readColumns(path: dir + "/shipments.csv", bodyStart: header.utf8.count, columns: Array(0..<10),
                                               width: 10, entities: entities, items: items, threads: 2, progress: nil,
                                               sliceSize: slice) != nil,
                "the bulk reader gave the table up")
        let bulk = try BulkShipmentReaderTests.load(dir, bulk: true, slice: slice)
        #expect(bulk.shipments.count == 3_000)
        #expect(bulk == (try BulkShipmentReaderTests.load(dir, bulk: false)))
        #expect(bulk == (try BulkShipmentReaderTests.load(dir, bulk: true, slice: slice, columns: true)))
        #expect(bulk.shipments.contains { $0.reference?.hasPrefix("INV, ") == true })
    }

    @Test func slicesCoverEveryRowOnceInFileOrder() throws {
        let dir = temporaryFolder("bulk-slices")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 500, seed: 9)
        let header = "id,date,from,to,item,quantity,value,declared_end_user,license,reference\n"
        var entities = IdTable(), items = IdTable()
        for i in 0..<40 { entities.insert("p\(i)") }
        for i in ["gpu", "srv", "cable"] { items.insert(i) }
        for slice in [1, 50, 4_096, 1 << 22] {
            let batches = try #require(BulkShipmentReader.read(
                path: dir + "/shipments.csv", bodyStart: header.utf8.count, columns: Array(0..<10), width: 10,
                entities: entities, items: items, threads: 2, progress: nil, sliceSize: slice))
            let ids = batches.flatMap { b in (0..<b.count).map { b.id($0) } }
            #expect(ids == (0..<500).map { "s\($0)" })
            let columns = try #require(BulkShipmentReader.readColumns(
                path: dir + "/shipments.csv", bodyStart: header.utf8.count, columns: Array(0..<10), width: 10,
                entities: entities, items: items, threads: 2, progress: nil, sliceSize: slice))
            #expect((0..<columns.count).map { columns.ids[Int32($0)] } == (0..<500).map { "s\($0)" })
            #expect((0..<columns.count).map { columns.row($0) } == batches.flatMap { b in (0..<b.count).map { b.row($0) } })
        }
    }

    /// Values the compact columns do not hold in their narrow form (days outside 1970–2149, amounts a float
    /// does not hold exactly: a few, or most) are kept exactly by the columns reader, as by the row-by-row one.
    @Test(arguments: [(0, 1), (1, 30), (2, 400)])
    func valuesOutsideTheNarrowColumnsAreKept(_ seed: UInt64, _ odd: Int) throws {
        let dir = temporaryFolder("bulk-wide")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 500, seed: seed)
        var lines = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8).components(separatedBy: "\n")
        var rng = SeededRandom(seed: seed + 100)
        for _ in 0..<odd {
            let k = 1 + Int(rng.next() % 500)
            var fields = lines[k].components(separatedBy: ",")
            guard fields.count == 10 else { continue }
            switch rng.next() % 4 {
            case 0: fields[1] = "1901-05-0\(1 + rng.next() % 9)"
            case 1: fields[5] = "\(16_777_217 + 2 * (rng.next() % 1000))"
            case 2: fields[6] = "1234.\(rng.next() % 10)1"
            default: fields[6] = "0.1"
            }
            lines[k] = fields.joined(separator: ",")
        }
        write(lines.joined(separator: "\n"), to: dir + "/shipments.csv")
        var entities = IdTable(), items = IdTable()
        for i in 0..<40 { entities.insert("p\(i)") }
        for i in ["gpu", "srv", "cable"] { items.insert(i) }
        let header = "id,date,from,to,item,quantity,value,declared_end_user,license,reference\n"
        #expect(BulkShipmentReader.readColumns(path: dir + "/shipments.csv", bodyStart: header.utf8.count, columns: Array(0..<10),
                                               width: 10, entities: entities, items: items, threads: 2, progress: nil,
                                               sliceSize: 97) != nil,
                "the bulk reader gave the table up")
        let rows = try BulkShipmentReaderTests.load(dir, bulk: false)
        #expect(try BulkShipmentReaderTests.load(dir, bulk: true, columns: true) == rows)
        let g = try ShipmentGraph.load(path: dir), g2 = try ShipmentGraph.build(from: rows)
        for p in 0..<g.shipmentCount { #expect(g.shipmentRecord(p) == g2.shipmentRecord(p)) }
    }

    /// Input the bulk reader does not take goes to the row-by-row reader, which reports it as always.
    @Test(arguments: [
        ("s1,2024-03-02,p1,p2,gpu,3,,,,\"INV, 7\"", nil as String?),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,\"INV \"\"7\"\"\"", nil),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,\"INV\n7\"", nil),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,\"INV\" 7", "text follows a closing quote"),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,IN\"V", nil),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,Réf", nil),
        ("s7,2024-03-02,p1,p2,gpu,3,,,,", "duplicate shipment id \"s7\""),
        ("s1,2024-03-02,p1,p99,gpu,3,,,,", "no entity \"p99\""),
        ("s1,2024-02-30,p1,p2,gpu,3,,,,", "not a real calendar date"),
        ("s1,2024-03-02,p1,p1,gpu,3,,,,", "a shipment cannot go from a party to itself"),
        ("s1,2024-03-02,p1,p2,gpu,0,,,,", "must be greater than 0"),
        ("s1,2024-03-02,p1,p2,gpu,3,-4,,,", "must not be negative"),
        ("s1,2024-03-02,p1,p2,gpu,3,,p77,,", "no entity \"p77\""),
        ("s1,2024-03-02,p1,p2,gpu,3,,,", "has 9 fields, the header has 10"),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,,", "has 11 fields, the header has 10"),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,x\rs2,2024-03-02,p1,p2,gpu,3,,,,", "has 19 fields, the header has 10"),
    ])
    func rowsTheBulkReaderRefusesAreReportedAsBefore(_ row: String, _ message: String?) throws {
        let dir = try BulkShipmentReaderTests.worldEnding(with: row, "bulk-refused")
        defer { cleanUp(dir) }
        try BulkShipmentReaderTests.expectReportedAsBefore(dir, table: "shipments.csv", message)
    }

    /// A folder of 400 random shipments whose last row is `row` (far from the first slice), its own `s1`.
    static func worldEnding(with row: String, _ name: String) throws -> String {
        let dir = temporaryFolder(name)
        writeWorld(dir, shipments: 400, seed: 4)
        var text = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8)
        text = text.replacingOccurrences(of: "s1,", with: "s1-old,")
        write(text + row + "\n", to: dir + "/shipments.csv")
        return dir
    }

    /// A row refused in the middle of a slice of thousands of rows, after its first run of party look-ups.
    @Test(arguments: [
        ("p1,p1", "a shipment cannot go from a party to itself"),
        ("p1,p99", "no entity \"p99\""),
    ])
    func rowsRefusedDeepInALargeSliceAreReportedAsBefore(_ parties: String, _ message: String) throws {
        let dir = temporaryFolder("bulk-refused-deep")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 9_000, seed: 5)
        var lines = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8).components(separatedBy: "\n")
        let k = try #require(lines.firstIndex { $0.hasPrefix("s5000,") })
        var fields = lines[k].components(separatedBy: ",")
        fields[2...3] = parties.split(separator: ",").map(String.init)[...]
        lines[k] = fields.joined(separator: ",")
        write(lines.joined(separator: "\n"), to: dir + "/shipments.csv")
        let bulk = BulkShipmentReaderTests.diagnostics(dir, bulk: true, slice: 1 << 22)
        #expect(bulk == BulkShipmentReaderTests.diagnostics(dir, bulk: false))
        #expect(bulk == BulkShipmentReaderTests.diagnostics(dir, bulk: true, slice: 1 << 22, columns: true))
        #expect(bulk.count == 1 && bulk[0].contains(message) && bulk[0].contains("shipments.csv:\(k + 1)"), "\(bulk)")
    }

    /// Rows in the middle of a slice of thousands, where lines are split many bytes at a time (64 on processors
    /// with AVX-512): long fields, fields across a 64-byte boundary, too many fields, quotes after the first 64
    /// bytes, numbers and identifiers of every length. Both bulk readers (and a load for one analysis, which
    /// holds the rows of `gpu` and `srv` only) report and read them as the row-by-row reader does.
    @Test(arguments: [
        ("s1,2024-03-02,p1,p2,cable,3,,,,\(String(repeating: "R", count: 150))", nil as String?),
        ("s1,2024-03-02,p1,p2,gpu,3,,,,\(String(repeating: "R", count: 53))", nil),
        ("s1,2024-03-02,p1,p2,cable,3,,,,\(String(repeating: "R", count: 70))\"x\"", nil),
        ("s1,2024-03-02,p1,p2,cable,3,,,,\(String(repeating: "R", count: 70)),\(String(repeating: ",", count: 60))", "fields, the header has 10"),
        ("s1,2024-03-02,p1,p2,cable,3,,,,\(String(repeating: ",", count: 70))", "fields, the header has 10"),
        ("s1,2024-03-02,p1,p2,cable,00000000,,,,", "must be greater than 0"),
        ("s1,2024-03-02,p1,p2,cable,0,,,,", "must be greater than 0"),
        ("s1,2024-03-02,p1,p2,cable,12345678,87654321,,,", nil),
        ("s1,2024-03-02,p1,p2,cable,123456789,0,,,", nil),
        ("s1,2024-03-02,p1,p2,cable,1234567a,,,,", "must be"),
        ("s1,2024-03-02,p1,p2,cable,3,1:5,,,", "must be"),
        ("s1,2024-03-02,p1,p2,cable,3/,,,,", "must be"),
        ("s1,2024-03-02,p1,p2,cable,2.5,0.75,,,", nil),
        ("s1,2024-03-02,p1,p2,cable,1e3,,,,", nil),
        ("s1,2024-03-02,p1,p2,cable,3,-0,,,", nil),
        ("s1,2024-03-02,p1,p2,cabl,3,,,,", "no item \"cabl\""),
        ("s1,2024-03-02,p1,p2,cables,3,,,,", "no item \"cables\""),
        ("s1,2024-03-02,p1,p2,cable-assembly-x,3,,,,", "no item \"cable-assembly-x\""),
        ("s1,2024-03-02,p1,p2,cable-assembly-xy,3,,,,", "no item \"cable-assembly-xy\""),
        ("s1,2024-03-02,p1,p2,,3,,,,", "item"),
        ("s1,2024-03-02,p1,p1x,cable,3,,,,", "no entity \"p1x\""),
        ("s1,2024-03-02,p10000000,p1,cable,3,,,,", "no entity \"p10000000\""),
        ("shipment-identifier-of-thirty-bytes,2024-03-02,p1,p2,cable,3,,,,", nil),
        ("s2,2024-03-02,p1,p2,cable,3,,,,", "duplicate shipment id \"s2\""),
    ])
    func rowsInTheMiddleOfALargeSliceAreReadAsBefore(_ row: String, _ message: String?) throws {
        let dir = temporaryFolder("bulk-middle")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 3_000, seed: 11)
        var lines = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8).components(separatedBy: "\n")
        lines = lines.map { $0.hasPrefix("s1,") ? "s1-old" + $0.dropFirst(2) : $0 }
        lines.insert(row, at: 1_500)
        write(lines.joined(separator: "\n"), to: dir + "/shipments.csv")
        let rows = BulkShipmentReaderTests.diagnostics(dir, bulk: false)
        #expect(BulkShipmentReaderTests.diagnostics(dir, bulk: true, slice: 1 << 22) == rows)
        #expect(BulkShipmentReaderTests.diagnostics(dir, bulk: true, slice: 1 << 22, columns: true) == rows)
        #expect(ShipmentSelectionTests.diagnostics(dir, slice: 1 << 22) == rows)
        if let message {
            #expect(rows.count == 1 && rows[0].contains(message) && rows[0].contains("shipments.csv:"), "\(rows)")
        } else {
            #expect(rows.isEmpty, "\(rows)")
            #expect(try BulkShipmentReaderTests.load(dir, bulk: true, slice: 1 << 22) == BulkShipmentReaderTests.load(dir, bulk: false))
            #expect(try BulkShipmentReaderTests.load(dir, bulk: true, slice: 1 << 22, columns: true) == BulkShipmentReaderTests.load(dir, bulk: false))
        }
    }

    /// The word-at-a-time readings of a field (the rest of the word past the field is other text) give what the
    /// byte-by-byte ones give, for every length and near the end of what may be read.
    @Test func fieldsReadAWordAtATimeAsByteByByte() throws {
        let texts = ["", "0", "7", "00", "10", "0000000", "00000000", "12345678", "123456789", "1234567a", "a", "1.5",
                     "-1", "+1", "1e3", ":", "/", " 1", "9999999999999999", "p1", "p0110428", "s00000001",
                     "cable-assembly-x", "cable-assembly-xy", "a-much-longer-identifier-than-sixteen"]
        var items = IdTable()
        for t in texts where !t.isEmpty { items.insert(t) }
        let lookup = ItemLookup(items)
        for t in texts {
            for tail in ["", ",", "9", "99999999999999999999", ",x,\n"] {
                let bytes = Array((t + tail).utf8)
                bytes.withUnsafeBufferPointer { all in
                    let field = UnsafeBufferPointer(rebasing: all[0..<t.utf8.count])
                    let limit = all.baseAddress! + all.count
                    #expect(IdTable.hash(field, readableUpTo: limit) == IdTable.hash(field), "\(t) \(tail)")
                    for positive in [false, true] {
                        #expect(BulkShipmentReader.isNumber(field, positive: positive, readableUpTo: limit)
                                == BulkShipmentReader.isNumber(field, positive: positive), "\(t) \(tail)")
                    }
                    #expect(lookup.lookup(field, readableUpTo: limit) == (t.isEmpty ? nil : items.lookup(t)), "\(t) \(tail)")
                }
            }
        }
        #expect(lookup.lookup(UnsafeBufferPointer(start: nil, count: 0), readableUpTo: UnsafePointer(bitPattern: 16)!) == nil)
    }

    /// Both readers report the same problems for the folder; `message` (when given) among them, located in
    /// `table`; with no message, both load the same graph.
    static func expectReportedAsBefore(_ dir: String, table: String, _ message: String?) throws {
        let bulk = diagnostics(dir, bulk: true)
        let rows = diagnostics(dir, bulk: false)
        #expect(bulk == rows)
        #expect(diagnostics(dir, bulk: true, columns: true) == rows)
        if let message {
            #expect(bulk.contains { $0.contains(message) && $0.contains(table) })
        } else {
            #expect(bulk.isEmpty)
            #expect(try load(dir, bulk: true) == load(dir, bulk: false))
            #expect(try load(dir, bulk: true, columns: true) == load(dir, bulk: false))
        }
    }
}

/// A graph loaded for one analysis holds only the shipments of the items its selection keeps; every other
/// row is still read and checked, and reported as the whole load reports it.
@Suite("Loader: shipments held for one analysis")
struct ShipmentSelectionTests {
    /// Keeps every item but `cable`.
    static let chips = ShipmentSelection { items, _ in items.map { $0.id != "cable" } }

    static func load(_ dir: String, slice: Int, selection: ShipmentSelection? = chips) throws -> ShipmentGraph {
        var loader = GraphLoader()
        loader.bulkSliceSize = slice
        var builder = GraphBuilder()
        builder.shipmentSelection = selection
        try loader.load(path: dir, into: &builder)
        return builder.build()
    }

    static func diagnostics(_ dir: String, slice: Int = 97) -> [String] {
        do { _ = try load(dir, slice: slice); return [] } catch let e as GraphLoadError {
            return e.diagnostics.map(\.description)
        } catch { return ["\(error)"] }
    }

    @Test(arguments: [(1 as UInt64, 97), (2, 4_096), (3, 1 << 22)])
    func holdsTheRowsOfItsItemsInFileOrder(_ seed: UInt64, _ slice: Int) throws {
        let dir = temporaryFolder("selection")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 6_000, seed: seed)
        // The earliest shipment of p3 and of p4 is one of goods not held.
        write(try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8) + "early,2024-02-01,p3,p4,cable,1,,,,\n",
              to: dir + "/shipments.csv")
        let whole = try ShipmentGraph.load(path: dir)
        let held = try ShipmentSelectionTests.load(dir, slice: slice)
        let kept = (0..<whole.shipmentCount).filter { whole.itemID(whole.shipmentItem[$0]) != "cable" }
        #expect(kept.count > 3_000 && kept.count < 5_000)
        #expect(held.shipmentCount == kept.count)
        #expect(held.omitted.count == 6_001 - kept.count && held.shipmentsRead == 6_001)
        for (p, q) in kept.enumerated() { #expect(held.shipmentRecord(p) == whole.shipmentRecord(q)) }
        GraphRoundTripTests.expectItemIndexMatchesTheColumns(held)
        // The first day each party shipped or received anything counts the rows not held.
        for e in 0..<Int32(whole.entityCount) { #expect(held.firstShipmentDay(of: e) == whole.firstShipmentDay(of: e)) }
        #expect(held.firstShipmentDay(of: 3) == Day("2024-02-01")!.rawValue && held.firstShipmentDay(of: 4) == Day("2024-02-01")!.rawValue)
    }

    /// A selection that keeps every item reads the table as the whole load does.
    @Test func keepingEveryItemHoldsEveryRow() throws {
        let dir = temporaryFolder("selection-all")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 2_000, seed: 9)
        let held = try ShipmentSelectionTests.load(dir, slice: 97, selection: ShipmentSelection { items, _ in items.map { _ in true } })
        let whole = try ShipmentGraph.load(path: dir)
        #expect(held.shipmentCount == 2_000 && held.omitted.count == 0)
        for p in 0..<whole.shipmentCount { #expect(held.shipmentRecord(p) == whole.shipmentRecord(p)) }
    }

    /// A row of goods not held is refused, and reported, exactly as when every row is held.
    @Test(arguments: [
        ("s7,2024-03-02,p1,p2,cable,3,,,,", "duplicate shipment id \"s7\""),
        ("s1,2024-03-02,p1,p99,cable,3,,,,", "no entity \"p99\""),
        ("s1,2024-03-02,p98,p1,cable,3,,,,", "no entity \"p98\""),
        ("s1,2024-03-02,,p1,cable,3,,,,", "from"),
        ("s1,2024-03-02,p1,p1,cable,3,,,,", "a shipment cannot go from a party to itself"),
        ("s1,2024-03-02,p1,p2,cable,3,,p77,,", "no entity \"p77\""),
        ("s1,2024-02-30,p1,p2,cable,3,,,,", "not a real calendar date"),
        ("s1,2024-03-02,p1,p2,cable,0,,,,", "must be greater than 0"),
        ("s1,2024-03-02,p1,p2,cable,3,-4,,,", "must not be negative"),
        ("s1,2024-03-02,p1,p2,wire,3,,,,", "no item \"wire\""),
        ("s1,2024-03-02,p1,p2,cable,3,,,", "has 9 fields, the header has 10"),
    ])
    func rowsNotHeldAreCheckedAsBefore(_ row: String, _ message: String) throws {
        let dir = try BulkShipmentReaderTests.worldEnding(with: row, "selection-refused")
        defer { cleanUp(dir) }
        let held = ShipmentSelectionTests.diagnostics(dir)
        #expect(held == BulkShipmentReaderTests.diagnostics(dir, bulk: false))
        #expect(held.contains { $0.contains(message) && $0.contains("shipments.csv:") }, "\(held)")
    }

    /// A party listed twice: the identifiers indexed while the graph takes the rows find it, and the load
    /// reports it as the whole load does.
    @Test func aPartyListedTwiceIsReportedAsBefore() throws {
        let dir = temporaryFolder("selection-duplicate-party")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 400, seed: 4)
        write(try String(contentsOfFile: dir + "/entities.csv", encoding: .utf8) + "p5,Party Five Again,SG\n", to: dir + "/entities.csv")
        let held = ShipmentSelectionTests.diagnostics(dir)
        #expect(held == BulkShipmentReaderTests.diagnostics(dir, bulk: false))
        #expect(held.contains { $0.contains("entities.csv:42") && $0.contains("p5") }, "\(held)")
    }

    /// A day the party table cannot note in 16 bits (before 1970): the table is read row by row, every row held.
    @Test func aDayBefore1970IsReadRowByRow() throws {
        let dir = temporaryFolder("selection-1960")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 400, seed: 4)
        var text = try String(contentsOfFile: dir + "/shipments.csv", encoding: .utf8)
        text += "s-old,1960-03-02,p1,p2,cable,3,,,,\n"
        write(text, to: dir + "/shipments.csv")
        let held = try ShipmentSelectionTests.load(dir, slice: 97)
        #expect(held.shipmentCount == 401 && held.omitted.count == 0)
        #expect(held.firstShipmentDay(of: 1) == Day("1960-03-02")!.rawValue)
    }
}

/// The bulk reader of `entities.csv`: quoted names, escaped quotes and UTF-8 are taken in bulk; anything else
/// goes to the row-by-row reader, and either way the graph and the reports are the same.
@Suite("Loader: bulk entities reader")
struct BulkEntityReaderTests {
    static func writeWorld(_ dir: String, entities n: Int, seed: UInt64, lineEnd: String = "\n") {
        var rng = SeededRandom(seed: seed)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rows = "id,name,country,role,headquarters" + lineEnd
        let names = ["Plain Trading", "\"Delmont Systems, Inc.\"", "\"The \"\"Quoted\"\" Co\"", "Société Générale Export",
                     "\"北京 Trading, Ltd.\"", "Ace", "\"\"\"Hyperion\"\"\"", "\"Grand Bank, a.k.a. \"\"Grand\"\"\"",
                     "\"\"\"\"", "\"\"\"\"\"\"\"\""]
        let roles = ["", "distributor", "end-user", "\"fab\"", "other"]
        for k in 0..<n {
            let name = names[Int(rng.next() % UInt64(names.count))]
            let role = roles[Int(rng.next() % UInt64(roles.count))]
            let hq = rng.next() % 5 == 0 ? "CN" : ""
            let id = k % 97 == 3 ? "\"p\(k)\"" : "p\(k)"
            rows += "\(id),\(name),\(["SG", "CN", "US", "MY"][k % 4]),\(role),\(hq)" + lineEnd
            if rng.next() % 60 == 0 { rows += lineEnd }  // blank lines are skipped
        }
        write(rows, to: dir + "/entities.csv")
    }

    @Test(arguments: [(1, "\n"), (2, "\r\n")])
    func bulkAndRowByRowGiveTheSameEntities(_ seed: UInt64, _ lineEnd: String) throws {
        let dir = temporaryFolder("bulk-entities")
        defer { cleanUp(dir) }
        BulkEntityReaderTests.writeWorld(dir, entities: 2_000, seed: seed, lineEnd: lineEnd)
        let bulk = try BulkShipmentReaderTests.load(dir, bulk: true)
        let rows = try BulkShipmentReaderTests.load(dir, bulk: false)
        #expect(bulk.entities.count == 2_000)
        #expect(bulk == rows)
        #expect(bulk.entities.contains { $0.name == "Delmont Systems, Inc." })
        #expect(bulk.entities.contains { $0.name == "The \"Quoted\" Co" })
        #expect(bulk.entities.contains { $0.name == "北京 Trading, Ltd." })
        // Slices of every size give the same rows.
        for slice in [1, 64, 1 << 22] {
            #expect(try BulkShipmentReaderTests.load(dir, bulk: true, slice: slice) == rows)
        }
        // The bulk reader itself takes this file (quotes, UTF-8 and all).
        let header = "id,name,country,role,headquarters" + lineEnd
        let batches = try #require(BulkEntityReader.read(path: dir + "/entities.csv", bodyStart: header.utf8.count,
                                                         columns: Array(0..<5), width: 5, threads: 2, progress: nil,
                                                         sliceSize: 100))
        #expect(batches.flatMap { b in (0..<b.count).map { b.entity($0) } } == rows.entities)
        let g = try ShipmentGraph.load(path: dir)
        #expect(g.entityCount == 2_000)
        #expect(g.entity(named: "p3") == 3)
    }

    /// Rows the bulk reader does not take are read row by row and reported exactly as before.
    @Test(arguments: [
        ("pX,\"Two\nLines Ltd\",SG,,", nil as String?),
        ("pX,Mid\"Quote,SG,,", nil),
        ("pX,\"Closed\" late,SG,,", "text follows a closing quote"),
        ("pX,\"Never closed,SG,,", "a quoted field is never closed"),
        ("p5,Again,SG,,", "duplicate entity id \"p5\""),
        ("pX,Name,sg,,", "country codes are upper case"),
        ("pX,Name,XX,,", "unknown country code \"XX\""),
        ("pX,Name,SG,pirate,", "unknown role \"pirate\""),
        ("pX,Name,SG,,QQ", "unknown country code \"QQ\""),
        ("pX,,SG,,", "is required"),
        ("pX,Name,SG,", "has 4 fields, the header has 5"),
        ("pX,Name,SG,,,", "has 6 fields, the header has 5"),
        ("pX,Name,SG,,\rpY,Name,SG,,", "has 9 fields, the header has 5"),
    ])
    func rowsTheBulkReaderRefusesAreReportedAsBefore(_ row: String, _ message: String?) throws {
        let dir = temporaryFolder("bulk-entities-refused")
        defer { cleanUp(dir) }
        BulkEntityReaderTests.writeWorld(dir, entities: 300, seed: 5)
        var text = try String(contentsOfFile: dir + "/entities.csv", encoding: .utf8)
        text += row + "\n"
        write(text, to: dir + "/entities.csv")
        try BulkShipmentReaderTests.expectReportedAsBefore(dir, table: "entities.csv", message)
    }

    /// A last line without a line end, in either table, is read like any other.
    @Test func lastLineWithoutLineEnd() throws {
        let dir = temporaryFolder("bulk-no-final-newline")
        defer { cleanUp(dir) }
        BulkShipmentReaderTests.writeWorld(dir, shipments: 500, seed: 12)
        BulkEntityReaderTests.writeWorld(dir, entities: 40, seed: 12)
        for table in ["entities.csv", "shipments.csv"] {
            var text = try String(contentsOfFile: dir + "/" + table, encoding: .utf8)
            while text.hasSuffix("\n") { text.removeLast() }
            write(text, to: dir + "/" + table)
        }
        let rows = try BulkShipmentReaderTests.load(dir, bulk: false)
        #expect(rows.entities.count == 40)
        #expect(rows.shipments.count == 500)
        #expect(try BulkShipmentReaderTests.load(dir, bulk: true) == rows)
        #expect(try BulkShipmentReaderTests.load(dir, bulk: true, slice: 1 << 22) == rows)
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let dir = temporaryFolder("bulk-entities-utf8")
        defer { cleanUp(dir) }
        BulkEntityReaderTests.writeWorld(dir, entities: 50, seed: 6)
        var bytes = Array(try String(contentsOfFile: dir + "/entities.csv", encoding: .utf8).utf8)
        bytes += Array("pX,Bad ".utf8) + [0xC3, 0x28] + Array(" Name,SG,,\n".utf8)
        FileManager.default.createFile(atPath: dir + "/entities.csv", contents: Data(bytes))
        let bulk = BulkShipmentReaderTests.diagnostics(dir, bulk: true)
        #expect(bulk == BulkShipmentReaderTests.diagnostics(dir, bulk: false))
        #expect(bulk.contains { $0.contains("not valid UTF-8") })
    }
}
