import DiversionGraph

/// Stock accounting of one kind of goods at one party: which incoming shipments (lots) can have fed each
/// outgoing shipment, and with how many units.
///
/// A lot can have fed an outgoing shipment when it was received within the window before it (on one day,
/// receipts come before dispatches) and still holds stock under the allocation most favourable to it: every
/// other live lot is drawn first, oldest first, and this lot last. It gives at most the smaller of that stock
/// and what the shipment carries. So a lot that the shipments in between must have used up, whatever the
/// order of drawing, feeds nothing later, while a lot that busy background trade could merely have used up
/// is still a possible source. A lot older than the window expires. An outgoing shipment of an assembly draws
/// the units of the goods its bill of materials holds. Units no lot can cover came from sources outside the
/// data.
///
/// NB: stock before a lot arrives is the same under every order of drawing that lot (it is not there yet),
/// so one first-in-first-out pass gives each lot's starting point, and its own pass runs only over its window.
///
/// - Complexity: O(lots × (lots live at once + shipments out within the window)) to build.
public struct FlowLedger: Sendable {
    /// For an outgoing position: the lots (incoming positions) that fed it and the units of the goods each gave.
    public private(set) var feeds: [Int32: [(lot: Int32, units: Double)]] = [:]

    public init(party p: Int32, goods g: Int32, graph: ShipmentGraph, containment: ItemContainment, window: Int) {
        typealias Lot = (pos: Int32, day: Int32, left: Double)
        var lots: [Lot] = []
        for k in graph.incoming(to: p) {
            let pos = graph.inPositions[k]
            if graph.shipmentItem[Int(pos)] == g {
                lots.append((pos, graph.shipmentDay[Int(pos)], graph.shipmentQuantity[Int(pos)]))
            }
        }
        guard !lots.isEmpty else { return }
        var outs: [(pos: Int32, day: Int32, carried: Double)] = []
        for out in graph.outgoing(from: p) {
            let per = containment.units(of: g, in: graph.shipmentItem[out])
            guard per > 0 else { continue }
            outs.append((Int32(out), graph.shipmentDay[out], graph.shipmentQuantity[out] * per))
        }
        guard !outs.isEmpty else { return }

        @inline(__always) func isLive(_ l: Lot, on day: Int32) -> Bool { l.left > 1e-9 && Int(l.day) + window >= Int(day) }
        /// Draws `need` units from `open`, oldest live lot first, skipping index `skip`; returns what is still needed.
        @inline(__always) func draw(_ open: inout [Lot], from start: Int, _ need: Double, on day: Int32, skip: Int) -> Double {
            var need = need
            var i = start
            while need > 1e-9 && i < open.count {
                if i != skip && isLive(open[i], on: day) {
                    let take = min(need, open[i].left)
                    open[i].left -= take
                    need -= take
                }
                i += 1
            }
            return need
        }

        var fifo: [Lot] = []  // first-in-first-out state of every lot received so far
        var head = 0
        var nextOut = 0
        var feeds: [Int32: [(lot: Int32, units: Double)]] = [:]
        for (index, lot) in lots.enumerated() {
            // Dispatches before this lot's day happen before it arrives.
            while nextOut < outs.count && outs[nextOut].day < lot.day {
                let o = outs[nextOut]
                while head < fifo.count && !isLive(fifo[head], on: o.day) { head += 1 }
                _ = draw(&fifo, from: head, o.carried, on: o.day, skip: -1)
                nextOut += 1
            }
            if head > 1024 && head * 2 > fifo.count { fifo.removeFirst(head); head = 0 }
            fifo.append(lot)
            // This lot's own pass: the live stock now, later receipts as they come, this lot drawn last.
            var open = Array(fifo[head...].filter { isLive($0, on: lot.day) })
            let mine = open.count - 1
            var nextLot = index + 1
            var k = nextOut
            while k < outs.count {
                let o = outs[k]
                if Int(lot.day) + window < Int(o.day) { break }
                while nextLot < lots.count && lots[nextLot].day <= o.day { open.append(lots[nextLot]); nextLot += 1 }
                let left = open[mine].left
                if left > 1e-9 { feeds[o.pos, default: []].append((lot.pos, min(o.carried, left))) }
                let need = draw(&open, from: 0, o.carried, on: o.day, skip: mine)
                if need > 1e-9 { open[mine].left -= min(need, open[mine].left) }
                if open[mine].left <= 1e-9 { break }
                k += 1
            }
        }
        self.feeds = feeds
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
