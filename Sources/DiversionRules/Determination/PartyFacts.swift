import DiversionGraph

/// What the rules need to know about a party on a date: its screening-list entries in force, its
/// headquarters and its ultimate parent's.
public struct PartyFacts: Sendable, Hashable {
    public var entity: Int32
    public var country: CountryCode
    public var headquarters: CountryCode
    /// The ultimate parent (holdings above 50% followed upward), when it is another party.
    public var ultimateParent: Int32?
    public var ultimateParentHeadquarters: CountryCode?
    /// `(list, footnote)` entries in force on the date.
    public var listings: [Listing]

    public func isListed(on list: String) -> Bool { listings.contains { $0.list == list } }
    public func isListed(footnotes: [Int]) -> Bool {
        listings.contains { $0.list == "entity-list" && $0.footnote.map(footnotes.contains) == true }
    }
}

extension ShipmentGraph {
    /// The listings of `entity` in force on `day`.
    public func activeListings(of entity: Int32, on day: Day) -> [Listing] {
        listings(of: entity).filter { DayWindow(since: $0.since, until: $0.until).contains(day) }
    }

    /// Follows holdings above 50% upward from `entity`; `nil` when nobody holds a majority.
    /// - Complexity: O(depth × owners per party); stops at a loop.
    public func ultimateParent(of entity: Int32, on day: Day) -> Int32? {
        var current = entity
        var seen: Set<Int32> = [entity]
        var parent: Int32?
        while true {
            var next: Int32?
            for k in owners(of: current) where ownerShare[k] > 0.5 && ownerWindow[k].contains(day) {
                next = ownerEntity[k]
                break
            }
            guard let n = next, !seen.contains(n) else { return parent }
            seen.insert(n)
            parent = n
            current = n
        }
    }

    public func facts(of entity: Int32, on day: Day) -> PartyFacts {
        let parent = ultimateParent(of: entity, on: day)
        return PartyFacts(entity: entity, country: entityCountry[Int(entity)],
                          headquarters: entityHeadquarters[Int(entity)], ultimateParent: parent,
                          ultimateParentHeadquarters: parent.map { entityHeadquarters[Int($0)] },
                          listings: activeListings(of: entity, on: day))
    }

    /// The share of `entity` owned, directly and through chains of holdings, by parties for which
    /// `isQualifying` holds, on `day` (the aggregation the 50% tests use).
    ///
    /// Shares multiply along a chain and add across holders; a qualifying holder's own stake counts in full
    /// and is not traced further up. Capped at 1.
    /// - Complexity: O(size of the ownership tree above `entity`), depth at most `maxDepth`.
    public func aggregateShare(of entity: Int32, on day: Day, maxDepth: Int = 8,
                               isQualifying: (Int32) -> Bool) -> Double {
        func share(_ e: Int32, _ depth: Int, _ path: Set<Int32>) -> Double {
            guard depth < maxDepth else { return 0 }
            var total = 0.0
            for k in owners(of: e) where ownerWindow[k].contains(day) {
                let o = ownerEntity[k]
                if path.contains(o) { continue }
                if isQualifying(o) { total += ownerShare[k] } else {
                    total += ownerShare[k] * share(o, depth + 1, path.union([o]))
                }
            }
            return min(total, 1)
        }
        return share(entity, 0, [entity])
    }
}
