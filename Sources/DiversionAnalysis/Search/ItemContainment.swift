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
            var acc: [Int32: Double] = [y: 1]
            for k in g.components(of: y) {
                let part = g.componentPart[k], q = g.componentQuantity[k]
                for (c, u) in expand(part, depth + 1) { acc[c, default: 0] += q * u }
            }
            let list = acc.map { (item: $0.key, units: $0.value) }.sorted { $0.item < $1.item }
            contents[Int(y)] = list
            done[Int(y)] = true
            return list
        }
        for y in 0..<Int32(n) { _ = expand(y, 0) }
        let watched = g.items.indices.map { watch.watches(g.items[$0]) }
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
