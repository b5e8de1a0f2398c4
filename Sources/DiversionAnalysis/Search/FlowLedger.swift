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
    /// Outgoing positions, ascending (for look-up), and the event index of each.
    private var dispatchPosition: [Int32] = []
    private var dispatchEvent: [Int32] = []
    let window: Int

    init(party p: Int32, goods g: Int32, flows: PartyFlows, graph: ShipmentGraph, containment: ItemContainment, window: Int) {
        self.window = window
        let lots = (flows.received[g] ?? []).map { pos in
            (pos: pos, day: graph.shipmentDay[Int(pos)], units: graph.shipmentQuantity[Int(pos)])
        }
        guard !lots.isEmpty else { return }
        var outs: [(pos: Int32, day: Int32, carried: Double)] = []
        for item in flows.sentItems {
            let per = containment.units(of: g, in: item)
            guard per > 0 else { continue }
            // An assembly draws on the party's own lots of it first (assembly item → position → units left over).
            let built = item == g ? [:] : FlowLedger.uncovered(item: item, flows: flows, graph: graph, window: window)
            for pos in flows.sent[item]! {
                var units = graph.shipmentQuantity[Int(pos)]
                if item != g {
                    units = built[pos] ?? units
                    guard units > 1e-9 else { continue }
                }
                outs.append((pos, graph.shipmentDay[Int(pos)], units * per))
            }
        }
        guard !outs.isEmpty else { return }
        // In date order, shipments of one day in the order the data lists them.
        outs.sort { ($0.day, $0.pos) < ($1.day, $1.pos) }

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
                let need = FlowLedger.draw(outs[j].carried, from: &left, head..<left.count)
                // Drawn oldest first: the lots used up are all at the front.
                while head < left.count && left[head] <= 1e-9 { head += 1 }
                stock = max(0, stock - (outs[j].carried - need))
                dispatchPosition.append(outs[j].pos)
                dispatchEvent.append(Int32(position.count))
                append(outs[j].pos, d, outs[j].carried, false, stock, before)
                j += 1
            }
        }
        let byPosition = dispatchPosition.indices.sorted { dispatchPosition[$0] < dispatchPosition[$1] }
        (dispatchPosition, dispatchEvent) = (byPosition.map { dispatchPosition[$0] }, byPosition.map { dispatchEvent[$0] })
    }

    private mutating func append(_ pos: Int32, _ d: Int32, _ u: Double, _ lot: Bool, _ after: Double, _ before: Double) {
        position.append(pos); day.append(d); units.append(u); isLot.append(lot)
        stockAfter.append(after); stockBefore.append(before)
    }

    /// The lots (incoming positions) that can have fed outgoing shipment `out` and the units of the goods
    /// each can have given, newest first; empty when `out` does not carry the goods.
    public func feeders(of out: Int32) -> [(lot: Int32, units: Double)] {
        var a = 0, b = dispatchPosition.count
        while a < b { let m = (a + b) / 2; if dispatchPosition[m] < out { a = m + 1 } else { b = m } }
        guard a < dispatchPosition.count && dispatchPosition[a] == out else { return [] }
        let e = Int(dispatchEvent[a])
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

    /// For each outgoing shipment of `item` from the party that lots of `item` itself cannot fully cover
    /// (received within the window, oldest first, receipts before dispatches on a day): the units left over.
    /// An assembly shipped on from stock of that assembly did not consume the goods it holds; only the rest
    /// can have been built from components.
    ///
    /// - Complexity: O(lots + outgoing shipments of `item`) at the party.
    static func uncovered(item: Int32, flows: PartyFlows, graph: ShipmentGraph, window: Int) -> [Int32: Double] {
        let lots = flows.received[item] ?? []
        guard !lots.isEmpty else { return [:] }
        let days = lots.map { graph.shipmentDay[Int($0)] }
        var left = lots.map { graph.shipmentQuantity[Int($0)] }
        var result: [Int32: Double] = [:]
        var head = 0, received = 0
        for out in flows.sent[item] ?? [] {
            let day = graph.shipmentDay[Int(out)]
            let quantity = graph.shipmentQuantity[Int(out)]
            while received < lots.count && days[received] <= day { received += 1 }
            while head < received && (left[head] <= 1e-9 || Int(days[head]) + window < Int(day)) { head += 1 }
            let need = FlowLedger.draw(quantity, from: &left, head..<received)
            if need < quantity { result[out] = max(0, need) }
        }
        return result
    }

    /// Draws `need` units from the lots `left[range]`, oldest first; returns what they could not cover.
    @inline(__always)
    static func draw(_ need: Double, from left: inout [Double], _ range: Range<Int>) -> Double {
        var need = need
        var k = range.lowerBound
        while need > 1e-9 && k < range.upperBound {
            let take = min(need, left[k])
            left[k] -= take
            need -= take
            k += 1
        }
        return need
    }
}

/// A party's shipments grouped by item: what it received and what it sent, each in date order (shipments of
/// one day in the order the data lists them), so that a ledger reads only the items that carry its goods.
struct PartyFlows: Sendable {
    var received: [Int32: [Int32]] = [:]
    var sent: [Int32: [Int32]] = [:]
    /// The items the party sent, in ascending order (a stable order for the ledger's merge).
    var sentItems: [Int32] = []

    init(party p: Int32, graph: ShipmentGraph) {
        for k in graph.incoming(to: p) {
            let pos = graph.inPositions[k]
            received[graph.shipmentItem[Int(pos)], default: []].append(pos)
        }
        for out in graph.outgoing(from: p) { sent[graph.shipmentItem[out], default: []].append(Int32(out)) }
        sentItems = sent.keys.sorted()
    }
}

/// Ledgers shared by the worker threads of one search: each (party, goods) ledger is built once, by the first
/// thread that needs it; a thread that needs one being built waits for it.
final class LedgerStore: @unchecked Sendable {
    private var ledgers: [UInt64: FlowLedger] = [:]
    private var flows: [Int32: PartyFlows] = [:]
    private var building: Set<UInt64> = []
    private let condition = NSCondition()

    /// The value under `key` in `table`, built by `build` by the first thread that asks for it.
    private func shared<K: Hashable, V>(_ table: ReferenceWritableKeyPath<LedgerStore, [K: V]>, _ key: K, _ marker: UInt64,
                                        build: () -> V) -> V {
        condition.lock()
        while true {
            if let v = self[keyPath: table][key] { condition.unlock(); return v }
            if !building.contains(marker) { break }
            condition.wait()
        }
        building.insert(marker)
        condition.unlock()
        let v = build()
        condition.lock()
        self[keyPath: table][key] = v
        building.remove(marker)
        condition.broadcast()
        condition.unlock()
        return v
    }

    func ledger(_ key: UInt64, build: () -> FlowLedger) -> FlowLedger {
        shared(\.ledgers, key, key, build: build)
    }

    func flows(of party: Int32, build: () -> PartyFlows) -> PartyFlows {
        // Ledger keys hold a goods index (below 2^32) in their low half; this marker's low half is all ones.
        shared(\.flows, party, UInt64(UInt32(bitPattern: party)) << 32 | 0xFFFF_FFFF, build: build)
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
        return store.ledger(key) {
            let flows = store.flows(of: p) { PartyFlows(party: p, graph: graph) }
            return FlowLedger(party: p, goods: g, flows: flows, graph: graph, containment: containment, window: window)
        }
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
