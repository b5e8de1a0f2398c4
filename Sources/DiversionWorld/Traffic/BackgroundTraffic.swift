import DiversionGraph

/// One background shipment, parties as internal numbers.
struct BackgroundRow {
    var day: Int32 = 0
    var from: Int32 = 0
    var to: Int32 = 0
    var item: Int = 0
    var quantity: Int = 0
    var value: Int = 0
    var declaresEndUser = false
    var license: DocumentCode = .none
    var reference: DocumentCode = .none
}

/// Generates the background shipments one at a time, in (nearly) date order.
///
/// Controlled goods (3A090 chips and 4A090 servers) only ever go from a clean Tier-1/Tier-2 party to
/// another clean Tier-1/Tier-2 party (`WorldModel`'s pools), so the background alone holds no diversion path
/// and no direct alert; other goods go anywhere, Tier 3 included, except to listed parties and embargoed
/// countries, where any item would need a licence. Shippers and consignees are drawn
/// with power-law ranks, so a few parties carry much of the trade.
///
/// Controlled goods leave only from stock (``StockBook``): a distributor ships what it received within the
/// last 180 days, an assembler builds servers from the chips it received, and a designer or the foundry
/// ships what it makes. A shipper without stock restocks instead: the row becomes a shipment from the
/// goods' maker to it (and a server maker without chips gets chips from theirs).
///
/// - Complexity: O(1) amortized per row.
struct BackgroundTraffic {
    let count: Int
    var r: SeededRandom
    private let controlledShare: Double
    private let toolShare = 0.0005
    private let partyTotal: Int
    private let stride: Int
    private let offset: Int
    private let hubLow: Int32
    private let hubCount: Int
    /// For each chip, the clean anchor assemblers whose servers hold it.
    private let assemblersOf: [[Int32]]
    private let items: [CatalogueItem]
    // Copies of the pools and catalogue lists, so the hot path touches no class or global (no retain, no
    // `swift_once`).
    private let shippers: [Int32]
    private let consignees: [Int32]
    private let tier1Shippers: [Int32]
    private let fabs: [Int32]
    private let controlledItems: [Int]
    private let controlledChoice: WeightedChoice
    private let otherItems: [Int]
    private let otherChoice: WeightedChoice
    private let tools = ItemCatalogue.tools
    /// `makerOf[item]`: the party that makes it (every controlled item of background trade has a clean
    /// maker), or -1.
    private let makerOf: [Int32]
    /// `chipOf[server]`: the chip a server holds and how many; nil for other items.
    private let chipOf: [(chip: Int, per: Int)?]
    private var stock = StockBook(shelfLife: BackgroundTraffic.shelfLife)
    /// Days a lot counts as stock: the analysis's default window.
    static let shelfLife = 180
    /// Largest quantity of a shipment of an EAR99 or unclassified item: about $3M worth, 5 to 20,000 units.
    private let otherMaxQuantity: [Int]
    /// Flags and roles of parties, for the few checks on the hot path.
    private let isDesigner: [Bool]
    private let isTainted: [Bool]
    private let isTier1Consignee: [Bool]
    /// Listed parties and parties in embargoed countries (E:1/E:2): every item needs a licence to them
    /// (15 CFR 744.11, 746.1(b)), so background goods of any kind never go there.
    private let isRestrictedConsignee: [Bool]

