@testable import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing

@Suite("Samples, writers and the compact graph")
struct GraphRoundTripTests {
    @Test(arguments: ["Graphs/sample-network.json", "Graphs/sample-csv"])
    func sampleGraphLoads(_ path: String) throws {
        let d = try GraphLoader.document(at: packageRoot + "/" + path)
        #expect(d.entities.count >= 12)
        #expect(d.shipments.count >= 20)
    }

    @Test(arguments: [GraphWriter.Form.json, .csv])
    func writeThenLoadGivesTheSameDocument(_ form: GraphWriter.Form) throws {
        let original = try GraphLoader.document(at: packageRoot + "/Graphs/sample-network.json")
        let dir = temporaryFolder("roundtrip")
        defer { cleanUp(dir) }
        let path = form == .json ? dir + "/g.json" : dir + "/g"
        try GraphWriter.write(original, form: form, to: path)
        var back = try GraphLoader.document(at: path)
        back.name = original.name
        #expect(back == original)
    }

    @Test func compactGraphIndexesMatchTheRecords() throws {
        let d = try GraphLoader.document(at: packageRoot + "/Graphs/sample-network.json")
        let g = try ShipmentGraph.build(from: d)
        #expect(g.shipmentCount == d.shipments.count)
        var seen = Set<String>()
        for e in 0..<Int32(g.entityCount) {
            var last = Int32.min
            for p in g.outgoing(from: e) {
                #expect(g.shipper(of: p) == e)
                #expect(g.shipmentDay[p] >= last)
                last = g.shipmentDay[p]
                seen.insert(g.shipmentID(p))
                let r = g.shipmentRecord(p)
                #expect(d.shipments.contains(r))
            }
            last = Int32.min
            for k in g.incoming(to: e) {
                let p = Int(g.inPositions[k])
                #expect(g.shipmentTo[p] == e)
                #expect(g.shipmentDay[p] >= last)
                last = g.shipmentDay[p]
            }
        }
        #expect(seen.count == d.shipments.count)
        GraphRoundTripTests.expectItemIndexMatchesTheColumns(g)
    }

