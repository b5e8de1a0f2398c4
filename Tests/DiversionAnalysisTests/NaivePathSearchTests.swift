import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

/// An independent, exhaustive implementation of the path definition, for small graphs only.
struct NaiveSearch {
    let g: ShipmentGraph
    let rules: RuleBook
    let window: Int
    let maxHops: Int
    let watch: WatchList

    /// Units of `part` in one unit of `item`, at any depth.
    func units(_ part: Int32, in item: Int32) -> Double {
        if part == item { return 1 }
        var total = 0.0
        for k in g.components(of: item) { total += g.componentQuantity[k] * units(part, in: g.componentPart[k]) }
        return total
    }

    func carriesWatched(_ item: Int32) -> Bool {
        (0..<Int32(g.itemCount)).contains { watch.watches(g.items[Int($0)]) && units($0, in: item) > 0 }
    }

    /// Units of goods `lot.item` that lot `lot` can have given to `out`, recomputed from scratch: the lot must
    /// be live (received within the window, not after `out`) and have stock left when the shipments before
    /// `out` draw every other live lot first (oldest first) and this lot last; the most it gives is the smaller
    /// of that stock and what `out` carries.
    func allocation(_ lot: Int, _ out: Int) -> Double {
        let p = g.shipmentTo[lot]
        guard g.shipper(of: out) == p else { return 0 }
        let goods = g.shipmentItem[lot]
        let per = units(goods, in: g.shipmentItem[out])
        guard per > 0 else { return 0 }
        struct Event { var day: Int32; var isOut: Bool; var pos: Int }
        var events: [Event] = []
        for s in 0..<g.shipmentCount {
            if g.shipmentTo[s] == p && g.shipmentItem[s] == goods { events.append(Event(day: g.shipmentDay[s], isOut: false, pos: s)) }
            if g.shipper(of: s) == p && units(goods, in: g.shipmentItem[s]) > 0 { events.append(Event(day: g.shipmentDay[s], isOut: true, pos: s)) }
        }
        // Receipts before dispatches on a day; otherwise date order, then the graph's position order (which
        // is date order within a party, the order the real search uses).
        let inRank = Dictionary(uniqueKeysWithValues: (0..<g.shipmentCount).map { s in (s, s) })
        events.sort { ($0.day, $0.isOut ? 1 : 0, inRank[$0.pos]!) < ($1.day, $1.isOut ? 1 : 0, inRank[$1.pos]!) }
        var left: [Int: Double] = [:]
        var order: [Int] = []
        for e in events {
            if !e.isOut { left[e.pos] = g.shipmentQuantity[e.pos]; order.append(e.pos); continue }
            let carried = (g.shipmentItem[e.pos] == goods ? g.shipmentQuantity[e.pos] : builtHere(e.pos)) * units(goods, in: g.shipmentItem[e.pos])
            if e.pos == out {
                guard let rest = left[lot], rest > 1e-9, Int(g.shipmentDay[lot]) + window >= Int(e.day) else { return 0 }
                return min(rest, carried)
            }
            var need = carried
            for l in order.filter({ $0 != lot }) + [lot] where need > 1e-9 {
                guard let rest = left[l], rest > 0, Int(g.shipmentDay[l]) + window >= Int(e.day) else { continue }
                let take = min(rest, need)
                left[l] = rest - take
                need -= take
            }
        }
        return 0
    }

    /// Units of `out` (shipped by p) that p's own lots of the same item, drawn oldest first by every dispatch
    /// of that item, cannot cover: built at p from components.
    func builtHere(_ out: Int) -> Double {
        let p = g.shipper(of: out), item = g.shipmentItem[out]
        var lots: [(day: Int32, left: Double)] = []
        var dispatches: [Int] = []
        for s in 0..<g.shipmentCount where g.shipmentItem[s] == item {
            if g.shipmentTo[s] == p { lots.append((g.shipmentDay[s], g.shipmentQuantity[s])) }
            if g.shipper(of: s) == p { dispatches.append(s) }
        }
        lots.sort { $0.day < $1.day }
        dispatches.sort { (g.shipmentDay[$0], $0) < (g.shipmentDay[$1], $1) }
        for d in dispatches {
            var need = g.shipmentQuantity[d]
            for i in lots.indices where need > 1e-9 && lots[i].day <= g.shipmentDay[d] && Int(lots[i].day) + window >= Int(g.shipmentDay[d]) {
                let take = min(need, lots[i].left)
                lots[i].left -= take
                need -= take
            }
            if d == out { return need }
        }
        return g.shipmentQuantity[out]
    }

    func flow(_ path: [Int]) -> Double {
        let item1 = g.shipmentItem[path[0]]
        var f = g.shipmentQuantity[path[0]]
        for i in 0..<(path.count - 1) {
            f = min(f, allocation(path[i], path[i + 1]) * units(item1, in: g.shipmentItem[path[i]]))
        }
        return f
    }