    init(model: WorldModel, count: Int, random: SeededRandom) {
        self.count = count
        self.r = random
        controlledShare = model.isDense ? 0.30 : 0.03
        partyTotal = model.parties.count
        // A multiplier coprime with the party count maps ranks to parties as a permutation.
        var m = 2_654_435_761 % max(partyTotal, 2)
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        while m < 1 || gcd(m, partyTotal) != 1 { m += 1 }
        stride = m
        offset = r.below(partyTotal)
        hubLow = model.hubRange.lowerBound
        hubCount = model.hubRange.count
        let world = model.items
        items = world.items
        controlledItems = world.controlled
        controlledChoice = world.controlledChoice
        otherItems = world.other
        otherChoice = world.otherChoice
        otherMaxQuantity = world.items.map { min(20_000, max(5, 3_000_000 / $0.unitValue)) }
        var index: [String: Int] = [:]
        for (i, item) in world.items.enumerated() { index[item.id] = i }
        var makers = [[Int32]](repeating: [], count: world.items.count)
        for (assembly, component, _, _) in world.components {
            let server = world.items[index[assembly]!]
            // NB: server variants (extra items) share their base's maker: it is listed once per chip.
            if let maker = server.maker, world.items[index[component]!].kind == .chip,
               !makers[index[component]!].contains(maker.party) || index[assembly]! < world.catalogueCount {
                makers[index[component]!].append(maker.party)
            }
        }
        assemblersOf = makers
        makerOf = world.items.map { $0.maker.map(\.party) ?? -1 }
        var chips = [(chip: Int, per: Int)?](repeating: nil, count: world.items.count)
        for (assembly, component, quantity, _) in world.components where world.items[index[component]!].kind == .chip {
            chips[index[assembly]!] = (index[component]!, quantity)
        }
        chipOf = chips
        shippers = model.controlledShippers
        consignees = model.controlledConsignees
        tier1Shippers = model.tier1Shippers
        fabs = model.fabs
        let parties = model.parties
        isDesigner = (0..<parties.count).map { parties.roleOf(Int32($0)) == .designer }
        isTainted = parties.flags.map { $0.contains(.tainted) }
        isTier1Consignee = (0..<parties.count).map { parties.tier(Int32($0)) == .one }
        let embargoed = Set(Countries.indices(["IR", "KP", "SY", "CU"]))
        isRestrictedConsignee = (0..<parties.count).map {
            parties.flags[$0].contains(.listed) || embargoed.contains(parties.country[$0])
        }
    }

    /// The day row `k` of `count` is generated around (before jitter): the calendar spread evenly.
    @inline(__always)
    func baseDay(_ k: Int) -> Int32 {
        WorldCalendar.first + Int32(k * Int(WorldCalendar.span) / count)
    }

    @inline(__always)
    private func anyParty(_ rank: Int) -> Int32 { Int32((rank &* stride &+ offset) % partyTotal) }

    @inline(__always)
    private mutating func hub() -> Int32 { hubLow + Int32(r.skewedRank(hubCount, power: 2)) }

    @inline(__always)
    private mutating func consignee() -> Int32 { consignees[r.skewedRank(consignees.count, power: 2)] }

    @inline(__always)
    private mutating func shipper() -> Int32 { shippers[r.skewedRank(shippers.count, power: 4)] }

    mutating func next(_ k: Int, into row: inout BackgroundRow) {
        var day = baseDay(k)
        if r.chance(0.5) { day = min(max(day + Int32(r.below(5)) - 2, WorldCalendar.first), WorldCalendar.last) }
        row.day = day
        let u = r.unit()
        if u < controlledShare {
            controlled(&row)
        } else if u < controlledShare + toolShare {
            tool(&row)
        } else {
            other(&row)
        }
        let info = items[row.item]
        let unitValue = Double(info.unitValue * row.quantity)
        row.value = Int(unitValue * (0.9 + 0.2 * r.unit()))
        row.declaresEndUser = r.chance(0.12)
        row.reference = InjectionPlanner.reference(&r)
    }

