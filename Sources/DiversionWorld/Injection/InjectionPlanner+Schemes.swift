import DiversionGraph

extension InjectionPlanner {
    /// A Tier-2 hub receives chips from a supplier (sometimes through a forwarder) and forwards them to
    /// several Tier-3 buyers; one scheme per buyer.
    mutating func hubAndSpoke(maxFinals: Int) {
        let item = chip()
        let supplier = supplier(of: item)
        let hub = r.chance(0.35) ? (reusedTier2() ?? freshTier2()) : fresh(hubCountry(), .distributor)
        var inbound = [supplier]
        if r.chance(0.3) { inbound.append(freshTier2(avoiding: model.parties.country[Int(hub)])) }
        inbound.append(hub)
        let finals = (0..<min(maxFinals, r.int(in: 2...4))).map { _ in freshTier3() }
        let inboundGaps = hopGaps(inbound.count - 2)
        let spokeGaps = finals.map { _ in hopGap() }
        let inboundDays = days(gaps: inboundGaps + [spokeGaps.max()!])
        var q = chipQuantity(120, 2_400)
        var lead: [Int] = []
        for k in 0..<(inbound.count - 1) {
            if k > 0 { q = shrink(q) }
            lead.append(ship(inboundDays[k], inbound[k], inbound[k + 1], item, q, declaring: k == 0 && r.chance(0.3)))
        }
        // The hub passes on 85–100% of what it received, split among the buyers.
        var left = max(finals.count, q * r.int(in: 85...100) / 100)
        let hubDay = inboundDays[inbound.count - 2]
        for (k, buyer) in finals.enumerated() {
            let rest = finals.count - k - 1
            var units = left - rest
            if rest > 0 {
                let even = left / (rest + 1)
                units = min(units, max(1, even + r.int(in: -(even / 5)...(even / 5))))
            }
            left -= units
            let spoke = ship(hubDay + Int32(spokeGaps[k]), hub, buyer, item, units)
            schemes.append(PlannedScheme(shape: .hubAndSpoke, shipments: lead + [spoke], finalParty: buyer, reason: .country))
        }
    }

    /// Four to six hops through Tier-2 intermediaries to a Tier-3 buyer, located in Tier 3 or headquartered
    /// there.
    mutating func longChain() {
        let hops = r.int(in: 4...6)
        let byCountry = r.chance(0.6)
        let item: Int
        if r.chance(0.2) {
            // A server built abroad is subject to the EAR through its U.S. chips only where de minimis counts
            // them (Tier-3 countries), not for a buyer that is Tier 3 by headquarters alone; one built from
            // foreign chips is not subject at all.
            let servers = ItemCatalogue.controlled.filter { server in
                let info = ItemCatalogue.items[server]
                guard info.kind == .server else { return false }
                if !byCountry { return info.origin == "US" }
                return ItemCatalogue.components.contains { row in
                    let part = ItemCatalogue.items[ItemCatalogue.index(row.1)]
                    return row.0 == info.id && part.kind == .chip && part.origin == "US"
                }
            }
            item = r.element(servers)
        } else {
            item = byCountry ? chip() : usChip()
        }
        let supplier = supplier(of: item)
        let middle = tier2Chain(hops - 1, reuse: 0.3)
        let final: Int32
        let reason: Tier3Cause
        if byCountry {
            final = freshTier3()
            reason = .country
        } else {
            // Located in a Tier-2 hub, headquartered in China or Hong Kong.
            let hq = r.chance(0.8) ? Countries.cn : Countries.hk
            final = fresh(hubCountry(avoiding: model.parties.country[Int(middle.last!)]), r.element([.reseller, .cloud, .distributor]),
                          headquarters: hq)
            reason = .headquarters
        }
        let route = [supplier] + middle + [final]
        let ids = chain(route, days(gaps: hopGaps(hops - 1)), item,
                        ItemCatalogue.items[item].kind == .server ? r.logUniform(8, 120) : chipQuantity())
        schemes.append(PlannedScheme(shape: .longChain, shipments: ids, finalParty: final, reason: reason))
    }

    /// Chips go to a Malaysian assembler, which ships servers holding those chips on to a Tier-3 buyer,
    /// sometimes through a Tier-2 reseller.
    mutating func serverConversion() {
        let candidates = ItemCatalogue.controlled.filter {
            ItemCatalogue.items[$0].kind == .chip && ItemCatalogue.malaysianServer(holding: $0) != nil
        }
        let gpu = r.element(candidates)
        let server = ItemCatalogue.malaysianServer(holding: gpu)!
        let supplier = supplier(of: gpu)
        let assembler: Int32
        if r.chance(0.25), let maker = ItemCatalogue.items[server].maker {
            assembler = maker.party  // the background server maker itself
        } else {
            assembler = fresh(Countries.my, .assembler)
        }
        var route = [supplier, assembler]
        if r.chance(0.5) { route.append(fresh(hubCountry(avoiding: Countries.my), .reseller)) }
        let buyer = freshTier3()
        route.append(buyer)
        let dates = routeDays(route.count)
        let ids = chipsIntoServers(route, dates, gpu, server)
        schemes.append(PlannedScheme(shape: .serverConversion, shipments: ids, finalParty: buyer, reason: .country))
    }

