/// The stock of controlled goods that background parties hold: lots (day received, units left) per party
/// and item, drawn first in, first out.
///
/// Background traffic ships controlled goods only from stock (a maker from its production), so a
/// generated world is consistent with the stock tracing the analysis does: what a party ships out within a
/// window, it received within that window. Without it, a busy distributor would ship out more than the data
/// shows it receiving, and tracing would have to conclude that an injected scheme's lot was used up by
/// background sales.
///
/// A lot is drawn only on or after the day it arrived (rows are generated in nearly, not strictly, date
/// order) and only within `shelfLife` days of it: the analysis window (180 days by default), so the stock
/// the generator follows is the stock the analysis follows.
///
/// - Complexity: O(1) amortized per receipt and per draw, plus the lots skipped; memory O(lots live at once).
struct StockBook {
    fileprivate struct Lots {
        var day: [Int32] = []
        var left: [Int] = []
        var head = 0
    }

    let shelfLife: Int32
    private var slot: [UInt64: Int] = [:]
    private var lots: [Lots] = []

    init(shelfLife: Int) {
        self.shelfLife = Int32(shelfLife)
    }

    @inline(__always)
    private static func key(_ party: Int32, _ item: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: party)) << 32 | UInt64(item)
    }

    /// Records that `party` received `units` of `item` on `day`.
    mutating func receive(_ party: Int32, _ item: Int, day: Int32, units: Int) {
        guard units > 0 else { return }
        let k = StockBook.key(party, item)
        let s: Int
        if let found = slot[k] {
            s = found
        } else {
            s = lots.count
            slot[k] = s
            lots.append(Lots())
        }
        lots[s].day.append(day)
        lots[s].left.append(units)
    }

    /// Takes up to `units` of `item` from `party`'s stock on `day`, oldest lot first; returns the units taken.
    mutating func take(_ party: Int32, _ item: Int, day: Int32, units: Int) -> Int {
        guard units > 0, let s = slot[StockBook.key(party, item)] else { return 0 }
        return lots[s].take(day: day, shelfLife: shelfLife, units: units)
    }
}

extension StockBook.Lots {
    fileprivate mutating func take(day: Int32, shelfLife: Int32, units: Int) -> Int {
        // Lots are appended in nearly date order: drop the expired or empty ones at the front.
        while head < self.day.count && (left[head] == 0 || self.day[head] + shelfLife < day) { head += 1 }
        if head > 64 && head * 2 > self.day.count {
            self.day.removeFirst(head)
            left.removeFirst(head)
            head = 0
        }
        var need = units
        var i = head
        while need > 0 && i < self.day.count {
            if self.day[i] <= day && self.day[i] + shelfLife >= day {
                let t = min(need, left[i])
                left[i] -= t
                need -= t
            }
            i += 1
        }
        return units - need
    }
}
