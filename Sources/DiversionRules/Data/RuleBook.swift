import DiversionGraph
import Foundation

/// Problems in rule data, located by file and entry.
public struct RuleDataError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.map { "error: \($0)" }.joined(separator: "\n") }
}

/// Membership of one country in a country group over time.
public struct GroupMembership: Sendable, Hashable {
    public var window: DayWindow
    public var include: Bool
    public var assumption: String?

    public init(window: DayWindow, include: Bool, assumption: String?) {
        self.window = window; self.include = include; self.assumption = assumption
    }
}

/// A country group of Supp. No. 1 to Part 740 with dated membership.
public struct CountryGroup: Sendable, Hashable {
    public var id: String
    public var name: String
    public var source: String
    public var members: Set<CountryCode>
    public var dated: [CountryCode: [GroupMembership]]
}

/// A tier scheme: named, dated country sets for diversion analysis.
public struct TierScheme: Sendable, Hashable {
    public var id: String
    public var name: String
    public var source: String
    public var tier1: Set<CountryCode>
    public var tier3: CountrySetSpec
    public var hubs: Set<CountryCode>
}

public enum Tier: Int, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case tier1 = 1, tier2 = 2, tier3 = 3
    public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "Tier \(rawValue)" }
}

/// All regulation data the engine reasons with: country groups, tiers, the ECCN catalogue and the dated
/// rule versions. Loaded once from the package's resource files (or a folder given by the user) and
/// validated; scenario files change a copy of it.
public struct RuleBook: Sendable {
    public var groups: [String: CountryGroup]
    public var treatAs: [CountryCode: CountryCode]
    public var tierSchemes: [String: TierScheme]
    public var tierSchemeID: String
    public var catalogue: [ECCNEntry]
    public var sets: [String: CountrySetSpec]
    public var technologySets: [String: [String]]
    public var itemSets: [String: [String]]
    public var assumptions: [String: Assumption]
    /// Sorted by effective date.
    public var versions: [RuleVersion]

    /// The rule data shipped with the tool.
    public static func bundled() throws -> RuleBook {
        guard let url = Bundle.module.url(forResource: "rules", withExtension: nil) else {
            throw RuleDataError(problems: ["the bundled rule data is missing from the installation"])
        }
        return try load(folder: url.path)
    }