    private mutating func controlled(_ row: inout BackgroundRow) {
        let item = controlledItems[controlledChoice.pick(&r)]
        row.item = item
        let info = items[item]
        if info.kind == .server {
            row.quantity = r.logUniform(1, 64)
        } else {
            let q = r.logUniform(1, 1_200)
            row.quantity = q >= 16 ? q / 8 * 8 : q
        }
        var from: Int32 = -1, to: Int32 = -1
        if hubCount > 0 {
            let v = r.unit()
            // NB: distributors seldom resell to one another; when they did in a third of hub traffic, the
            // time-respecting chains behind one busy hub grew combinatorially with the hop count (hundreds of
            // millions of two-hop chains in a 10M world) and no engine could list them.
            if v < 0.03 {
                from = hub(); to = hub()
            } else if v < 0.43 {
                from = maker(of: item, chance: 0.5) ?? tier1Shippers[r.skewedRank(tier1Shippers.count, power: 4)]
                to = hub()
            } else if v < 0.83 {
                from = hub(); to = consignee()
            }
        }
        if from < 0 {
            from = maker(of: item, chance: info.kind == .server ? 0.4 : 0.25) ?? shipper()
            let assemblers = assemblersOf[item]
            if isDesigner[Int(from)], !assemblers.isEmpty, r.chance(0.3) {
                to = r.element(assemblers)
            } else {
                to = consignee()
            }
        }
        var tries = 0
        while to == from || to == makerOf[item] {
            tries += 1
            to = tries < 8 ? consignee() : consignees[(tries + Int(from)) % consignees.count]
        }
        fromStock(&row, from: from, to: to, day: row.day)
        to = row.to
        precondition(!isTainted[Int(to)], "controlled background goods to a Tier-3 party")
        if isTier1Consignee[Int(to)] {
            row.license = r.chance(0.3) ? .noLicenceRequired : .none
        } else {
            let v = r.unit()
            row.license = v < 0.45 ? .licence(r.int(in: 100_000...9_999_999)) : v < 0.6 ? .noLicenceRequired : .none
        }
    }

    /// Fills in `row` (whose item and quantity are set) as a shipment from `from` to `to` out of `from`'s
    /// stock, fewer units if it holds fewer; when it holds none, as the restocking of the party that lacks
    /// the goods by their maker. Records the receipt.
    private mutating func fromStock(_ row: inout BackgroundRow, from: Int32, to: Int32, day: Int32) {
        var (from, to, item, units) = (from, to, row.item, row.quantity)
        while true {
            let got: Int
            if from == makerOf[item] {
                guard let (chip, per) = chipOf[item] else { break }  // a designer or the foundry: its own make
                got = stock.take(from, chip, day: day, units: units * per) / per
                if got == 0 {
                    // A server maker without chips for the order buys them from the chip's maker.
                    (to, from, item, units) = (from, makerOf[chip], chip, restock(units * per))
                    break
                }
            } else {
                got = stock.take(from, item, day: day, units: units)
                if got == 0 {
                    (to, from, units) = (from, makerOf[item], restock(units))
                    continue  // a server maker restocking a distributor needs the chips in turn
                }
            }
            units = got
            break
        }
        precondition(from >= 0 && from != to, "controlled goods without a maker")
        stock.receive(to, item, day: day, units: units)
        row.from = from
        row.to = to
        row.item = item
        row.quantity = units
    }

    /// A restocking order for a shortfall of `units`: one to three times it, in trays of 8 when large.
    private mutating func restock(_ units: Int) -> Int {
        let q = units * r.int(in: 1...3)
        return q >= 16 ? q / 8 * 8 : q
    }

    /// The item's maker when it is a clean party, with probability `chance`.
    @inline(__always)
    private mutating func maker(of item: Int, chance: Double) -> Int32? {
        guard let m = items[item].maker, r.chance(chance), !isTainted[Int(m.party)] else { return nil }
        return m.party
    }

    private mutating func tool(_ row: inout BackgroundRow) {
        let item = r.element(tools)
        row.item = item
        row.from = items[item].maker!.party
        row.to = r.element(fabs)
        row.quantity = r.int(in: 1...4)
        row.license = r.chance(0.5) ? .licence(r.int(in: 100_000...9_999_999)) : .none
    }

    private mutating func other(_ row: inout BackgroundRow) {
        let item = otherItems[otherChoice.pick(&r)]
        row.item = item
        var from: Int32
        if let m = items[item].maker, r.chance(0.15) { from = m.party } else {
            from = anyParty(r.skewedRank(partyTotal, power: 4))
        }
        var to = anyParty(r.skewedRank(partyTotal, power: 2))
        while to == from || isRestrictedConsignee[Int(to)] { to = anyParty(r.below(partyTotal)) }
        row.from = from
        row.to = to
        row.quantity = r.logUniform(1, otherMaxQuantity[item])
        row.license = r.chance(0.04) ? .noLicenceRequired : .none
    }
}
