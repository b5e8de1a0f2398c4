import DiversionGraph

/// For every item, the items it contains at any depth of its bill of materials with the units per unit
/// (the item itself counts once), and whether it is, or contains, watched goods.
///
/// - Complexity: O(items × BOM size below each); items are few, so this is built once per analysis.
public struct ItemContainment: Sendable {
    /// `contents[y]`: `(g, units of g in one y)`, sorted by `g`, including `(y, 1)`.
    public let contents: [[(item: Int32, units: Double)]]
    public let isWatched: [Bool]
    /// Watched itself or contains a watched part.
    public let carriesWatched: [Bool]

    public init(graph g: ShipmentGraph, watch: WatchList) {
        let n = g.itemCount
        var contents = [[(item: Int32, units: Double)]](repeating: [], count: n)
        var done = [Bool](repeating: false, count: n)
        func expand(_ y: Int32, _ depth: Int) -> [(item: Int32, units: Double)] {
            if done[Int(y)] { return contents[Int(y)] }
            if g.components(of: y).isEmpty || depth >= 32 {
                contents[Int(y)] = [(y, 1)]
                done[Int(y)] = true
                return contents[Int(y)]
            }
            // Bills of materials are short: the units are summed in a list, in the order the parts come.
            var list: [(item: Int32, units: Double)] = [(y, 1)]
            for k in g.components(of: y) {
                let part = g.componentPart[k], q = g.componentQuantity[k]
                for (c, u) in expand(part, depth + 1) {
                    if let i = list.firstIndex(where: { $0.item == c }) { list[i].units += q * u } else { list.append((c, q * u)) }
                }
            }
            list.sort { $0.item < $1.item }
            contents[Int(y)] = list
            done[Int(y)] = true
            return list
        }
        for y in 0..<Int32(n) { _ = expand(y, 0) }
        let watched = g.items.map { watch.watches($0) }
        self.contents = contents
        self.isWatched = watched
        self.carriesWatched = contents.map { list in list.contains { watched[Int($0.item)] } }
    }

    /// Units of `g` in one unit of `y` (0 when `y` does not contain `g`).
    @inline(__always)
    public func units(of g: Int32, in y: Int32) -> Double {
        for (c, u) in contents[Int(y)] where c == g { return u }
        return 0
    }
}

/// The shipments of goods that are, or contain, watched goods: their entries in the graph's item index
/// (``ShipmentGraph/itemShipmentPositions``), split between worker threads in contiguous stretches.
struct WatchedShipments {
    /// Item-index ranges, one for each item that carries watched goods.
    let ranges: [Range<Int>]
    let count: Int

    /// Below this many shipments, they are scanned on one thread: the scan takes well under a millisecond,
    /// less than handing half of it to a second thread is worth.
    static let worthASecondThread = 50_000

    init(graph: ShipmentGraph, containment: ItemContainment) {
        ranges = (0..<Int32(graph.itemCount)).filter { containment.carriesWatched[Int($0)] }.map { graph.shipments(of: $0) }
        count = ranges.reduce(0) { $0 + $1.count }
    }

    /// How many workers to use, at most `threads`.
    func workers(upTo threads: Int) -> Int { count < WatchedShipments.worthASecondThread ? 1 : max(1, threads) }

    /// Worker `w`'s share of `workers`: one contiguous stretch of the entries, as item-index ranges.
    func share(_ w: Int, of workers: Int) -> [Range<Int>] {
        let mine = count * w / workers..<count * (w + 1) / workers
        var out: [Range<Int>] = []
        var first = 0
        for r in ranges {
            defer { first += r.count }
            let lo = r.lowerBound + max(mine.lowerBound, first) - first
            let hi = r.lowerBound + min(mine.upperBound, first + r.count) - first
            if lo < hi { out.append(lo..<hi) }
        }
        return out
    }
}