    /// Loads the four rule files from `folder` (`country-groups.json`, `tiers.json`, `eccns.json`,
    /// `rule-versions.json`).
    public static func load(folder: String) throws -> RuleBook {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        func read<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
            let path = "\(folder)/\(name)"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RuleDataError(problems: ["\(path): cannot be read"])
            }
            do { return try decoder.decode(T.self, from: data) } catch let e as DecodingError {
                throw RuleDataError(problems: ["\(path): \(describe(e))"])
            }
        }
        let groupsFile = try read("country-groups.json", CountryGroupsFile.self)
        let tiersFile = try read("tiers.json", TiersFile.self)
        let eccnFile = try read("eccns.json", ECCNFile.self)
        let versionsFile = try read("rule-versions.json", RuleVersionsFile.self)
        return try RuleBook(groupsFile, tiersFile, eccnFile, versionsFile, folder: folder)
    }

    init(_ g: CountryGroupsFile, _ t: TiersFile, _ e: ECCNFile, _ v: RuleVersionsFile, folder: String) throws {
        var problems: [String] = []
        func code(_ s: String, _ place: String) -> CountryCode? {
            if let c = CountryCode(s) { return c }
            problems.append("\(place): unknown country code \"\(s)\"")
            return nil
        }
        func day(_ s: String?, _ place: String) -> Day? {
            guard let s else { return nil }
            if let d = Day(s) { return d }
            problems.append("\(place): not a date: \"\(s)\"")
            return nil
        }
        var assumptions: [String: Assumption] = [:]
        for a in v.assumptions { assumptions[a.id] = a }
        treatAs = [:]
        for entry in g.treatAs {
            if let a = code(entry.country, "country-groups.json treatAs"), let b = code(entry.as, "country-groups.json treatAs") {
                treatAs[a] = b
            }
        }
        groups = [:]
        for group in g.groups {
            let place = "country-groups.json group \(group.id)"
            var dated: [CountryCode: [GroupMembership]] = [:]
            for d in group.dated ?? [] {
                guard let c = code(d.country, place) else { continue }
                if let a = d.assumption { assumptions[a.id] = a }
                dated[c, default: []].append(GroupMembership(
                    window: DayWindow(since: day(d.since, place), until: day(d.until, place)),
                    include: d.include ?? true, assumption: d.assumption?.id))
            }
            let members = Set(group.members.compactMap { code($0, place) })
            for c in members where dated[c] != nil { problems.append("\(place): \(c) is both an undated and a dated member") }
            groups[group.id] = CountryGroup(id: group.id, name: group.name, source: group.source, members: members, dated: dated)
        }
        tierSchemes = [:]
        for s in t.schemes {
            let place = "tiers.json scheme \(s.id)"
            tierSchemes[s.id] = TierScheme(id: s.id, name: s.name, source: s.source,
                                           tier1: Set(s.tier1.compactMap { code($0, place) }), tier3: s.tier3,
                                           hubs: Set((s.hubs ?? []).compactMap { code($0, place) }))
        }
        tierSchemeID = t.default
        if tierSchemes[t.default] == nil { problems.append("tiers.json: default scheme \"\(t.default)\" is not defined") }
        catalogue = e.entries
        for entry in e.entries where !ECCNSyntax.isValid(entry.eccn) {
            problems.append("eccns.json: \"\(entry.eccn)\" is not an ECCN")
        }
        sets = v.sets
        technologySets = v.technologySets
        itemSets = v.itemSets
        self.assumptions = assumptions
        versions = []

        // Resolve versions: each starts from its base.
        var resolved: [String: RuleVersion] = [:]
        for spec in v.versions {
            let place = "rule-versions.json version \(spec.id)"
            let base = spec.base.flatMap { resolved[$0] }
            if let b = spec.base, base == nil { problems.append("\(place): base \"\(b)\" must be defined before it") }
            guard let effective = day(spec.effective, place) else { continue }
            guard let deMinimis = spec.deMinimis ?? base?.deMinimis else {
                problems.append("\(place): de_minimis is required (or a base that has it)")
                continue
            }
            let version = RuleVersion(
                id: spec.id, title: spec.title, effective: effective, until: nil, sources: spec.sources,
                chipTest: spec.chipTest ?? base?.chipTest, licenses: spec.licenses ?? base?.licenses ?? [],
                partyLists: spec.partyLists ?? base?.partyLists ?? [],
                headquartersRule: spec.headquartersRule ?? base?.headquartersRule, deMinimis: deMinimis,
                fdp: spec.fdp ?? base?.fdp ?? [], assumptionsInForce: spec.assumptionsInForce ?? [])
            resolved[spec.id] = version
            versions.append(version)
        }
        versions.sort { $0.effective < $1.effective }
        for i in versions.indices.dropLast() { versions[i].until = versions[i + 1].effective.advanced(by: -1) }
        problems += validateReferences()
        if !problems.isEmpty { throw RuleDataError(problems: problems) }
    }

    /// Checks that every named set, group and assumption that versions use exists.
    func validateReferences() -> [String] {
        var problems: [String] = []
        func set(_ name: String?, _ place: String) {
            guard let name else { return }
            guard let spec = sets[name] else { problems.append("\(place): no country set \"\(name)\""); return }
            for g in (spec.groups ?? []) + (spec.exceptGroups ?? []) where groups[g] == nil {
                problems.append("\(place): set \"\(name)\" names unknown group \"\(g)\"")
            }
        }
        func assumption(_ id: String?, _ place: String) {
            if let id, assumptions[id] == nil { problems.append("\(place): no assumption \"\(id)\"") }
        }
        for v in versions {
            let place = "rule-versions.json version \(v.id)"
            for l in v.licenses { set(l.to, place); assumption(l.assumption, place); set(l.exception?.to, place) }
            if let h = v.headquartersRule { set(h.parentIn, place); assumption(h.assumption, place) }
            set(v.deMinimis.reducedFor, place)
            for c in v.deMinimis.none {
                if itemSets[c.itemSet] == nil { problems.append("\(place): no item set \"\(c.itemSet)\"") }
                if let s = c.contentSet, itemSets[s] == nil { problems.append("\(place): no item set \"\(s)\"") }
                for p in c.scope { set(p.destinations, place); set(p.headquartersIn, place) }
                assumption(c.assumption, place)
            }
            for r in v.fdp {
                if technologySets[r.technology] == nil { problems.append("\(place): no technology set \"\(r.technology)\"") }
                if let s = r.products.itemSet, itemSets[s] == nil { problems.append("\(place): no item set \"\(s)\"") }
                for p in r.scope { set(p.destinations, place); set(p.headquartersIn, place); assumption(p.assumption, place) }
            }
            for a in v.assumptionsInForce { assumption(a, place) }
        }
        return problems
    }

    // MARK: - Queries

    /// The rule version in force on `day`, and whether the day precedes every version.
    public func version(on day: Day) -> (version: RuleVersion, isBeforeFirst: Bool) {
        var chosen = versions[0]
        for v in versions where v.effective <= day { chosen = v }
        return (chosen, day < versions[0].effective)
    }

    public func version(id: String) -> RuleVersion? { versions.first { $0.id == id } }

    /// The country the rules see: Hong Kong is China.
    public func ruleCountry(_ c: CountryCode) -> CountryCode { treatAs[c] ?? c }

    /// Whether `country` is in `group` on `day`; an uncertain entry adds its assumption id to `used`.
    public func isMember(_ country: CountryCode, of group: String, on day: Day, used: inout Set<String>) -> Bool {
        guard let g = groups[group] else { return false }
        let c = ruleCountry(country)
        if g.members.contains(c) { return true }
        guard let windows = g.dated[c] else { return false }
        for w in windows {
            if let a = w.assumption { used.insert(a) }
            if w.include && w.window.contains(day) { return true }
        }
        return false
    }

    /// Whether `country` is in the named country set on `day`.
    public func contains(set name: String, _ country: CountryCode, on day: Day, used: inout Set<String>) -> Bool {
        guard let spec = sets[name] else { return false }
        return contains(spec, country, on: day, used: &used)
    }

    public func contains(_ spec: CountrySetSpec, _ country: CountryCode, on day: Day, used: inout Set<String>) -> Bool {
        let c = ruleCountry(country)
        var inside = spec.worldwide == true
        if let tier = spec.tier {
            inside = inside || (tier == "tier1" && self.tier(of: country, on: day, used: &used) == .tier1)
                || (tier == "tier3" && self.tier(of: country, on: day, used: &used) == .tier3)
        }
        if !inside, let list = spec.countries, list.contains(c.code) { inside = true }
        if !inside, let gs = spec.groups { inside = gs.contains { isMember(c, of: $0, on: day, used: &used) } }
        guard inside else { return false }
        if let list = spec.exceptCountries, list.contains(c.code) { return false }
        if let gs = spec.exceptGroups, gs.contains(where: { isMember(c, of: $0, on: day, used: &used) }) { return false }
        return true
    }

    /// A country's tier under the tier scheme in use.
    public func tier(of country: CountryCode, on day: Day, used: inout Set<String>) -> Tier {
        guard let scheme = tierSchemes[tierSchemeID] else { return .tier2 }
        let c = ruleCountry(country)
        if scheme.tier1.contains(c) { return .tier1 }
        var spec = scheme.tier3
        spec.tier = nil
        if contains(spec, c, on: day, used: &used) { return .tier3 }
        return .tier2
    }

    public func tier(of country: CountryCode, on day: Day) -> Tier {
        var used = Set<String>()
        return tier(of: country, on: day, used: &used)
    }

    /// Every country whose tier on `day` is not Tier 2, with its tier as ``tier(of:on:)`` gives it (for
    /// callers that tabulate every country).
    ///
    /// The Tier-3 definition is read once for the day: its groups (members, and dated entries in force) and
    /// its country lists become tables by country slot, and only the countries these name, the Tier-1
    /// countries and the treat-as countries are tested, each as ``tier(of:on:)`` tests it (the country as the
    /// rules see it for Tier 1; seen once more for the lists and once more for the groups, as
    /// ``contains(_:_:on:used:)`` and ``isMember(_:of:on:used:)`` do). The tier-table test holds the two
    /// to the same answers.
    public func countriesOutsideTier2(on day: Day) -> [(country: CountryCode, tier: Tier)] {
        guard let scheme = tierSchemes[tierSchemeID] else { return [] }
        let spec = scheme.tier3
        // Tables by country slot: the countries to test, what each is treated as, and the Tier-1 countries.
        var candidate = [CountryCode?](repeating: nil, count: CountryCode.slotCount)
        var treated = [CountryCode?](repeating: nil, count: CountryCode.slotCount)
        var tier1 = [Bool](repeating: false, count: CountryCode.slotCount)
        for (c, other) in treatAs { treated[c.slot] = other; candidate[c.slot] = c }
        for c in scheme.tier1 { tier1[c.slot] = true; candidate[c.slot] = c }
        /// Slots of the countries in any of `names` (groups) on `day`.
        func groupTable(_ names: [String]?) -> [Bool] {
            var table = [Bool](repeating: false, count: CountryCode.slotCount)
            for name in names ?? [] {
                guard let g = groups[name] else { continue }
                for c in g.members { table[c.slot] = true; candidate[c.slot] = c }
                for (c, entries) in g.dated where entries.contains(where: { $0.include && $0.window.contains(day) }) {
                    table[c.slot] = true
                    candidate[c.slot] = c
                }
            }
            return table
        }
        /// Slots of the countries `codes` lists.
        func listTable(_ codes: [String]?) -> [Bool] {
            var table = [Bool](repeating: false, count: CountryCode.slotCount)
            for code in codes ?? [] { if let c = CountryCode(code) { table[c.slot] = true; candidate[c.slot] = c } }
            return table
        }
        let inGroups = groupTable(spec.groups), exceptGroups = groupTable(spec.exceptGroups)
        let listed = listTable(spec.countries), exceptListed = listTable(spec.exceptCountries)
        if spec.worldwide == true { for c in CountryCode.all { candidate[c.slot] = c } }
        func rule(_ c: CountryCode) -> CountryCode { treated[c.slot] ?? c }
        // Slot order is the order of the codes.
        var out: [(country: CountryCode, tier: Tier)] = []
        for case let country? in candidate {
            let c = rule(country)
            if tier1[c.slot] { out.append((country, .tier1)); continue }
            let listedAs = rule(c), groupedAs = rule(listedAs)
            let inside = spec.worldwide == true || listed[listedAs.slot] || inGroups[groupedAs.slot]
            if inside && !exceptListed[listedAs.slot] && !exceptGroups[groupedAs.slot] { out.append((country, .tier3)) }
        }
        return out
    }

    /// The tier of each of `countries` on `day`, as ``tier(of:on:)`` gives it.
    public func tiers(of countries: [CountryCode], on day: Day) -> [Tier] {
        let outside = Dictionary(countriesOutsideTier2(on: day).map { ($0.country, $0.tier) }, uniquingKeysWith: { a, _ in a })
        return countries.map { outside[$0] ?? .tier2 }
    }

    /// Every country that is Tier 3 on some date under the tier scheme (a superset is fine: callers then
    /// test the date).
    public func possibleTier3Countries() -> Set<CountryCode> {
        guard let scheme = tierSchemes[tierSchemeID] else { return [] }
        var out = Set<CountryCode>()
        for g in scheme.tier3.groups ?? [] {
            guard let group = groups[g] else { continue }
            out.formUnion(group.members)
            for (c, ms) in group.dated where ms.contains(where: \.include) { out.insert(c) }
        }
        for c in scheme.tier3.countries ?? [] { if let code = CountryCode(c) { out.insert(code) } }
        for (from, to) in treatAs where out.contains(to) { out.insert(from) }
        if scheme.tier3.worldwide == true { out = Set(CountryCode.all) }
        return out.subtracting(scheme.tier1)
    }

    /// Whether `country` is a listed transshipment hub.
    public func isHub(_ country: CountryCode) -> Bool { tierSchemes[tierSchemeID]?.hubs.contains(country) ?? false }

    /// The catalogue entry that best matches an ECCN (longest prefix at a `.` boundary).
    public func catalogueEntry(for eccn: String) -> ECCNEntry? {
        var best: ECCNEntry?
        for e in catalogue where ECCNPattern.matches(eccn, e.eccn) {
            if best == nil || e.eccn.count > best!.eccn.count { best = e }
        }
        return best
    }

    /// The family that selects license requirements: from the catalogue, else from the ECCN's form.
    public func family(of eccn: String?) -> String {
        guard let eccn else { return "unclassified" }
        if let e = catalogueEntry(for: eccn) { return e.family }
        if eccn == "EAR99" { return "ear99" }
        let u = Array(eccn.utf8)
        if u.count >= 2, u[1] == UInt8(ascii: "D") || u[1] == UInt8(ascii: "E") { return "technology" }
        return "ccl"
    }

    public func itemSetContains(_ name: String, _ eccn: String?) -> Bool {
        guard let eccn, let patterns = itemSets[name] else { return false }
        return patterns.contains { ECCNPattern.matches(eccn, $0) }
    }

    public func technologySetContains(_ name: String, _ eccn: String) -> Bool {
        guard let patterns = technologySets[name] else { return false }
        return patterns.contains { ECCNPattern.matches(eccn, $0) }
    }
}

