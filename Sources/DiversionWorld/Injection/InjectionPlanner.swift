import DiversionGraph

/// A shipment of a scheme or a decoy, before it has an id.
struct PlannedShipment {
    var day: Int32
    var from: Int32
    var to: Int32
    var item: Int
    var quantity: Int
    var value: Int
    var license: DocumentCode = .none
    var declaredEndUser: Int32? = nil
    var reference: DocumentCode = .none
}

/// What the analysis must report for a scheme.
enum SchemeFinding: Equatable {
    /// A violation, carried by hop `hop` (an index into the scheme's shipments).
    case violation(hop: Int)
    /// A lead: no hop is established as subject to the EAR, and the answer hangs on a fact the data lacks.
    case lead
    /// Subject to the EAR into a Tier-3 party, with no license required under the rules as modelled.
    case subject

    var expectation: SchemeExpectation {
        switch self {
        case .violation: return .violation
        case .lead: return .lead
        case .subject: return .subject
        }
    }

    var hop: Int? {
        switch self {
        case .violation(let hop): return hop
        case .lead, .subject: return nil
        }
    }
}

struct PlannedScheme {
    var shape: SchemeShape
    /// Indices into ``InjectionPlanner/shipments``, in chain order.
    var shipments: [Int]
    var finalParty: Int32
    var reason: Tier3Cause
    var finding: SchemeFinding

    /// A scheme; without `finding`, a violation carried by its last hop (every shape but the foreign-made
    /// servers).
    init(shape: SchemeShape, shipments: [Int], finalParty: Int32, reason: Tier3Cause, finding: SchemeFinding? = nil) {
        self.shape = shape
        self.shipments = shipments
        self.finalParty = finalParty
        self.reason = reason
        self.finding = finding ?? .violation(hop: shipments.count - 1)
    }
}

struct PlannedDecoy {
    var breaks: DecoyBreak
    var shipments: [Int]
}

/// Plans the injected schemes and decoys: creates their fresh parties (and holdings and listings) in the
/// model and lists their shipments.
///
/// Every scheme hop obeys the chain rules the search looks for: the next hop leaves from the previous
/// consignee, on the same day or up to 150 days later, with no more units (counted in chips after a
/// server assembler), no licence, and at least one Tier-2 intermediary. Each decoy breaks exactly one rule.
struct InjectionPlanner {
    let model: WorldModel
    var r: SeededRandom
    var shipments: [PlannedShipment] = []
    var schemes: [PlannedScheme] = []
    var decoys: [PlannedDecoy] = []

    /// Longest gap between scheme hops, in days (the search's default window is 180).
    static let maxSchemeGap = 150
    /// Shortest gap of the gap-over-window decoy.
    static let minDecoyGap = 201
    /// 17 November 2023, when the October 2023 rules took effect: 4A090 servers, the advanced-computing
    /// FDP rule's headquarters prong and its reach to items incorporated abroad. The foreign-made-server
    /// shapes start on or after it.
    static let advancedComputingRulesDay = Day(year: 2023, month: 11, day: 17)!.rawValue

    init(model: WorldModel, random: SeededRandom) {
        self.model = model
        self.r = random
    }

    mutating func plan() {
        let shapes: [SchemeShape] = [.hubAndSpoke, .longChain, .serverConversion, .ownershipDisguised, .listedConsignee, .direct,
                                     .foreignServer, .resellerServer]
        var made: Set<SchemeShape> = []
        var k = 0
        while schemes.count < model.schemeCount {
            let remaining = model.schemeCount - schemes.count
            let shape = shapes[k % shapes.count]
            switch shape {
            case .hubAndSpoke:
                // NB: a hub-and-spoke makes one scheme per buyer (two to four); it takes at most the room left
                // for the shapes not yet made (one scheme each), so that even the smallest world (10 schemes,
                // 8 shapes) holds every shape.
                let unmade = shapes.filter { $0 != .hubAndSpoke && !made.contains($0) }.count
                hubAndSpoke(maxFinals: max(1, remaining - unmade))
            case .longChain: longChain()
            case .serverConversion: serverConversion()
            case .ownershipDisguised: ownershipDisguised()
            case .listedConsignee: listedConsignee()
            case .direct: direct()
            case .foreignServer: foreignServer()
            case .resellerServer: resellerServer()
            }
            made.insert(shape)
            k += 1
        }
        let breaks = DecoyBreak.allCases
        for d in 0..<model.decoyCount {
            switch breaks[d % breaks.count] {
            case .tier2Final: tier2FinalDecoy()
            case .gapOverWindow: gapDecoy()
            case .backInTime: backInTimeDecoy()
            case .uncontrolledItem: uncontrolledDecoy()
            case .noTracedQuantity: noTracedQuantityDecoy()
            }
        }
    }

    // MARK: - Parties