    /// Every shipment is listed once under its item, in position order, with its consignee.
    static func expectItemIndexMatchesTheColumns(_ g: ShipmentGraph, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var listed = 0
        for item in 0..<Int32(g.itemCount) {
            var last = -1
            for k in g.shipments(of: item) {
                let p = Int(g.itemShipmentPositions[k])
                #expect(p > last && g.shipmentItem[p] == item,
                        sourceLocation: sourceLocation)
                last = p
                listed += 1
            }
        }
        #expect(listed == g.shipmentCount, sourceLocation: sourceLocation)
    }

    /// The two-pass sort of the party indexes gives exactly what the one-pass counting sort gives, whatever
    /// order the rows are visited in.
    @Test(arguments: [1, 1_000, 1_025, 5_000, 70_000])
    func twoPassBucketingMatchesTheCountingSort(_ buckets: Int) throws {
        var rng = SeededRandom(seed: UInt64(buckets))
        let keys = (0..<20_000).map { _ in Int32(rng.next() % UInt64(buckets)) }
        var visit = (0..<Int32(keys.count)).map { $0 }
        for i in visit.indices.reversed() { visit.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let one = GraphBuilder.bucket(keys, buckets: buckets, visiting: visit)
        for threads in [1, 2, 3] {
            var scratch = GraphBuilder.TwoPassScratch(count: keys.count)
            let two = GraphBuilder.bucketInTwoPasses(keys, buckets: buckets, visiting: visit, threads: threads, scratch: &scratch)
            #expect(one.offsets == two.offsets)
            #expect(one.order == two.order)
            let inRowOrder = GraphBuilder.bucketInTwoPasses(keys, buckets: buckets, visiting: nil, threads: threads, scratch: &scratch)
            let oneInRowOrder = GraphBuilder.bucket(keys, buckets: buckets)
            #expect(oneInRowOrder.offsets == inRowOrder.offsets)
            #expect(oneInRowOrder.order == inRowOrder.order)
            // Rows out of date order: by day within each range gives what visiting them in date order gives.
            let days = DayColumn((0..<keys.count).map { _ in 19_000 + Int32(rng.next() % 700) })
            let byDate = GraphBuilder.bucket(keys, buckets: buckets, visiting: GraphBuilder.dateOrder(days)!)
            var withDays = GraphBuilder.TwoPassScratch(count: keys.count, days: true)
            let span = try #require(GraphBuilder.daySpan(days))
            let ranged = GraphBuilder.bucketInTwoPasses(keys, buckets: buckets, visiting: nil, days: span, threads: threads,
                                                        scratch: &withDays)
            #expect(byDate.offsets == ranged.offsets)
            #expect(byDate.order == ranged.order)
        }
        // Rows interleaved around each day visit their neighbours in date order; rows shuffled over two years do not.
        let interleaved = DayColumn((0..<10_000).map { 19_000 + Int32($0 / 40) + ($0 % 3 == 0 ? 1 : 0) })
        #expect(!GraphBuilder.isScattered(interleaved))
        var shuffled = (0..<10_000).map { 19_000 + Int32($0 % 730) }
        for i in shuffled.indices.reversed() { shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        #expect(GraphBuilder.isScattered(DayColumn(shuffled)))
        // A span of days too wide to count per range is left to the date order.
        #expect(GraphBuilder.daySpan(DayColumn([0, Int32(GraphBuilder.daySpanWithinRanges)])) == nil)
    }

    /// Compact columns keep every value exactly: the narrow form when every value fits it, else the wide one,
    /// whichever part the first value that does not fit is in.
    @Test func compactColumnsNarrowOnlyWhenEveryValueFits() {
        let floats = NumberColumn(parts: [[1, 2.5], [], [.nan, 16_000_000]])
        #expect(floats.byteCount == 4 * 4 && floats[1] == 2.5 && floats[2].isNaN && floats[3] == 16_000_000)
        let doubles = NumberColumn(parts: [[1, 2.5], [0.1, 3]])
        #expect(doubles.byteCount == 4 * 8 && Array(doubles) == [1, 2.5, 0.1, 3])
        // Whole numbers from 0 to 65,535 (quantities) take 16 bits; anything else keeps its form.
        let whole = NumberColumn(parts: [[1, 2], [65_535, 0]]).compacted()
        #expect(whole.byteCount == 4 * 2 && Array(whole) == [1, 2, 65_535, 0])
        for kept in [[1, 2.5], [1, 65_536], [1, -1], [1, .nan]] as [[Double]] {
            let c = NumberColumn(parts: [kept]).compacted()
            #expect(c.byteCount == 2 * 4 && c[0] == 1 && (c[1] == kept[1] || (c[1].isNaN && kept[1].isNaN)))
        }
        // A few values a float does not hold are kept aside by row; the rest stay floats.
        let mostlyFloats = (0..<100).map { Double($0) } + [0.1, 16_777_217, .nan]
        let aside = NumberColumn(parts: [mostlyFloats])
        #expect(aside.byteCount == 103 * 4 + 2 * 12)
        #expect(Array(aside).prefix(102) == mostlyFloats.prefix(102)[...] && aside[102].isNaN)
        let narrowIDs = IndexColumn(parts: [[0, 7], [65_534]])
        #expect(narrowIDs.byteCount == 3 * 2 && Array(narrowIDs) == [0, 7, 65_534])
        let wideIDs = IndexColumn(parts: [[0, 7], [65_535, 3]])
        #expect(wideIDs.byteCount == 4 * 4 && Array(wideIDs) == [0, 7, 65_535, 3])
        let days = DayColumn(parts: [[20_000, 19_990], [20_010]])
        #expect(days.byteCount == 3 * 2 && Array(days) == [20_000, 19_990, 20_010] && !days.isAscending)
        let span = DayColumn(parts: [[0], [70_000]])
        #expect(span.byteCount == 2 * 4 && Array(span) == [0, 70_000])
    }

    /// The counting sort behind the item index, over rows split into several parts (one per slice read).
    @Test func itemIndexOverSeveralPartsKeepsRowOrder() {
        let keys: [[Int32]] = [[2, 0, 2], [], [1, 2], [0]]
        let (offsets, rows) = GraphBuilder.bucket(IndexColumn(parts: keys), buckets: 4)
        #expect(offsets == [0, 2, 3, 6, 6])
        #expect(rows == [1, 5, 3, 0, 2, 4])
    }

    @Test func seededRandomGraphsIndexEveryShipmentOnceEachWay() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<200 {
            var f = GraphFixture()
            let parties = Int(rng.next() % 6) + 2
            for i in 0..<parties { f.entity("p\(i)", "SG") }
            f.item("x", origin: "US")
            f.item("y", origin: "US")
            let n = Int(rng.next() % 30)
            for _ in 0..<n {
                let a = Int(rng.next() % UInt64(parties))
                var b = Int(rng.next() % UInt64(parties))
                if b == a { b = (a + 1) % parties }
                f.shipment("p\(a)", "p\(b)", rng.next() % 3 == 0 ? "y" : "x", Double(rng.next() % 9 + 1), on: Day(rawValue: 19000 + Int32(rng.next() % 400)).description)
            }
            let g = try f.graph()
            var outCount = 0, inCount = 0
            for e in 0..<Int32(parties) { outCount += g.outgoing(from: e).count; inCount += g.incoming(to: e).count }
            #expect(outCount == n && inCount == n)
            #expect(Set(g.inPositions).count == n)
            GraphRoundTripTests.expectItemIndexMatchesTheColumns(g)
        }
    }

    @Test func dayParsingIsStrict() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-2-9") == nil)
        #expect(Day("2024-00-10") == nil)
        #expect(Day("1970-01-01")?.rawValue == 0)
        #expect(Day("2023-11-17")?.advanced(by: 180).description == "2024-05-15")
    }

    @Test func numberParsingRejectsWhatDataShouldNotHold() {
        #expect(parseDecimal("25000") == 25_000)
        #expect(parseDecimal("0.6") == 0.6)
        #expect(parseDecimal("-3.5") == -3.5)
        #expect(parseDecimal("1e6") == 1_000_000)
        for bad in ["", "nan", "inf", "1,000", " 5", "0x10", "1.2.3", "--1"] { #expect(parseDecimal(bad) == nil, "\(bad)") }
    }

    @Test func idTableInternsDensely() {
        var t = IdTable()
        for i in 0..<10_000 { #expect(t.insert("id-\(i)").id == Int32(i)) }
        #expect(t.insert("id-42").inserted == false)
        #expect(t.lookup("id-9999") == 9999)
        #expect(t.lookup("nope") == nil)
        #expect(t[123] == "id-123")
    }

    /// Rows already in date order take one counting sort by shipper; it must give the order the two-pass
    /// sort gives (by key, then date, then row), and the two-pass sort must handle rows out of date order.
    @Test func groupingByShipperKeepsDateOrder() {
        var rng = SeededRandom(seed: 21)
        let n = 5_000, parties = 97
        let keys = (0..<n).map { _ in Int32(rng.next() % UInt64(parties)) }
        var days = (0..<n).map { _ in Int32(19_000 + Int(rng.next() % 400)) }
        let shuffled = GraphBuilder.bucketByDate(keys, buckets: parties, dateOrder: GraphBuilder.dateOrder(DayColumn(days)))
        for k in 0..<parties {
            let rows = shuffled.order[Int(shuffled.offsets[k])..<Int(shuffled.offsets[k + 1])].map(Int.init)
            #expect(rows.allSatisfy { keys[$0] == Int32(k) })
            #expect(zip(rows, rows.dropFirst()).allSatisfy { days[$0] < days[$1] || (days[$0] == days[$1] && $0 < $1) })
        }
        days.sort()
        #expect(GraphBuilder.dateOrder(DayColumn(days)) == nil)
        let sorted = GraphBuilder.bucketByDate(keys, buckets: parties, dateOrder: GraphBuilder.dateOrder(DayColumn(days)))
        let single = GraphBuilder.bucket(keys, buckets: parties)
        #expect(sorted.offsets == single.offsets)
        #expect(sorted.order == single.order)
    }

    /// Identifiers of up to eight bytes are decided in the slot alone, longer ones also on the rest of their
    /// text: lengths around eight, shared prefixes, trailing NUL bytes and a grown table all stay exact.
    @Test func idTableTellsApartIdentifiersThatShareTheirFirstEightBytes() {
        var t = IdTable()
        var names: [String] = []
        for stem in ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefgh-long-tail-", "\u{0}", "ab\u{0}"] {
            for i in 0..<40 { names.append(stem + (i == 0 ? "" : String(i))) }
        }
        names.append("abcdefgh\u{0}")
        names.append("abcdefg\u{0}")
        var ids: [String: Int32] = [:]
        for n in names where ids[n] == nil { ids[n] = t.insert(n).id }
        for (n, id) in ids {
            #expect(t.lookup(n) == id, "\(n.debugDescription)")
            #expect(t.insert(n).inserted == false)
            #expect(t[id] == n)
        }
        for missing in ["abcdefgh-long-tail-x", "abcdefgh-long-tail", "abcdefg\u{0}\u{0}", "abcdef", "\u{0}\u{0}", "b"] {
            #expect(t.lookup(missing) == nil, "\(missing.debugDescription)")
        }
    }

    /// Grouped inserts number identifiers as one-at-a-time inserts do, grow the table as they go, and stop at
    /// the first identifier already there (in the same group, a later group, or inserted before).
    @Test func insertAllAgreesWithInsert() {
        let names = (0..<1_000).map { $0 % 3 == 0 ? "party-with-a-long-name-\($0)" : "p\($0)" }
        func insertAll(_ t: inout IdTable, _ names: [String]) -> Bool {
            var texts = IdTable.unindexed()
            for n in names { var n = n; n.withUTF8 { texts.appendUnindexed($0) } }
            return t.insertAll(contentsOf: texts)
        }
        var grouped = IdTable(), single = IdTable()
        #expect(insertAll(&grouped, names))
        for n in names { single.insert(n) }
        #expect(grouped.count == 1_000)
        for n in names { #expect(grouped.lookup(n) == single.lookup(n)) }
        for (k, n) in names.enumerated() { #expect(grouped[Int32(k)] == n) }
        for (later, duplicate) in [(5, 3), (40, 7), (999, 0)] {
            var t = IdTable()
            var list = Array(names.prefix(later))
            list.append(names[duplicate])
            list += ["never-added"]
            #expect(!insertAll(&t, list))
            #expect(t.count == later)
            #expect(t.lookup("never-added") == nil)
            // The text of the identifiers not added is gone: the next one added follows the last one kept.
            #expect(t.insert("next-one").id == Int32(later) && t[Int32(later)] == "next-one")
            #expect(t[Int32(later - 1)] == names[later - 1])
        }
        var t = IdTable()
        #expect(insertAll(&t, ["a", "b"]))
        #expect(!insertAll(&t, ["c", "a"]))
        #expect(t.lookup("c") == 2)
    }

    /// The grouped lookup agrees with one-at-a-time lookups, across group boundaries, for identifiers whose
    /// home slot holds another one, and fails on a missing identifier wherever it sits.
    @Test func lookupManyAgreesWithLookup() {
        var t = IdTable()
        for i in 0..<5_000 { t.insert("p\(i * 7)") }
        var text: [UInt8] = [], starts: [Int] = [], lengths: [Int32] = [], expected: [Int32] = []
        var rng = SeededRandom(seed: 9)
        for _ in 0..<1_003 {
            let i = Int(rng.next() % 5_000)
            starts.append(text.count)
            text += Array("p\(i * 7)".utf8)
            lengths.append(Int32(text.count - starts.last!))
            expected.append(t.lookup("p\(i * 7)")!)
        }
        func run(_ s: [Int], _ l: [Int32]) -> [Int32]? {
            var out = [Int32](repeating: -1, count: s.count)
            let ok = text.withUnsafeBufferPointer { b in
                s.withUnsafeBufferPointer { s in l.withUnsafeBufferPointer { l in out.withUnsafeMutableBufferPointer {
                    t.lookupMany(base: b.baseAddress!, starts: s, lengths: l, into: $0)
                } } }
            }
            return ok ? out : nil
        }
        #expect(run(starts, lengths) == expected)
        var missingChecked = 0
        for position in [0, 15, 16, 500, 1_002] {
            var l = lengths
            l[position] -= 1  // "p34993" becomes "p3499": a missing identifier (or, rarely, another one)
            let shortened = String(decoding: text[starts[position]..<(starts[position] + Int(l[position]))], as: UTF8.self)
            let result = run(starts, l)
            if t.lookup(shortened) == nil {
                missingChecked += 1
                #expect(result == nil, "missing \(shortened) at \(position)")
            }
        }
        #expect(missingChecked >= 3, "the shortened identifiers must mostly be missing for the check to mean something")
    }
}