/// ECCN pattern matching used by the rule data.
public enum ECCNPattern {
    /// `3A090` matches `3A090` and `3A090.a`; `3B` matches every 3B ECCN; `?D` matches any D product group.
    public static func matches(_ eccn: String, _ pattern: String) -> Bool {
        if pattern.hasPrefix("?") {
            let p = pattern.dropFirst()
            let u = Array(eccn.utf8), q = Array(p.utf8)
            return u.count >= 1 + q.count && Array(u[1..<(1 + q.count)]) == q
        }
        if eccn == pattern { return true }
        if pattern.count < 5 { return eccn.hasPrefix(pattern) }
        return eccn.hasPrefix(pattern + ".")
    }
}

func describe(_ e: DecodingError) -> String {
    func path(_ c: [CodingKey]) -> String {
        c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch e {
    case .keyNotFound(let k, let ctx): return "missing key \"\(k.stringValue)\" at \(path(ctx.codingPath))"
    case .typeMismatch(_, let ctx): return "wrong type at \(path(ctx.codingPath)): \(ctx.debugDescription)"
    case .valueNotFound(_, let ctx): return "missing value at \(path(ctx.codingPath))"
    case .dataCorrupted(let ctx): return "invalid data at \(path(ctx.codingPath)): \(ctx.debugDescription)"
    @unknown default: return "\(e)"
    }
}
