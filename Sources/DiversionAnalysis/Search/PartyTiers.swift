import DiversionGraph
import DiversionRules

/// Why a party counts as a Tier-3 party.
public enum Tier3Reason: String, Sendable, Codable, Hashable, CaseIterable {
    /// Located in a Tier-3 country.
    case country
    /// Headquartered in a Tier-3 country.
    case headquarters
    /// Owned 50% or more, in aggregate, by parties headquartered in Tier-3 countries.
    case ownership
    /// On the Entity List.
    case entityList = "entity-list"
    /// Owned 50% or more, in aggregate, by Entity List parties.
    case listedOwnership = "listed-ownership"
}

/// Decides which parties are Tier-3 parties on a date, and the tier of a party's country.
///
/// Most parties can never be Tier-3 (a Tier-1 or Tier-2 country, no headquarters elsewhere, no listing, no
/// owners); those are ruled out once, so the per-shipment test is a bit lookup for them.
public struct PartyTiers: Sendable {
    let graph: ShipmentGraph
    let rules: RuleBook
    /// Parties that may be Tier-3 on some date.
    let isCandidate: [Bool]
    public static let aggregateThreshold = 0.5

    public init(graph: ShipmentGraph, rules: RuleBook) {
        self.graph = graph
        self.rules = rules
        var tier3 = [Bool](repeating: false, count: CountryCode.slotCount)
        for c in rules.possibleTier3Countries() { tier3[c.slot] = true }
        isCandidate = (0..<graph.entityCount).map { e in
            tier3[graph.entityCountry[e].slot] || tier3[graph.entityHeadquarters[e].slot]
                || graph.listingOffsets[e] != graph.listingOffsets[e + 1] || graph.ownerOffsets[e] != graph.ownerOffsets[e + 1]
        }
    }

    /// The reasons `e` is a Tier-3 party on `day`; empty when it is not.
    public func tier3Reasons(_ e: Int32, on day: Day) -> [Tier3Reason] {
        guard isCandidate[Int(e)] else { return [] }
        var reasons: [Tier3Reason] = []
        if rules.tier(of: graph.entityCountry[Int(e)], on: day) == .tier3 { reasons.append(.country) }
        if rules.tier(of: graph.entityHeadquarters[Int(e)], on: day) == .tier3 { reasons.append(.headquarters) }
        if isListed(e, on: day) { reasons.append(.entityList) }
        if !graph.owners(of: e).isEmpty {
            let hq = graph.aggregateShare(of: e, on: day) { o in
                rules.tier(of: graph.entityHeadquarters[Int(o)], on: day) == .tier3
            }
            if hq >= PartyTiers.aggregateThreshold { reasons.append(.ownership) }
            let listed = graph.aggregateShare(of: e, on: day) { o in isListed(o, on: day) }
            if listed >= PartyTiers.aggregateThreshold { reasons.append(.listedOwnership) }
        }
        return reasons
    }

    func isListed(_ e: Int32, on day: Day) -> Bool {
        graph.listings(of: e).contains { $0.list == "entity-list" && DayWindow(since: $0.since, until: $0.until).contains(day) }
    }

    /// The tier of the country a party is located in.
    public func countryTier(_ e: Int32, on day: Day) -> Tier {
        rules.tier(of: graph.entityCountry[Int(e)], on: day)
    }

    /// Plain words for the reasons, e.g. "located in a Tier-3 country; on the Entity List".
    public func describe(_ e: Int32, _ reasons: [Tier3Reason], on day: Day) -> String {
        reasons.map { r -> String in
            switch r {
            case .country: return "located in a Tier-3 country (\(graph.entityCountry[Int(e)].name))"
            case .headquarters: return "headquartered in a Tier-3 country (\(graph.entityHeadquarters[Int(e)].name))"
            case .ownership:
                let share = graph.aggregateShare(of: e, on: day) { o in rules.tier(of: graph.entityHeadquarters[Int(o)], on: day) == .tier3 }
                return "owned \(Int((share * 100).rounded()))% in aggregate by parties headquartered in Tier-3 countries" + holdingsVia(e, on: day)
            case .entityList:
                let active = graph.listings(of: e).filter { $0.list == "entity-list" && DayWindow(since: $0.since, until: $0.until).contains(day) }
                var notes: [Int] = []
                for n in active.compactMap(\.footnote) where !notes.contains(n) { notes.append(n) }
                let via = Array(Set(active.compactMap(\.via))).sorted()
                return "on the Entity List" + (notes.isEmpty ? "" : " (footnote \(notes.map(String.init).joined(separator: ", ")))")
                    + (via.isEmpty ? "" : " through \(via.joined(separator: "; "))")
            case .listedOwnership:
                let share = graph.aggregateShare(of: e, on: day) { o in isListed(o, on: day) }
                return "owned \(Int((share * 100).rounded()))% in aggregate by Entity List parties" + holdingsVia(e, on: day)
            }
        }.joined(separator: "; ")
    }

    /// " through match …" when holdings of `e` in force came to it through an entity-resolution match.
    func holdingsVia(_ e: Int32, on day: Day) -> String {
        let via = Array(Set(graph.owners(of: e).compactMap { k in graph.ownerWindow[k].contains(day) ? graph.ownerVia[k] : nil })).sorted()
        return via.isEmpty ? "" : " (holdings through \(via.joined(separator: "; ")))"
    }
}
