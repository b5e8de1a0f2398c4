import DiversionGraph

extension InjectionPlanner {
    /// A scheme-like chain of chips through one or two Tier-2 intermediaries: supplier first.
    private mutating func decoyRoute(_ item: Int) -> [Int32] {
        [supplier(of: item)] + tier2Chain(r.int(in: 1...2), reuse: 0)
    }

    /// A Tier-3 buyer that is Tier 3 by location only: not listed, not owned, not in an embargoed country.
    private mutating func plainTier3Buyer() -> Int32 {
        fresh(r.chance(0.7) ? Countries.cn : Countries.hk, r.element([.reseller, .endUser, .distributor]))
    }

    /// Everything like a scheme, but the chain ends at a clean Tier-2 party that ships nothing on.
    mutating func tier2FinalDecoy() {
        let item = chip()
        var route = decoyRoute(item)
        route.append(fresh(hubCountry(avoiding: model.parties.country[Int(route.last!)]), r.element([.cloud, .endUser])))
        let ids = chain(route, routeDays(route.count), item, chipQuantity())
        decoys.append(PlannedDecoy(breaks: .tier2Final, shipments: ids))
    }

    /// The last hop into Tier 3 comes more than 200 days after the hop before; it is licensed, so it is no
    /// single-hop violation either.
    mutating func gapDecoy() {
        let item = chip()
        var route = decoyRoute(item)
        route.append(plainTier3Buyer())
        let gaps = hopGaps(route.count - 3) + [r.int(in: InjectionPlanner.minDecoyGap...330)]
        let ids = chain(route, days(gaps: gaps), item, chipQuantity(), finalLicense: licenceNumber())
        decoys.append(PlannedDecoy(breaks: .gapOverWindow, shipments: ids))
    }

    /// The last hop into Tier 3 is dated before the hop that brought the goods; licensed.
    mutating func backInTimeDecoy() {
        let item = chip()
        var route = decoyRoute(item)
        route.append(plainTier3Buyer())
        let back = r.int(in: 1...60)
        let gaps = hopGaps(route.count - 3)
        var dates = Array(days(gaps: gaps + [back]).dropLast())  // room for `back` days before the first hop
        for k in dates.indices { dates[k] += Int32(back) }
        dates.append(dates.last! - Int32(back))
        precondition(dates.last! >= WorldCalendar.first && dates.max()! <= WorldCalendar.last)
        let ids = chain(route, dates, item, chipQuantity(), finalLicense: licenceNumber())
        decoys.append(PlannedDecoy(breaks: .backInTime, shipments: ids))
    }

    /// EAR99 goods along a valid chain to an unlisted Tier-3 buyer.
    mutating func uncontrolledDecoy() {
        let item = r.element(ItemCatalogue.ear99)
        var route = [fresh(Countries.suppliers[Countries.supplierChoice.pick(&r)], .distributor)] + tier2Chain(r.int(in: 1...2), reuse: 0)
        route.append(plainTier3Buyer())
        let most = min(5_000, max(40, 3_000_000 / ItemCatalogue.items[item].unitValue))
        let ids = chain(route, routeDays(route.count), item, r.logUniform(20, most))
        decoys.append(PlannedDecoy(breaks: .uncontrolledItem, shipments: ids))
    }

    /// The intermediary receives N units, ships all N to a clean Tier-1 buyer, and only later (within the
    /// window) ships M units of the same item to Tier 3 under a licence: nothing received can be traced there.
    mutating func noTracedQuantityDecoy() {
        let item = chip()
        let supplier = supplier(of: item)
        let middle = freshTier2()
        let tier1 = Countries.indices(["US", "JP", "DE", "GB", "FR", "KR", "AU", "CA"])
        let keeper = fresh(r.element(tier1), r.element([.cloud, .endUser]))
        let buyer = plainTier3Buyer()
        let n = chipQuantity()
        let toKeeper = r.int(in: 1...40)
        let toBuyer = r.int(in: (toKeeper + 1)...InjectionPlanner.maxSchemeGap)
        let d = days(gaps: [toKeeper, toBuyer - toKeeper])
        let ids = [
            ship(d[0], supplier, middle, item, n, declaring: r.chance(0.3)),
            ship(d[1], middle, keeper, item, n),
            ship(d[2], middle, buyer, item, r.int(in: max(1, n / 4)...n), license: licenceNumber()),
        ]
        decoys.append(PlannedDecoy(breaks: .noTracedQuantity, shipments: ids))
    }
}