    let tiers: PartyTiers

    init(g: ShipmentGraph, rules: RuleBook, window: Int, maxHops: Int, watch: WatchList) {
        self.g = g; self.rules = rules; self.window = window; self.maxHops = maxHops; self.watch = watch
        tiers = PartyTiers(graph: g, rules: rules)
    }

    func isTier3(_ e: Int32, _ day: Day) -> Bool { !tiers.tier3Reasons(e, on: day).isEmpty }

    func paths() -> Set<[Int]> {
        var result = Set<[Int]>()
        func extend(_ path: [Int]) {
            if path.count >= 2 { consider(path) }
            guard path.count < maxHops else { return }
            let last = path.last!
            for s in 0..<g.shipmentCount where g.shipper(of: s) == g.shipmentTo[last] { extend(path + [s]) }
        }
        func parties(_ path: [Int]) -> [Int32] { [g.shipper(of: path[0])] + path.map { g.shipmentTo[$0] } }
        func valid(_ path: [Int]) -> Bool {
            let ps = parties(path)
            guard Set(ps).count == ps.count else { return false }
            guard carriesWatched(g.shipmentItem[path[0]]) else { return false }
            for i in 0..<(path.count - 1) {
                let a = g.shipmentDay[path[i]], b = g.shipmentDay[path[i + 1]]
                guard a <= b, Int(b) <= Int(a) + window else { return false }
                guard allocation(path[i], path[i + 1]) > 0 else { return false }
            }
            return flow(path) > 1e-9
        }
        func consider(_ path: [Int]) {
            guard valid(path) else { return }
            let last = path.last!
            guard carriesWatched(g.shipmentItem[last]), isTier3(g.shipmentTo[last], g.day(last)) else { return }
            guard path.dropLast().contains(where: { rules.tier(of: g.entityCountry[Int(g.shipmentTo[$0])], on: g.day($0)) == .tier2 }) else { return }
            // Maximal: no valid earlier hop extends it (within the hop limit).
            if path.count < maxHops {
                for s in 0..<g.shipmentCount where g.shipmentTo[s] == g.shipper(of: path[0]) {
                    if valid([s] + path) { return }
                }
            }
            result.insert(path)
        }
        for s in 0..<g.shipmentCount { extend([s]) }
        return result
    }
}

@Suite("Path search against an exhaustive search")
struct NaivePathSearchTests {
    static let parties: [(String, String)] = [("us", "US"), ("jp", "JP"), ("sg", "SG"), ("my", "MY"), ("th", "TH"),
                                              ("cn", "CN"), ("hk", "HK")]

    func randomGraph(_ rng: inout SeededRandom) throws -> ShipmentGraph {
        var f = GraphFixture()
        let count = 4 + Int(rng.next() % 4)
        let chosen = NaivePathSearchTests.parties.prefix(count)
        for (id, cc) in chosen { f.entity(id, cc) }
        f.item("gpu", origin: "US", eccn: "3A090.a", value: 100)
        f.item("srv", origin: "MY", eccn: "4A090.a", value: 1000)
        f.component("srv", "gpu", 2)
        f.item("cable", origin: "US", eccn: "EAR99", value: 1)
        let items = ["gpu", "gpu", "srv", "cable"]
        let n = 3 + Int(rng.next() % 12)
        for _ in 0..<n {
            let a = Int(rng.next() % UInt64(count))
            var b = Int(rng.next() % UInt64(count))
            if a == b { b = (b + 1) % count }
            let day = Day(rawValue: 19_700 + Int32(rng.next() % 200))
            f.shipment(chosen[chosen.startIndex + a].0, chosen[chosen.startIndex + b].0, items[Int(rng.next() % 4)],
                       Double(1 + rng.next() % 6), on: day.description)
        }
        return try f.graph()
    }

    @Test func matchesExhaustiveSearchOnThousandsOfRandomGraphs() throws {
        var rng = SeededRandom(seed: 2024)
        var nonEmpty = 0
        for round in 0..<2_000 {
            let g = try randomGraph(&rng)
            var p = AnalysisParameters()
            p.window = 60
            p.maxHops = 4
            p.threads = 1
            let fast = Set(PathSearch(graph: g, rules: bundledRules, parameters: p).allPaths().paths.map(\.shipments))
            let naive = NaiveSearch(g: g, rules: bundledRules, window: 60, maxHops: 4, watch: .default).paths()
            if !naive.isEmpty { nonEmpty += 1 }
            #expect(fast == naive, "round \(round): fast \(fast.sorted { $0.lexicographicallyPrecedes($1) }) naive \(naive.sorted { $0.lexicographicallyPrecedes($1) })")
            if fast != naive { break }
        }
        #expect(nonEmpty > 100, "the random graphs must contain paths for the comparison to mean something")
    }
}