    /// A new party that takes part in nothing but its scheme or decoy (and background EAR99 trade).
    mutating func fresh(_ country: UInt8, _ role: PartyRole, headquarters: UInt8 = PartyTable.noHeadquarters) -> Int32 {
        var flags: PartyFlags = .fresh
        let hqTier = Countries.tiers[Int(headquarters == PartyTable.noHeadquarters ? country : headquarters)]
        if Countries.tiers[Int(country)] == .three || hqTier == .three { flags.insert(.tainted) }
        return model.parties.append(country: country, role: role, headquarters: headquarters, flags: flags)
    }

    /// A Tier-2 hub country, by hub weight, other than `other` and `second`.
    mutating func hubCountry(avoiding other: UInt8? = nil, and second: UInt8? = nil) -> UInt8 {
        for _ in 0..<8 {
            let c = Countries.hubs[Countries.hubChoice.pick(&r)]
            if c != other && c != second { return c }
        }
        return Countries.hubs.first { $0 != other && $0 != second } ?? Countries.hubs[0]
    }

    mutating func freshTier2(avoiding other: UInt8? = nil, and second: UInt8? = nil) -> Int32 {
        let roles: [PartyRole] = [.distributor, .distributor, .forwarder, .reseller, .reseller]
        return fresh(hubCountry(avoiding: other, and: second), r.element(roles))
    }

    mutating func freshTier3(_ roles: [PartyRole] = [.reseller, .endUser, .distributor, .cloud]) -> Int32 {
        fresh(Countries.destinations[Countries.destinationChoice.pick(&r)], r.element(roles))
    }

    /// A busy clean Tier-2 background distributor, reused as a scheme intermediary (a hub in the dense
    /// profile), or nil when none is found.
    mutating func reusedTier2() -> Int32? {
        if model.isDense, !model.hubRange.isEmpty {
            return model.hubRange.lowerBound + Int32(r.skewedRank(model.hubRange.count, power: 2))
        }
        let pool = model.controlledShippers
        for _ in 0..<64 {
            let p = pool[r.skewedRank(pool.count, power: 3)]
            if model.parties.tier(p) == .two, model.parties.roleOf(p) != .assembler { return p }
        }
        return nil
    }

    /// `count` distinct Tier-2 intermediaries, consecutive ones in different countries and none in `home`
    /// (the country of the party that ships to the first); with probability `reuse` one of them is a busy
    /// background party, when its country keeps those rules.
    mutating func tier2Chain(_ count: Int, reuse: Double, avoiding home: UInt8? = nil) -> [Int32] {
        var chain: [Int32] = []
        for _ in 0..<count {
            chain.append(freshTier2(avoiding: chain.last.map { model.parties.country[Int($0)] } ?? home, and: home))
        }
        if reuse > 0, r.chance(reuse), let p = reusedTier2(), !chain.contains(p) {
            let k = r.below(count)
            // NB: a busy party that would sit next to one in its own country, or in `home`, is not swapped
            // in (it used to be, against the promise above); the draws are the same either way.
            let c = model.parties.country[Int(p)]
            let clashes = c == home || (k > 0 && model.parties.country[Int(chain[k - 1])] == c)
                || (k + 1 < count && model.parties.country[Int(chain[k + 1])] == c)
            if !clashes { chain[k] = p }
        }
        return chain
    }

    /// The day a party was put on a list before a chain starting on `start`: 30 to 900 days earlier, but
    /// not before 2019.
    mutating func listingDay(before start: Int32) -> Int32 {
        let earliest = Day(year: 2019, month: 1, day: 1)!.rawValue
        return max(earliest, start - Int32(r.int(in: 30...900)))
    }

    /// Puts `party` on the Entity List from `since`, with `footnote`, and flags it.
    mutating func putOnEntityList(_ party: Int32, footnote: Int?, since: Int32) {
        model.listings.append(ListingEntry(entity: party, list: "entity-list", footnote: footnote, since: since, until: nil))
        model.parties.flags[Int(party)].insert([.listed, .tainted])
    }

    /// The first shipper of a scheme: the chip's designer or foundry, or a fresh Tier-1 distributor.
    ///
    /// Designers and the foundry never receive controlled goods in the background, so no background chain
    /// runs through them. A server assembler is never the first shipper: the servers it ships are built from
    /// the chips it holds, and servers shipped out of nothing would use up, in the stock tracing, chips that
    /// background orders or another scheme's lot are waiting for.
    mutating func supplier(of item: Int) -> Int32 {
        if let maker = ItemCatalogue.items[item].maker, r.chance(0.5), maker.role == .designer || maker.role == .fab {
            return maker.party
        }
        return fresh(Countries.suppliers[Countries.supplierChoice.pick(&r)], r.chance(0.7) ? .distributor : .reseller)
    }

    // MARK: - Goods, dates, quantities

    mutating func chip() -> Int {
        let choice = WeightedChoice(ItemCatalogue.schemeChips.map(\.1))
        return ItemCatalogue.index(ItemCatalogue.schemeChips[choice.pick(&r)].0)
    }

