import Foundation
import DiversionGraph

/// Stock accounting of one kind of goods at one party: which incoming shipments (lots) can have fed each
/// outgoing shipment, and with how many units.
///
/// The party's stock of the goods is followed through its receipts and dispatches in date order (receipts
/// before dispatches on a day): a dispatch draws the oldest live lots first, a lot older than the window
/// expires, and units no lot can cover came from sources outside the data (the stock does not go below zero).
/// A lot can have fed an outgoing shipment when it was received within the window before it and the stock
/// never ran out in between; it gave at most the lowest stock level in between (all of it still there if
/// every other lot was drawn first), its own size and what the shipment carries. So busy trade at a hub does
/// not hide a scheme's lot, while a stock-out cuts every older lot off from later shipments.
///
/// An outgoing shipment of an assembly draws first on the party's own lots of that assembly, and only for
/// the rest on the units of the goods its bill of materials holds (built there from components).
///
/// - Complexity: O(lots + outgoing shipments) to build; ``feeders(of:)`` is O(events back to the last
///   stock-out or the start of the window).
public struct FlowLedger: Sendable {
    /// Receipts and dispatches in the order the stock is followed.
    private var position: [Int32] = []
    private var day: [Int32] = []
    /// A lot's size, or the units of the goods a dispatch carries.
    private var units: [Double] = []
    private var isLot: [Bool] = []
    /// Stock right after the event; for a dispatch, `stockBefore` is the stock after expiry, before it draws.
    private var stockAfter: [Double] = []
    private var stockBefore: [Double] = []
    /// Outgoing position → its event index.
    private var dispatchEvent: [Int32: Int32] = [:]
    let window: Int

    public init(party p: Int32, goods g: Int32, graph: ShipmentGraph, containment: ItemContainment, window: Int) {
        self.window = window
        var lots: [(pos: Int32, day: Int32, units: Double)] = []
        for k in graph.incoming(to: p) {
            let pos = graph.inPositions[k]
            if graph.shipmentItem[Int(pos)] == g {
                lots.append((pos, graph.shipmentDay[Int(pos)], graph.shipmentQuantity[Int(pos)]))
            }
        }
        guard !lots.isEmpty else { return }
        var outs: [(pos: Int32, day: Int32, carried: Double)] = []
        var ownStock: [Int32: [Int32: Double]] = [:]  // assembly item → outgoing position → units its own lots do not cover
        for out in graph.outgoing(from: p) {
            let item = graph.shipmentItem[out]
            let per = containment.units(of: g, in: item)
            guard per > 0 else { continue }
            var units = graph.shipmentQuantity[out]
            if item != g {
                if ownStock[item] == nil {
                    ownStock[item] = FlowLedger.uncovered(party: p, item: item, graph: graph, window: window)
                }
                units = ownStock[item]![Int32(out)] ?? units
                guard units > 1e-9 else { continue }
            }
            outs.append((Int32(out), graph.shipmentDay[out], units * per))
        }
        guard !outs.isEmpty else { return }

        let n = lots.count + outs.count
        position.reserveCapacity(n); day.reserveCapacity(n); units.reserveCapacity(n); isLot.reserveCapacity(n)
        stockAfter.reserveCapacity(n); stockBefore.reserveCapacity(n)
        var left: [Double] = []  // per lot, first in first out
        var head = 0
        var stock = 0.0
        var i = 0, j = 0
        while i < lots.count || j < outs.count {
            let takeLot = j == outs.count || (i < lots.count && lots[i].day <= outs[j].day)
            let d = takeLot ? lots[i].day : outs[j].day
            while head < left.count && Int(lots[head].day) + window < Int(d) {
                stock -= left[head]
                left[head] = 0
                head += 1
            }
            if takeLot {
                left.append(lots[i].units)
                stock += lots[i].units
                append(lots[i].pos, d, lots[i].units, true, stock, stock)
                i += 1
            } else {
                let before = stock
                var need = outs[j].carried
                var k = head
                while need > 1e-9 && k < left.count {
                    let t = min(need, left[k])
                    left[k] -= t
                    need -= t
                    k += 1
                }
                stock = max(0, stock - (outs[j].carried - need))
                dispatchEvent[outs[j].pos] = Int32(position.count)
                append(outs[j].pos, d, outs[j].carried, false, stock, before)
                j += 1
            }
        }
    }

    private mutating func append(_ pos: Int32, _ d: Int32, _ u: Double, _ lot: Bool, _ after: Double, _ before: Double) {
        position.append(pos); day.append(d); units.append(u); isLot.append(lot)
        stockAfter.append(after); stockBefore.append(before)
    }

