import DiversionGraph
import DiversionRules
import Foundation

/// A diversion path: shipments s1…sk, each leaving the party the previous one reached, with the units of
/// goods that can have flowed along all of it.
public struct DiversionPath: Sendable, Hashable {
    /// Shipment positions in path order.
    public var shipments: [Int]
    /// Units of the first shipment's item that can have flowed through every hop.
    public var tracedQuantity: Double
    /// The same flow counted in watched units (chips): a server holding 8 watched GPUs counts 8.
    public var tracedWatchedUnits: Double
}

/// Finds diversion paths: time-ordered chains of shipments that carry watched goods through at least one
/// Tier-2 intermediary to a Tier-3 party, with the goods continuing and a positive traced quantity.
///
/// The search runs backward from each *terminal* (a shipment of watched goods into a Tier-3 party) along
/// the lots that fed each shipment (``FlowLedger``), so it only touches the part of the graph that leads to
/// Tier-3 parties and each step follows goods that can really have flowed. Only maximal paths are kept:
/// a path that a valid earlier hop extends is reported as the longer path.
///
/// - Complexity: O(shipments of watched goods) to find terminals, plus O(paths × hops) for the walk and the
///   ledgers of the parties it visits.
public struct PathSearch: Sendable {
    public let graph: ShipmentGraph
    public let rules: RuleBook
    public let parameters: AnalysisParameters
    public let containment: ItemContainment
    public let tiers: PartyTiers
    /// Watched units (chips) in one unit of each item.
    let watchedUnits: [Double]

    public init(graph: ShipmentGraph, rules: RuleBook, parameters: AnalysisParameters) {
        self.graph = graph
        self.rules = rules
        self.parameters = parameters
        let c = ItemContainment(graph: graph, watch: parameters.watch)
        self.containment = c
        self.tiers = PartyTiers(graph: graph, rules: rules)
        self.watchedUnits = c.contents.map { list in list.reduce(0) { $0 + (c.isWatched[Int($1.item)] ? $1.units : 0) } }
    }

    /// The day whose rules judge a shipment.
    @inline(__always)
    func ruleDay(_ p: Int) -> Day { parameters.asOf ?? graph.day(p) }

    /// Shipments of watched goods into Tier-3 parties, in position order.
    /// - Complexity: O(shipments of watched goods), read through the graph's item index and split over the
    ///   worker threads.
    public func terminals() -> [Int] {
        let watched = WatchedShipments(graph: graph, containment: containment)
        let threads = watched.workers(upTo: min(parameters.threads, 8))
        let results = ParallelResults<[Int]>(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var found: [Int] = []
            for range in watched.share(t, of: threads) {
                for k in range {
                    let p = Int(graph.itemShipmentPositions[k])
                    let to = graph.shipmentTo[p]
                    guard tiers.isCandidate[Int(to)] else { continue }
                    if !tiers.tier3Reasons(to, on: ruleDay(p)).isEmpty { found.append(p) }
                }
            }
            results.set(t, found)
        }
        return results.values.flatMap { $0 }.sorted()
    }

    /// The maximal paths that end with terminal `t` (at least two hops), and whether the enumeration was cut
    /// short at ``AnalysisParameters/maxPathsPerTerminal``.
    ///
    /// When a terminal has more maximal paths than the limit, the paths kept are spread over the lots that
    /// can have fed each hop (each lot's share of the limit is what its earlier siblings left, divided
    /// evenly), so that one lot with a large upstream network does not crowd out the others.
    func paths(endingAt t: Int, cache: LedgerCache) -> (paths: [DiversionPath], truncated: Bool) {
        let first = enumerate(endingAt: t, cache: cache, evenly: false)
        return first.truncated ? enumerate(endingAt: t, cache: cache, evenly: true) : first
    }

