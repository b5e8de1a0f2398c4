import DiversionGraph

/// Facts about a party that decide where background goods may go.
struct PartyFlags: OptionSet {
    let rawValue: UInt8
    /// A Tier-3 party on some date, or a party we treat as one to be safe (see ``PartyTable/computeTaint(holdings:)``).
    static let tainted = PartyFlags(rawValue: 1 << 0)
    /// Created for a scheme or a decoy: never in background controlled traffic.
    static let fresh = PartyFlags(rawValue: 1 << 1)
    /// A dense-profile hub distributor.
    static let hub = PartyFlags(rawValue: 1 << 2)
    static let anchor = PartyFlags(rawValue: 1 << 3)
    static let owned = PartyFlags(rawValue: 1 << 4)
    static let owner = PartyFlags(rawValue: 1 << 5)
    static let listed = PartyFlags(rawValue: 1 << 6)
}

/// A holding of `percent`% of `owned` by `owner`.
struct Holding {
    var owner: Int32
    var owned: Int32
    var percent: Int
    var since: Int32?
    var until: Int32?
}

/// A screening-list entry.
struct ListingEntry {
    var entity: Int32
    var list: String
    var footnote: Int?
    var since: Int32?
    var until: Int32?
}

/// The parties of a world in parallel arrays, indexed by internal party number (four bytes a party, so
/// five million parties fit in 20 MB).
struct PartyTable {
    static let noHeadquarters: UInt8 = .max
    static let roles = PartyRole.allCases

    var country: [UInt8] = []
    var role: [UInt8] = []
    var headquarters: [UInt8] = []
    var flags: [PartyFlags] = []

    var count: Int { country.count }

    mutating func reserve(_ n: Int) {
        country.reserveCapacity(n); role.reserveCapacity(n); headquarters.reserveCapacity(n); flags.reserveCapacity(n)
    }

    @discardableResult
    mutating func append(country c: UInt8, role r: PartyRole, headquarters hq: UInt8 = noHeadquarters,
                         flags f: PartyFlags = []) -> Int32 {
        country.append(c)
        role.append(UInt8(PartyTable.roles.firstIndex(of: r)!))
        headquarters.append(hq)
        flags.append(f)
        return Int32(country.count - 1)
    }

    func roleOf(_ p: Int32) -> PartyRole { PartyTable.roles[Int(role[Int(p)])] }
    func tier(_ p: Int32) -> CountryTier { Countries.tiers[Int(country[Int(p)])] }
    /// The tier of the headquarters country, which is the location when no headquarters is given.
    func headquartersTier(_ p: Int32) -> CountryTier {
        let hq = headquarters[Int(p)]
        return Countries.tiers[Int(hq == PartyTable.noHeadquarters ? country[Int(p)] : hq)]
    }
    func has(_ p: Int32, _ f: PartyFlags) -> Bool { flags[Int(p)].contains(f) }

    /// Marks every party that is, or might on some date be, a Tier-3 party.
    ///
    /// A party is Tier 3 when it is located or headquartered in a Tier-3 country, listed, or owned 50% or more
    /// in aggregate (directly and through intermediate holdings) by parties headquartered in Tier-3 countries
    /// or by listed parties. We are deliberately cautious: every list counts (not only the Entity List),
    /// holdings count whatever their dates, and 45% counts as 50%, so that rounding or dates can never turn
    /// a party we send controlled goods to into a Tier-3 party.
    ///
    /// - Complexity: O(parties + holdings × depth).
    mutating func computeTaint(holdings: [Holding]) {
        for p in 0..<count {
            let id = Int32(p)
            if tier(id) == .three || headquartersTier(id) == .three || flags[p].contains(.listed) {
                flags[p].insert(.tainted)
            }
        }
        var owners: [Int32: [(Int32, Double)]] = [:]
        for h in holdings { owners[h.owned, default: []].append((h.owner, Double(h.percent) / 100)) }
        func share(_ e: Int32, _ depth: Int, _ path: [Int32], _ qualifies: (Int32) -> Bool) -> Double {
            guard depth < 8, let list = owners[e] else { return 0 }
            var total = 0.0
            for (o, s) in list where !path.contains(o) {
                total += qualifies(o) ? s : s * share(o, depth + 1, path + [o], qualifies)
            }
            return min(total, 1)
        }
        let before = self  // headquarters and listings do not change below
        let tier3Headquarters: (Int32) -> Bool = { before.headquartersTier($0) == .three }
        let listed: (Int32) -> Bool = { before.flags[Int($0)].contains(.listed) }
        for h in holdings {
            let e = h.owned
            if flags[Int(e)].contains(.tainted) { continue }
            if share(e, 0, [e], tier3Headquarters) >= 0.45 || share(e, 0, [e], listed) >= 0.45 {
                flags[Int(e)].insert(.tainted)
            }
        }
    }
}
