import DiversionGraph

/// Which way a trace follows the goods.
public enum TraceDirection: String, Sendable { case upstream, downstream }

extension PathSearch {
    /// Chains of watched goods that reach `party` (upstream) or leave it (downstream), following the lots
    /// that fed each shipment, whatever the tiers: the investigator's "what reaches this party" and "where do
    /// this supplier's chips go".
    ///
    /// - Complexity: O(chains × hops) plus the ledgers of the parties visited; capped at `limit` chains.
    public func trace(_ party: Int32, direction: TraceDirection, limit: Int = 1_000) -> (chains: [DiversionPath], truncated: Bool) {
        let cache = LedgerCache(graph: graph, containment: containment, window: parameters.window)
        var chains: [DiversionPath] = []
        var truncated = false
        var stack: [Int] = []
        var parties: [Int32] = []

        func emit() {
            let path = direction == .upstream ? Array(stack.reversed()) : stack
            if let p = flow(of: path, cache: cache) { chains.append(p) }
            if chains.count >= limit { truncated = true }
        }

        func upstream() {
            if truncated { return }
            let head = stack.last!
            let p = graph.shipper(of: head)
            var extended = false
            if stack.count < parameters.maxHops {
                for (lot, units) in cache.feeders(of: head, party: p) where units > 0 {
                    let from = graph.shipper(of: Int(lot))
                    if parties.contains(from) { continue }
                    extended = true
                    stack.append(Int(lot)); parties.append(from)
                    upstream()
                    stack.removeLast(); parties.removeLast()
                }
            }
            if !extended { emit() }
        }

        func downstream() {
            if truncated { return }
            let head = stack.last!
            let q = graph.shipmentTo[head]
            var extended = false
            if stack.count < parameters.maxHops {
                for out in graph.outgoing(from: q) where containment.carriesWatched[Int(graph.shipmentItem[out])] {
                    let to = graph.shipmentTo[out]
                    if parties.contains(to) { continue }
                    guard cache.feeders(of: out, party: q).contains(where: { $0.lot == Int32(head) && $0.units > 0 }) else { continue }
                    extended = true
                    stack.append(out); parties.append(to)
                    downstream()
                    stack.removeLast(); parties.removeLast()
                }
            }
            if !extended { emit() }
        }

        switch direction {
        case .upstream:
            for k in graph.incoming(to: party) {
                let s = Int(graph.inPositions[k])
                guard containment.carriesWatched[Int(graph.shipmentItem[s])] else { continue }
                stack = [s]; parties = [party, graph.shipper(of: s)]
                upstream()
                if truncated { break }
            }
        case .downstream:
            for s in graph.outgoing(from: party) where containment.carriesWatched[Int(graph.shipmentItem[s])] {
                stack = [s]; parties = [party, graph.shipmentTo[s]]
                downstream()
                if truncated { break }
            }
        }
        return (chains, truncated)
    }
}
