import DiversionGraph

extension WorldModel {
    /// Roles of background parties, in `PartyRole.allCases` order.
    private static let roleChoice = WeightedChoice([1.5, 0.7, 5, 22, 8, 14, 5, 22, 0.8, 20])

    /// Creates the anchors, the dense-profile hubs and the other background parties, then their listings and
    /// holdings, and marks the Tier-3 parties.
    func populateBackground(_ r: inout SeededRandom) {
        parties.reserve(backgroundCount + 8 * (schemeCount + decoyCount))
        for a in Anchor.allCases {
            parties.append(country: Countries.index(a.country), role: a.role, flags: .anchor)
        }
        for _ in hubRange {
            parties.append(country: Countries.hubs[Countries.hubChoice.pick(&r)], role: .distributor, flags: .hub)
        }
        while parties.count < backgroundCount {
            let c = UInt8(Countries.locationChoice.pick(&r))
            let role = PartyTable.roles[WorldModel.roleChoice.pick(&r)]
            var hq = PartyTable.noHeadquarters
            let u = r.unit()
            if Countries.tiers[Int(c)] == .three {
                if u < 0.03 { hq = r.element(Countries.parentCodes) }
            } else if u < 0.04 {
                hq = r.element(Countries.parentCodes)
            } else if u < 0.055 {
                hq = r.element(Countries.tier3ParentCodes)  // a Chinese firm's foreign office: Tier 3 by headquarters
            }
            if hq == c { hq = PartyTable.noHeadquarters }
            parties.append(country: c, role: role, headquarters: hq)
        }
        addBackgroundListings(&r)
        addBackgroundHoldings(&r)
        parties.computeTaint(holdings: holdings)
    }

    /// A random ordinary background party (not an anchor, not a hub) satisfying `accept`, or nil after many tries.
    func randomOrdinaryParty(_ r: inout SeededRandom, _ accept: (Int32) -> Bool) -> Int32? {
        let low = Int(hubRange.upperBound)
        guard backgroundCount > low else { return nil }
        for _ in 0..<400 {
            let p = Int32(low + r.below(backgroundCount - low))
            if accept(p) { return p }
        }
        return nil
    }

    private func randomListingDay(_ r: inout SeededRandom) -> Int32 {
        // Entity List additions from the Huawei rule (2019-05-16) to late 2025.
        let from = Day(year: 2019, month: 5, day: 16)!.rawValue, to = Day(year: 2025, month: 10, day: 31)!.rawValue
        return from + Int32(r.below(Int(to - from) + 1))
    }

    private func addBackgroundListings(_ r: inout SeededRandom) {
        let count = max(4, backgroundCount / 300)
        for _ in 0..<count {
            let wantTier3 = r.chance(0.8)
            guard let p = randomOrdinaryParty(&r, { p in
                !self.parties.has(p, .listed) && (self.parties.tier(p) == .three) == wantTier3
            }) else { continue }
            parties.flags[Int(p)].insert(.listed)
            let since = randomListingDay(&r)
            var until: Int32?
            if r.chance(0.03) { until = min(since + Int32(r.int(in: 200...800)), WorldCalendar.last) }
            let code = Countries.table[Int(parties.country[Int(p)])].code
            let u = r.unit()
            if wantTier3, u < 0.15, ["CN", "RU", "BY"].contains(code) {
                listings.append(ListingEntry(entity: p, list: "meu", footnote: nil, since: since, until: until))
            } else if wantTier3, u < 0.3, ["RU", "IR", "BY", "VE", "KP", "SY", "CU"].contains(code) {
                listings.append(ListingEntry(entity: p, list: "sdn", footnote: nil, since: since, until: until))
            } else {
                let f = r.unit()
                let footnote: Int? = f < 0.4 ? 4 : f < 0.6 ? 1 : nil
                listings.append(ListingEntry(entity: p, list: "entity-list", footnote: footnote, since: since, until: until))
            }
        }
    }

    private func randomHoldingDay(_ r: inout SeededRandom) -> Int32? {
        guard r.chance(0.55) else { return nil }
        let from = Day(year: 2012, month: 1, day: 1)!.rawValue, to = Day(year: 2024, month: 12, day: 31)!.rawValue
        return from + Int32(r.below(Int(to - from) + 1))
    }

    private enum GroupKind: Int, CaseIterable {
        case subsidiary, jointVenture, tier3Minority, tier3Majority, tier3Layered, twoTier3Parents, listedParent, layered
    }
    private static let groupChoice = WeightedChoice([30, 15, 15, 12, 10, 8, 5, 5])

