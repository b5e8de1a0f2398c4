import DiversionGraph

/// Stock accounting of one kind of goods at one party: which incoming shipments (lots) can have fed each
/// outgoing shipment, and with how many units.
///
/// Every lot received within the window before an outgoing shipment, with stock left, can have fed it, up to
/// the smaller of what is left of the lot and what the shipment carries. Stock is then drawn first in, first
/// out, so a lot that earlier shipments used up feeds nothing later. A lot older than the window expires; on
/// one day, receipts come before dispatches. An outgoing shipment of an assembly draws the units of the goods
/// its bill of materials holds. Units no lot can cover came from sources outside the data.
///
/// - Complexity: O(shipments in and out of the party) to build.
public struct FlowLedger: Sendable {
    /// For an outgoing position: the lots (incoming positions) that fed it and the units of the goods each gave.
    public private(set) var feeds: [Int32: [(lot: Int32, units: Double)]] = [:]

    public init(party p: Int32, goods g: Int32, graph: ShipmentGraph, containment: ItemContainment, window: Int) {
        var lots: [(pos: Int32, day: Int32, left: Double)] = []
        for k in graph.incoming(to: p) {
            let pos = graph.inPositions[k]
            if graph.shipmentItem[Int(pos)] == g {
                lots.append((pos, graph.shipmentDay[Int(pos)], graph.shipmentQuantity[Int(pos)]))
            }
        }
        guard !lots.isEmpty else { return }
        var head = 0
        var nextLot = 0
        var open: [(pos: Int32, day: Int32, left: Double)] = []
        for out in graph.outgoing(from: p) {
            let y = graph.shipmentItem[out]
            let per = containment.units(of: g, in: y)
            guard per > 0 else { continue }
            let day = graph.shipmentDay[out]
            while nextLot < lots.count && lots[nextLot].day <= day { open.append(lots[nextLot]); nextLot += 1 }
            while head < open.count && (open[head].left <= 0 || Int(open[head].day) + window < Int(day)) { head += 1 }
            let carried = graph.shipmentQuantity[out] * per
            var fed: [(lot: Int32, units: Double)] = []
            for i in head..<open.count where open[i].left > 1e-9 && Int(open[i].day) + window >= Int(day) {
                fed.append((open[i].pos, min(carried, open[i].left)))
            }
            var need = carried
            var i = head
            while need > 1e-9 && i < open.count {
                if open[i].left > 0 && Int(open[i].day) + window >= Int(day) {
                    let take = min(need, open[i].left)
                    open[i].left -= take
                    need -= take
                }
                i += 1
            }
            if !fed.isEmpty { feeds[Int32(out)] = fed }
            if head > 1024 && head * 2 > open.count { open.removeFirst(head); head = 0 }
        }
    }
}

/// Ledgers built on demand and kept for the rest of a search (one cache per worker thread).
final class LedgerCache {
    private var ledgers: [UInt64: FlowLedger] = [:]
    let graph: ShipmentGraph
    let containment: ItemContainment
    let window: Int

    init(graph: ShipmentGraph, containment: ItemContainment, window: Int) {
        self.graph = graph
        self.containment = containment
        self.window = window
    }

    func ledger(party p: Int32, goods g: Int32) -> FlowLedger {
        let key = UInt64(UInt32(bitPattern: p)) << 32 | UInt64(UInt32(bitPattern: g))
        if let l = ledgers[key] { return l }
        let l = FlowLedger(party: p, goods: g, graph: graph, containment: containment, window: window)
        ledgers[key] = l
        return l
    }

    /// The lots that fed outgoing shipment `out` (from party `p`), over every watched kind of goods it carries.
    func feeders(of out: Int, party p: Int32) -> [(lot: Int32, units: Double)] {
        var result: [(lot: Int32, units: Double)] = []
        for (g, _) in containment.contents[Int(graph.shipmentItem[out])] where containment.carriesWatched[Int(g)] {
            if let f = ledger(party: p, goods: g).feeds[Int32(out)] { result += f }
        }
        return result
    }
}
