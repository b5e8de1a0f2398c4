import DiversionGraph
import DiversionRules
import Foundation

/// The core path query that other engines (SQLite, DuckDB, NetworkX) can also answer, for benchmarks: every
/// chain s1…sk (2 ≤ k ≤ max hops) of shipments of watched goods where s(i+1).from = s(i).to, s(i).date ≤
/// s(i+1).date ≤ s(i).date + window, the goods continue (the same item, or an item that contains the previous
/// one), the parties are distinct, the last consignee is located in a Tier-3 country and some intermediary in a
/// Tier-2 country (tiers on a fixed day).
///
/// It leaves out what only this tool does (stock-based flow, ownership and listings, jurisdiction, the
/// maximal-path rule), so that the result is a plain set of chains every engine must agree on.
///
/// - Complexity: O(shipments of watched goods) to find the final shipments (read from the graph's item
///   index), plus O(chains × incoming shipments per party within the window) for the backward walk; split
///   over the worker threads.
public struct CoreRouteQuery: Sendable {
    public let graph: ShipmentGraph
    public let window: Int
    public let maxHops: Int
    public let tierDay: Day
    let containment: ItemContainment
    /// Tier (1, 2 or 3) by country slot.
    let tierByCountry: [UInt8]

    public init(graph: ShipmentGraph, rules: RuleBook, watch: WatchList = .default, window: Int = 180, maxHops: Int = 6,
                tierDay: Day = Day("2024-06-01")!) {
        self.graph = graph
        self.window = window
        self.maxHops = maxHops
        self.tierDay = tierDay
        containment = ItemContainment(graph: graph, watch: watch)
        var table = [UInt8](repeating: UInt8(Tier.tier2.rawValue), count: CountryCode.slotCount)
        for (c, t) in rules.countriesOutsideTier2(on: tierDay) { table[c.slot] = UInt8(t.rawValue) }
        tierByCountry = table
    }

    /// The tier of the country `e` is located in.
    @inline(__always)
    func tier(_ e: Int32) -> UInt8 { tierByCountry[graph.entityCountry[Int(e)].slot] }

    /// The number of chains, and an order-independent checksum of their shipment-id sequences.
    ///
    /// Only the shipments of watched goods are read (through the graph's item index); a few of them are not
    /// worth a second thread.
    public func run(threads: Int = 2, collect: Bool = false) -> (count: Int, checksum: UInt64, chains: [[String]]) {
        let g = graph
        let watched = WatchedShipments(graph: g, containment: containment)
        let workers = watched.workers(upTo: threads)
        let results = ParallelResults<(Int, UInt64, [[String]])>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var count = 0
            var checksum: UInt64 = 0
            var chains: [[String]] = []
            var stack: [Int] = []
            var parties: [Int32] = []
            func emit() {
                count += 1
                var h: UInt64 = 0xcbf29ce484222325
                for s in stack.reversed() {
                    h = g.withShipmentID(s) { id in
                        var h = h
                        for c in id { h = (h ^ UInt64(c)) &* 0x100000001b3 }
                        return h
                    }
                    h = (h ^ 0x2C) &* 0x100000001b3
                }
                checksum &+= h
                if collect { chains.append(stack.reversed().map { g.shipmentID($0) }) }
            }
            func walk(_ hasTier2: Bool) {
                let head = stack[stack.count - 1]
                if stack.count >= 2 && hasTier2 { emit() }
                guard stack.count < maxHops else { return }
                let p = parties[parties.count - 1]  // the head's shipper
                let day = g.shipmentDay[head], item = g.shipmentItem[head]
                let range = g.incoming(to: p)
                // Incoming shipments in date order: walk back from the head's day to day - window.
                var k = upperBound(range, day) - 1
                while k >= range.lowerBound {
                    let s = Int(g.inPositions[k])
                    let d = g.shipmentDay[s]
                    if Int(d) + window < Int(day) { break }
                    k -= 1
                    let prev = g.shipmentItem[s]
                    guard containment.carriesWatched[Int(prev)], prev == item || containment.units(of: prev, in: item) > 0 else { continue }
                    let from = g.shipper(of: s)
                    if parties.contains(from) { continue }
                    stack.append(s); parties.append(from)
                    walk(hasTier2 || tier(p) == 2)
                    stack.removeLast(); parties.removeLast()
                }
            }
            // This worker's share of the watched shipments: one contiguous stretch of the item index.
            var finals: [Int] = []
            for range in watched.share(w, of: workers) {
                for k in range {
                    let p = Int(g.itemShipmentPositions[k])
                    if tier(g.shipmentTo[p]) == 3 { finals.append(p) }
                }
            }
            for t in finals {
                stack = [t]
                parties = [g.shipmentTo[t], g.shipper(of: t)]
                walk(false)
            }
            results.set(w, (count, checksum, chains))
        }
        var total = 0, sum: UInt64 = 0, all: [[String]] = []
        for r in results.values { total += r.0; sum &+= r.1; all += r.2 }
        if collect { all.sort { $0.lexicographicallyPrecedes($1) } }
        return (total, sum, all)
    }

    /// The first index in `range` of `inPositions` whose shipment day is after `day`.
    func upperBound(_ range: Range<Int>, _ day: Int32) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if graph.shipmentDay[Int(graph.inPositions[mid])] <= day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The Tier-2 and Tier-3 country codes on `tierDay`, for writing the same query in other engines.
    public static func tierCountries(rules: RuleBook, on day: Day) -> (tier2: [String], tier3: [String]) {
        var t2: [String] = [], t3: [String] = []
        for c in CountryCode.all {
            switch rules.tier(of: c, on: day) {
            case .tier2: t2.append(c.code)
            case .tier3: t3.append(c.code)
            case .tier1: break
            }
        }
        return (t2, t3)
    }
}