    /// Ownership groups: subsidiaries, joint ventures, Chinese minority and majority stakes, stakes held through
    /// an intermediate holding company, and stakes of listed parents.
    ///
    /// Holdings form a forest of depth at most two (parent → holding → operating company), so there are no
    /// cycles: an owned party never owns, except the intermediate holding of a layered group.
    private func addBackgroundHoldings(_ r: inout SeededRandom) {
        let groups = max(3, backgroundCount / 40)
        func owned(_ r: inout SeededRandom) -> Int32? {
            let clean = r.chance(0.85)
            return randomOrdinaryParty(&r) { p in
                let f = self.parties.flags[Int(p)]
                return !f.contains(.owned) && !f.contains(.owner) && (!clean || self.parties.tier(p) != .three)
            }
        }
        func parent(_ r: inout SeededRandom, _ accept: @escaping (Int32) -> Bool) -> Int32? {
            randomOrdinaryParty(&r) { p in !self.parties.has(p, .owned) && accept(p) }
        }
        let isTier3HQ: (Int32) -> Bool = { self.parties.headquartersTier($0) == .three && !self.parties.has($0, .listed) }
        let isCleanParent: (Int32) -> Bool = {
            self.parties.headquartersTier($0) != .three && !self.parties.has($0, .listed)
        }
        let isTier1Parent: (Int32) -> Bool = { isCleanParent($0) && self.parties.tier($0) == .one }
        let isListed: (Int32) -> Bool = { self.parties.has($0, .listed) }

        func hold(_ owner: Int32, _ target: Int32, _ percent: Int, _ r: inout SeededRandom) {
            parties.flags[Int(owner)].insert(.owner)
            parties.flags[Int(target)].insert(.owned)
            let since = randomHoldingDay(&r)
            var until: Int32?
            if let s = since, r.chance(0.04) { until = s + Int32(r.int(in: 365...2_000)) }
            holdings.append(Holding(owner: owner, owned: target, percent: percent, since: since, until: until))
        }

        for _ in 0..<groups {
            let kind = GroupKind(rawValue: WorldModel.groupChoice.pick(&r))!
            guard let target = owned(&r) else { continue }
            // Reserve the target before choosing parents so it cannot be its own parent.
            parties.flags[Int(target)].insert(.owned)
            switch kind {
            case .subsidiary:
                guard let p = parent(&r, isTier1Parent) else { break }
                hold(p, target, r.chance(0.6) ? 100 : r.int(in: 51...99), &r)
            case .jointVenture:
                guard let a = parent(&r, isCleanParent), let b = parent(&r, { isCleanParent($0) && $0 != a }) else { break }
                let s = r.chance(0.5) ? 50 : r.int(in: 55...70)
                hold(a, target, s, &r)
                hold(b, target, 100 - s, &r)
            case .tier3Minority:
                guard let p = parent(&r, isTier3HQ) else { break }
                hold(p, target, r.int(in: 10...40), &r)
            case .tier3Majority:
                guard let p = parent(&r, isTier3HQ) else { break }
                hold(p, target, r.int(in: 50...100), &r)
            case .twoTier3Parents:
                guard let a = parent(&r, isTier3HQ), let b = parent(&r, { isTier3HQ($0) && $0 != a }) else { break }
                hold(a, target, r.int(in: 20...35), &r)
                hold(b, target, r.int(in: 20...35), &r)
            case .listedParent:
                guard let p = parent(&r, isListed) else { break }
                hold(p, target, r.int(in: 40...100), &r)
            case .tier3Layered, .layered:
                // parent → holding company (Tier 2, e.g. a Singapore or UAE holding) → target
                guard let top = parent(&r, kind == .layered ? isTier1Parent : isTier3HQ),
                      let middle = randomOrdinaryParty(&r, { p in
                          let f = self.parties.flags[Int(p)]
                          return p != top && !f.contains(.owned) && !f.contains(.owner) && !f.contains(.listed)
                              && self.parties.tier(p) == .two && self.parties.headquarters[Int(p)] == PartyTable.noHeadquarters
                      }) else { break }
                hold(top, middle, r.int(in: 55...100), &r)
                hold(middle, target, r.int(in: 50...100), &r)
            }
        }
    }

    /// Fills the background pools from the marked parties.
    func buildPools(_ r: inout SeededRandom) {
        let shipperRoles: Set<PartyRole> = [.distributor, .reseller, .forwarder, .assembler]
        let consigneeRoles: Set<PartyRole> = [.distributor, .reseller, .forwarder, .assembler, .cloud, .endUser, .other]
        for p in 0..<Int32(backgroundCount) {
            let f = parties.flags[Int(p)]
            guard !f.contains(.tainted), !f.contains(.fresh), parties.tier(p) != .three else { continue }
            let role = parties.roleOf(p)
            if shipperRoles.contains(role) {
                controlledShippers.append(p)
                if parties.tier(p) == .one { tier1Shippers.append(p) }
            }
            if consigneeRoles.contains(role) { controlledConsignees.append(p) }
            if role == .fab { fabs.append(p) }
        }
        r.shuffle(&controlledShippers)
        r.shuffle(&controlledConsignees)
        r.shuffle(&tier1Shippers)
        r.shuffle(&fabs)
        precondition(!controlledShippers.isEmpty && controlledConsignees.count > 1 && !tier1Shippers.isEmpty,
                     "the anchors alone keep every pool non-empty")
    }
}