    /// Ships chips from `route[0]` to the assembler `route[1]` (eight per server), then servers holding them
    /// along the rest of the route, a few kept back at the assembler and fewer or as many at each later hop.
    mutating func chipsIntoServers(_ route: [Int32], _ dates: [Int32], _ gpu: Int, _ server: Int) -> [Int] {
        let servers = r.logUniform(10, 150)
        var ids = [ship(dates[0], route[0], route[1], gpu, servers * 8, declaring: r.chance(0.5))]
        var q = servers - r.int(in: 0...servers / 10)
        for k in 1..<(route.count - 1) {
            if k > 1 { q = shrink(q) }
            ids.append(ship(dates[k], route[k], route[k + 1], server, q))
        }
        return ids
    }

    /// The buyer sits in Singapore or Malaysia with no headquarters given, but Chinese parents own 60% of it
    /// (one 60% holding, or two of 30%).
    mutating func ownershipDisguised() {
        let item = usChip()
        let supplier = supplier(of: item)
        let middle = tier2Chain(r.int(in: 1...2), reuse: 0.25)
        let buyerCountry = r.chance(0.6) ? Countries.sg : Countries.my
        let buyer = fresh(buyerCountry, r.element([.cloud, .reseller, .endUser]))
        let since = Day(year: 2019, month: 1, day: 1)!.rawValue + Int32(r.below(4 * 365))
        func parent(_ planner: inout InjectionPlanner) -> Int32 {
            planner.fresh(planner.r.chance(0.75) ? Countries.cn : Countries.hk, .other)
        }
        // NB: with one 60% parent in China or Hong Kong the buyer has an ultimate parent there and the
        // headquarters rule requires a license; with two 30% parents it is Tier 3 by aggregate ownership only,
        // and the U.S. chips reach it subject to the EAR with no license required under the modelled rules.
        let majority = r.chance(0.5)
        if majority {
            let p = parent(&self)
            model.holdings.append(Holding(owner: p, owned: buyer, percent: 60, since: since, until: nil))
            if r.chance(0.5) {
                // The other 40% with a local, clean investor.
                let local = fresh(buyerCountry, .other)
                model.holdings.append(Holding(owner: local, owned: buyer, percent: 40, since: since, until: nil))
            }
        } else {
            let a = parent(&self), b = parent(&self)
            model.holdings.append(Holding(owner: a, owned: buyer, percent: 30, since: since, until: nil))
            model.holdings.append(Holding(owner: b, owned: buyer, percent: 30, since: since, until: nil))
        }
        model.parties.flags[Int(buyer)].insert([.owned, .tainted])
        let route = [supplier] + middle + [buyer]
        let ids = chain(route, routeDays(route.count), item, chipQuantity())
        schemes.append(PlannedScheme(shape: .ownershipDisguised, shipments: ids, finalParty: buyer, reason: .ownership,
                                     finding: majority ? nil : .subject))
    }

    /// The buyer is in a Tier-2 country and on the Entity List; sometimes the chain first passes a Tier-1
    /// distributor.
    mutating func listedConsignee() {
        let item = usChip()
        let supplier = supplier(of: item)
        var route = [supplier]
        if r.chance(0.4) {
            let tier1 = Countries.indices(["DE", "JP", "KR", "GB", "NL", "CA", "FR"])
            route.append(fresh(r.element(tier1), .distributor))
        }
        route += tier2Chain(r.int(in: 1...2), reuse: 0.25)
        let buyerCountries = Countries.indices(["AE", "TR", "KZ", "AM", "UZ", "SG", "MY", "IN", "TH", "GE"])
        let buyer = fresh(r.element(buyerCountries), r.element([.endUser, .reseller, .distributor, .cloud]))
        route.append(buyer)
        let dates = routeDays(route.count)
        let since = listingDay(before: dates[0])
        let f = r.unit()
        putOnEntityList(buyer, footnote: f < 0.6 ? 4 : f < 0.75 ? 1 : nil, since: since)
        let ids = chain(route, dates, item, chipQuantity())
        schemes.append(PlannedScheme(shape: .listedConsignee, shipments: ids, finalParty: buyer, reason: .entityList))
    }

    /// A US supplier ships chips straight to a Chinese buyer with no licence.
    mutating func direct() {
        let item = usChip()
        let maker = ItemCatalogue.items[item].maker!
        let supplier = r.chance(0.5) ? maker.party : fresh(Countries.us, .distributor)
        let buyer = fresh(Countries.cn, r.element([.endUser, .reseller, .cloud]))
        let id = ship(startDay(length: 0), supplier, buyer, item, chipQuantity(8, 400))
        schemes.append(PlannedScheme(shape: .direct, shipments: [id], finalParty: buyer, reason: .country))
    }