    /// A U.S.-origin scheme chip: subject to the EAR wherever it goes. Schemes whose buyer is Tier 3 by
    /// headquarters, ownership or listing use one, because a foreign-made chip reaches such a buyer only under
    /// some rules and dates (the advanced-computing FDP rule's headquarters prong dates from 17 November
    /// 2023; a listing without a footnote brings no FDP rule at all), and the injected scheme must be a
    /// violation on its dates.
    mutating func usChip() -> Int {
        var item = chip()
        while ItemCatalogue.items[item].origin != "US" { item = chip() }
        return item
    }

    /// A gap between consecutive scheme hops: usually weeks, sometimes the same day or close to the limit.
    mutating func hopGap() -> Int {
        let u = r.unit()
        if u < 0.05 { return 0 }
        if u < 0.75 { return r.int(in: 3...60) }
        if u < 0.95 { return r.int(in: 61...120) }
        return r.int(in: 121...InjectionPlanner.maxSchemeGap)
    }

    /// A first day, not before `earliest`, such that `first + length` is still in the calendar.
    mutating func startDay(length: Int, notBefore earliest: Int32 = WorldCalendar.first) -> Int32 {
        precondition(earliest >= WorldCalendar.first)
        let room = Int(WorldCalendar.last - earliest) - length
        precondition(room >= 0, "a chain of \(length) days does not fit")
        return earliest + Int32(r.below(room + 1))
    }

    /// Dates of `gaps.count + 1` hops, each `gaps[k]` days after the one before, all within the calendar
    /// and none before `earliest`.
    mutating func days(gaps: [Int], notBefore earliest: Int32 = WorldCalendar.first) -> [Int32] {
        var d = startDay(length: gaps.reduce(0, +), notBefore: earliest)
        var out = [d]
        for g in gaps {
            d += Int32(g)
            out.append(d)
        }
        return out
    }

    mutating func hopGaps(_ count: Int) -> [Int] { (0..<count).map { _ in hopGap() } }

    /// Dates for the hops of a route of `parties` parties (one hop fewer), with scheme gaps, none before
    /// `earliest`.
    mutating func routeDays(_ parties: Int, notBefore earliest: Int32 = WorldCalendar.first) -> [Int32] {
        days(gaps: hopGaps(parties - 2), notBefore: earliest)
    }

    /// A starting quantity in chips: tens to a couple of thousand, in trays of 8 when large.
    mutating func chipQuantity(_ low: Int = 40, _ high: Int = 2_000) -> Int {
        let q = r.logUniform(low, high)
        return q >= 16 ? q / 8 * 8 : q
    }

    /// The next hop's quantity: the same, or up to 10% fewer (a few units kept or sold locally).
    mutating func shrink(_ q: Int) -> Int {
        if r.chance(0.4) { return q }
        return max(1, q - r.int(in: 0...max(0, q / 10)))
    }

    mutating func licenceNumber() -> DocumentCode { .licence(r.int(in: 100_000...9_999_999)) }

    mutating func reference() -> DocumentCode { InjectionPlanner.reference(&r) }

    /// A bill of lading or invoice number on about a third of shipments (background and injected alike).
    static func reference(_ r: inout SeededRandom) -> DocumentCode {
        let u = r.unit()
        if u < 0.2 { return .billOfLading(Int(r.next() % 10_000_000_000)) }
        if u < 0.35 { return .invoice(r.below(100_000_000)) }
        return .none
    }

    /// Appends a shipment and returns its index.
    mutating func ship(_ day: Int32, _ from: Int32, _ to: Int32, _ item: Int, _ quantity: Int, license: DocumentCode = .none,
                       declaring: Bool = false) -> Int {
        precondition(from != to && quantity > 0 && day >= WorldCalendar.first && day <= WorldCalendar.last)
        let declared: Int32? = declaring || r.chance(0.12) ? to : nil
        let value = Int(Double(ItemCatalogue.items[item].unitValue * quantity) * (0.9 + 0.2 * r.unit()))
        shipments.append(PlannedShipment(day: day, from: from, to: to, item: item, quantity: quantity, value: value,
                                         license: license, declaredEndUser: declared, reference: reference()))
        return shipments.count - 1
    }

    /// Ships `item` along `parties` on `days` with non-increasing quantities starting at `quantity`.
    mutating func chain(_ parties: [Int32], _ days: [Int32], _ item: Int, _ quantity: Int,
                        finalLicense: DocumentCode = .none) -> [Int] {
        precondition(parties.count == days.count + 1)
        var q = quantity
        var out: [Int] = []
        for k in 0..<days.count {
            if k > 0 { q = shrink(q) }
            let isLast = k == days.count - 1
            out.append(ship(days[k], parties[k], parties[k + 1], item, q, license: isLast ? finalLicense : .none,
                            declaring: k == 0 && r.chance(0.3)))
        }
        return out
    }
}