    /// The lots (incoming positions) that can have fed outgoing shipment `out` and the units of the goods
    /// each can have given, newest first; empty when `out` does not carry the goods.
    public func feeders(of out: Int32) -> [(lot: Int32, units: Double)] {
        guard let e = dispatchEvent[out].map(Int.init) else { return [] }
        let carried = units[e], outDay = Int(day[e])
        var lowest = stockBefore[e]
        var result: [(lot: Int32, units: Double)] = []
        var k = e - 1
        while k >= 0 && lowest > 1e-9 {
            if isLot[k] {
                if Int(day[k]) + window < outDay { break }  // this lot and every older one expired
                let u = min(carried, units[k], lowest)
                if u > 1e-9 { result.append((position[k], u)) }
                lowest = min(lowest, stockAfter[k] - units[k])  // the stock just before this lot came in
            } else {
                lowest = min(lowest, stockAfter[k])
            }
            k -= 1
        }
        return result
    }

    /// For each outgoing shipment of `item` from party `p` that lots of `item` itself cannot fully cover
    /// (received within the window, oldest first, receipts before dispatches on a day): the units left over.
    /// An assembly shipped on from stock of that assembly did not consume the goods it holds; only the rest
    /// can have been built from components.
    ///
    /// - Complexity: O(lots + outgoing shipments of `item`) at `p`.
    static func uncovered(party p: Int32, item: Int32, graph: ShipmentGraph, window: Int) -> [Int32: Double] {
        var lots: [(day: Int32, left: Double)] = []
        for k in graph.incoming(to: p) {
            let pos = Int(graph.inPositions[k])
            if graph.shipmentItem[pos] == item { lots.append((graph.shipmentDay[pos], graph.shipmentQuantity[pos])) }
        }
        guard !lots.isEmpty else { return [:] }
        var result: [Int32: Double] = [:]
        var head = 0, received = 0
        for out in graph.outgoing(from: p) where graph.shipmentItem[out] == item {
            let day = graph.shipmentDay[out]
            while received < lots.count && lots[received].day <= day { received += 1 }
            while head < received && (lots[head].left <= 1e-9 || Int(lots[head].day) + window < Int(day)) { head += 1 }
            var need = graph.shipmentQuantity[out]
            var i = head
            while need > 1e-9 && i < received {
                let take = min(need, lots[i].left)
                lots[i].left -= take
                need -= take
                i += 1
            }
            if need < graph.shipmentQuantity[out] { result[Int32(out)] = max(0, need) }
        }
        return result
    }
}

/// Ledgers shared by the worker threads of one search: each (party, goods) ledger is built once, by the first
/// thread that needs it; a thread that needs one being built waits for it.
final class LedgerStore: @unchecked Sendable {
    private var ledgers: [UInt64: FlowLedger] = [:]
    private var building: Set<UInt64> = []
    private let condition = NSCondition()

    func ledger(_ key: UInt64, build: () -> FlowLedger) -> FlowLedger {
        condition.lock()
        while true {
            if let l = ledgers[key] { condition.unlock(); return l }
            if !building.contains(key) { break }
            condition.wait()
        }
        building.insert(key)
        condition.unlock()
        let l = build()
        condition.lock()
        ledgers[key] = l
        building.remove(key)
        condition.broadcast()
        condition.unlock()
        return l
    }
}

/// One worker thread's view of the ledgers (shared through a ``LedgerStore``), with the feeders of every
/// shipment it asked about.
final class LedgerCache {
    private let store: LedgerStore
    private var fed: [Int32: [(lot: Int32, units: Double)]] = [:]
    let graph: ShipmentGraph
    let containment: ItemContainment
    let window: Int

    init(graph: ShipmentGraph, containment: ItemContainment, window: Int, store: LedgerStore = LedgerStore()) {
        self.graph = graph
        self.containment = containment
        self.window = window
        self.store = store
    }

    func ledger(party p: Int32, goods g: Int32) -> FlowLedger {
        let key = UInt64(UInt32(bitPattern: p)) << 32 | UInt64(UInt32(bitPattern: g))
        return store.ledger(key) { FlowLedger(party: p, goods: g, graph: graph, containment: containment, window: window) }
    }

    /// The lots that can have fed outgoing shipment `out` (from party `p`), over every watched kind of goods
    /// it carries.
    func feeders(of out: Int, party p: Int32) -> [(lot: Int32, units: Double)] {
        if let known = fed[Int32(out)] { return known }
        var result: [(lot: Int32, units: Double)] = []
        for (g, _) in containment.contents[Int(graph.shipmentItem[out])] where containment.carriesWatched[Int(g)] {
            result += ledger(party: p, goods: g).feeders(of: Int32(out))
        }
        fed[Int32(out)] = result
        return result
    }

    /// Units lot `lot` can have given outgoing shipment `out` (from party `p`); 0 when it did not feed it.
    func units(from lot: Int, to out: Int, party p: Int32) -> Double {
        var total = 0.0
        for f in feeders(of: out, party: p) where f.lot == Int32(lot) { total += f.units }
        return total
    }
}