    private func enumerate(endingAt t: Int, cache: LedgerCache, evenly: Bool) -> (paths: [DiversionPath], truncated: Bool) {
        var out: [DiversionPath] = []
        var truncated = false
        var stack: [Int] = [t]  // reversed: stack[0] is the terminal
        var fed: [Double] = []  // fed[k]: units of its goods lot stack[k + 1] can have given stack[k]
        var parties: [Int32] = [graph.shipmentTo[t], graph.shipper(of: t)]

        /// The flow along the stack, in units of its first shipment's item, and in watched units.
        func flow() -> (Double, Double)? {
            let first = stack[stack.count - 1]
            let item1 = graph.shipmentItem[first]
            var f = graph.shipmentQuantity[first]
            for k in 0..<fed.count {
                let perItem = containment.units(of: item1, in: graph.shipmentItem[stack[k + 1]])
                guard perItem > 0 else { return nil }
                f = min(f, fed[k] * perItem)
            }
            guard f > 1e-9 else { return nil }
            return (f, f * watchedUnits[Int(item1)])
        }

        /// Extends the stack backward, adding at most `budget` paths; returns how many it added.
        func walk(_ budget: Int) -> Int {
            if budget <= 0 { truncated = true; return 0 }
            let head = stack[stack.count - 1]
            let p = graph.shipper(of: head)
            var children: [(lot: Int, units: Double, from: Int32)] = []
            if stack.count < parameters.maxHops {
                for (lot, units) in cache.feeders(of: head, party: p) where units > 0 {
                    let from = graph.shipper(of: Int(lot))
                    if parties.contains(from) { continue }
                    stack.append(Int(lot))
                    fed.append(units)
                    if let (_, watched) = flow(), watched + 1e-9 >= parameters.minimumQuantity {
                        children.append((Int(lot), units, from))
                    }
                    fed.removeLast()
                    stack.removeLast()
                }
            }
            if children.isEmpty {
                guard stack.count >= 2, let (q, w) = flow(), isValid(stack) else { return 0 }
                out.append(DiversionPath(shipments: stack.reversed(), tracedQuantity: q, tracedWatchedUnits: w))
                return 1
            }
            var left = budget
            for (k, c) in children.enumerated() {
                if left <= 0 { truncated = true; break }
                let share = evenly ? max(1, left / (children.count - k)) : left
                stack.append(c.lot); fed.append(c.units); parties.append(c.from)
                left -= walk(share)
                parties.removeLast(); fed.removeLast(); stack.removeLast()
            }
            return budget - left
        }
        _ = walk(parameters.maxPathsPerTerminal)
        return (out, truncated)
    }

    /// The flow along `path` (in path order): f = min(f, units each lot gave the next hop × conversion), in
    /// units of the first shipment's item; `nil` when nothing can have flowed.
    func flow(of path: [Int], cache: LedgerCache) -> DiversionPath? {
        let item1 = graph.shipmentItem[path[0]]
        var f = graph.shipmentQuantity[path[0]]
        for i in 0..<(path.count - 1) {
            let a = path[i], b = path[i + 1]
            let fed = cache.units(from: a, to: b, party: graph.shipper(of: b))
            let perItem = containment.units(of: item1, in: graph.shipmentItem[a])
            guard perItem > 0 else { return nil }
            f = min(f, fed * perItem)
        }
        guard f > 1e-9 else { return nil }
        return DiversionPath(shipments: path, tracedQuantity: f, tracedWatchedUnits: f * watchedUnits[Int(item1)])
    }

    /// Maximal chains made only of the given shipments, linked by the lots that fed them (for grouping direct
    /// shipments that follow each other into one scheme).
    func chains(within set: Set<Int>, cache: LedgerCache) -> [DiversionPath] {
        var out: [DiversionPath] = []
        for t in set.sorted() {
            var stack = [t]
            var parties: [Int32] = [graph.shipmentTo[t], graph.shipper(of: t)]
            func walk() {
                let head = stack.last!
                var extended = false
                if stack.count < parameters.maxHops {
                    for (lot, units) in cache.feeders(of: head, party: graph.shipper(of: head)) where units > 0 && set.contains(Int(lot)) {
                        let from = graph.shipper(of: Int(lot))
                        if parties.contains(from) { continue }
                        extended = true
                        stack.append(Int(lot)); parties.append(from)
                        walk()
                        stack.removeLast(); parties.removeLast()
                    }
                }
                if !extended {
                    let path = Array(stack.reversed())
                    out.append(flow(of: path, cache: cache) ?? DiversionPath(
                        shipments: path, tracedQuantity: graph.shipmentQuantity[path[0]],
                        tracedWatchedUnits: graph.shipmentQuantity[path[0]] * watchedUnits[Int(graph.shipmentItem[path[0]])]))
                }
            }
            walk()
        }
        return out
    }

    /// At least one intermediary is a Tier-2 party (by its country, on the day it received the goods).
    func isValid(_ reversed: [Int]) -> Bool {
        for k in 1..<reversed.count {
            let s = reversed[k]  // an earlier hop; its consignee is an intermediary
            if tiers.countryTier(graph.shipmentTo[s], on: ruleDay(s)) == .tier2 { return true }
        }
        return false
    }
}

/// Per-thread result slots for `concurrentPerform`.
final class ParallelResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    var values: [T] { slots.compactMap { $0 } }
}

extension PathSearch {
    /// Every maximal path to every terminal, on one thread, in a stable order (for tests, benchmarks and
    /// comparisons with other engines). ``Analyzer`` runs the same search on all cores.
    public func allPaths() -> (paths: [DiversionPath], truncatedTerminals: Int) {
        let cache = LedgerCache(graph: graph, containment: containment, window: parameters.window)
        var all: [DiversionPath] = []
        var truncated = 0
        for t in terminals() {
            let (p, cut) = paths(endingAt: t, cache: cache)
            all += p
            if cut { truncated += 1 }
        }
        return (all, truncated)
    }
}
