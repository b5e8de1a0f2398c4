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
/// - Complexity: O(shipments) to find terminals, plus O(paths × hops) for the walk and the ledgers of the
///   parties it visits.
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
    /// - Complexity: O(shipments), split over the worker threads.
    public func terminals() -> [Int] {
        let n = graph.shipmentCount
        let threads = max(1, min(parameters.threads, 8))
        let chunk = (n + threads - 1) / max(threads, 1)
        let results = ParallelResults<[Int]>(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var found: [Int] = []
            let lo = t * chunk, hi = min(n, lo + chunk)
            if lo < hi {
                for p in lo..<hi where containment.carriesWatched[Int(graph.shipmentItem[p])] {
                    let to = graph.shipmentTo[p]
                    guard tiers.isCandidate[Int(to)] else { continue }
                    if !tiers.tier3Reasons(to, on: ruleDay(p)).isEmpty { found.append(p) }
                }
            }
            results.set(t, found)
        }
        return results.values.flatMap { $0 }
    }

    /// The maximal paths that end with terminal `t` (at least two hops), and whether the enumeration was cut
    /// short at ``AnalysisParameters/maxPathsPerTerminal``.
    func paths(endingAt t: Int, cache: LedgerCache) -> (paths: [DiversionPath], truncated: Bool) {
        var out: [DiversionPath] = []
        var truncated = false
        var stack: [Int] = [t]  // reversed: stack[0] is the terminal
        var parties: [Int32] = [graph.shipmentTo[t], graph.shipper(of: t)]
        let terminalDay = graph.day(t)
        _ = terminalDay

        func flow(_ reversed: [Int]) -> (Double, Double)? {
            guard let p = self.flow(of: Array(reversed.reversed()), cache: cache) else { return nil }
            return (p.tracedQuantity, p.tracedWatchedUnits)
        }

        func walk() {
            if out.count >= parameters.maxPathsPerTerminal { truncated = true; return }
            let head = stack[stack.count - 1]
            let p = graph.shipper(of: head)
            var extended = false
            if stack.count < parameters.maxHops {
                for (lot, units) in cache.feeders(of: head, party: p) where units > 0 {
                    let from = graph.shipper(of: Int(lot))
                    if parties.contains(from) { continue }
                    stack.append(Int(lot))
                    if let (_, watched) = flow(stack), watched + 1e-9 >= parameters.minimumQuantity {
                        extended = true
                        parties.append(from)
                        walk()
                        parties.removeLast()
                    }
                    stack.removeLast()
                    if truncated { return }
                }
            }
            if !extended && stack.count >= 2, let (q, w) = flow(stack), isValid(stack) {
                out.append(DiversionPath(shipments: stack.reversed(), tracedQuantity: q, tracedWatchedUnits: w))
            }
        }
        walk()
        return (out, truncated)
    }

    /// The flow along `path` (in path order): f = min(f, units each lot gave the next hop × conversion), in
    /// units of the first shipment's item; `nil` when nothing can have flowed.
    func flow(of path: [Int], cache: LedgerCache) -> DiversionPath? {
        let item1 = graph.shipmentItem[path[0]]
        var f = graph.shipmentQuantity[path[0]]
        for i in 0..<(path.count - 1) {
            let a = path[i], b = path[i + 1]
            let fed = cache.feeders(of: b, party: graph.shipper(of: b)).reduce(0.0) { $0 + ($1.lot == Int32(a) ? $1.units : 0) }
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