    /// Taiwan-made FS-AX9 dies (direct products of U.S. 3E001 technology) go to a fresh assembler in
    /// Thailand, whose servers go on, sometimes through a Tier-2 reseller, to a buyer that is Tier 3 by
    /// country, by a Chinese or Hong Kong headquarters, or by an Entity-List listing with footnote 4.
    ///
    /// Nothing on the path is U.S.-origin, and the Thai server holds no U.S. content, so whether a hop is
    /// subject to the EAR rests on the foreign-direct-product rules (15 CFR 734.9(h), (e)(2), (f)), which
    /// reach the dies when they are to be incorporated into an item for such a buyer; hence dates on or after
    /// 17 November 2023. With the server's own provenance recorded (ts-ax9-8d, a direct product of U.S.
    /// 4E001 technology) the server is subject itself and the last hop carries the violation; without it
    /// (ts-ax9-8, maker unknown) the dies' hop into Thailand does.
    mutating func foreignServer() {
        let gpu = ItemCatalogue.index("fs-ax9")
        let hasProvenance = r.chance(0.3)
        let server = ItemCatalogue.index(hasProvenance ? "ts-ax9-8d" : "ts-ax9-8")
        let supplier = supplier(of: gpu)
        let assembler = fresh(Countries.th, .assembler)
        var route = [supplier, assembler]
        var previous = Countries.th
        if r.chance(0.5) {
            let reseller = fresh(hubCountry(avoiding: Countries.th), .reseller)
            route.append(reseller)
            previous = model.parties.country[Int(reseller)]
        }
        let buyer: Int32
        let reason: Tier3Cause
        let u = r.unit()
        if u < 0.5 {
            buyer = freshTier3()
            reason = .country
        } else if u < 0.75 {
            // Located in a Tier-2 hub (not Thailand), headquartered in China or Hong Kong.
            let hq = r.chance(0.8) ? Countries.cn : Countries.hk
            buyer = fresh(hubCountry(avoiding: Countries.th, and: previous), r.element([.reseller, .cloud, .distributor]),
                          headquarters: hq)
            reason = .headquarters
        } else {
            buyer = fresh(hubCountry(avoiding: Countries.th, and: previous), r.element([.endUser, .reseller, .distributor, .cloud]))
            reason = .entityList
        }
        route.append(buyer)
        let dates = routeDays(route.count, notBefore: InjectionPlanner.advancedComputingRulesDay)
        if reason == .entityList { putOnEntityList(buyer, footnote: 4, since: listingDay(before: dates[0])) }
        let ids = chipsIntoServers(route, dates, gpu, server)
        let finding: SchemeFinding = .violation(hop: hasProvenance ? ids.count - 1 : 0)
        schemes.append(PlannedScheme(shape: .foreignServer, shipments: ids, finalParty: buyer, reason: reason, finding: finding))
    }

    /// A reseller headquartered in the United States, located there or in Mexico, sends Vietnam-built
    /// FS-AX9 servers (maker unknown, no provenance recorded) through two to four Tier-2 intermediaries to
    /// an Entity-List party (no footnote) in Armenia, Kazakhstan, Uzbekistan or Georgia, or to a party in a
    /// Tier-3 country; dated on or after 17 November 2023.
    ///
    /// From the United States the first hop is an export of an item in the United States, subject to the
    /// EAR whatever its origin (15 CFR 734.3(a)(1)): a violation on hop 0. From Mexico no hop is
    /// established as subject to the EAR (the server's provenance is unknown): a lead.
    mutating func resellerServer() {
        let server = ItemCatalogue.index("vn-ax9-8")
        let inMexico = r.chance(0.5)
        let home = inMexico ? Countries.mx : Countries.us
        let reseller = fresh(home, .reseller, headquarters: Countries.us)
        let middle = tier2Chain(r.int(in: 2...4), reuse: 0.3, avoiding: home)
        let lastCountry = middle.last.map { model.parties.country[Int($0)] }
        let buyer: Int32
        let reason: Tier3Cause
        if r.chance(0.5) {
            let countries = Countries.indices(["AM", "KZ", "UZ", "GE"]).filter { $0 != lastCountry }
            buyer = fresh(r.element(countries), r.element([.endUser, .reseller, .distributor, .cloud]))
            reason = .entityList
        } else {
            buyer = freshTier3()
            reason = .country
        }
        let route = [reseller] + middle + [buyer]
        let dates = routeDays(route.count, notBefore: InjectionPlanner.advancedComputingRulesDay)
        if reason == .entityList { putOnEntityList(buyer, footnote: nil, since: listingDay(before: dates[0])) }
        let ids = chain(route, dates, server, r.logUniform(8, 120))
        schemes.append(PlannedScheme(shape: .resellerServer, shipments: ids, finalParty: buyer, reason: reason,
                                     finding: inMexico ? .lead : .violation(hop: 0)))
    }
}
