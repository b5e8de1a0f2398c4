import DiversionGraph

/// Proposes which list entries and shipment parties name the same firm.
///
/// A pair's score (0...1) is the best over the names and aliases of both sides of
///
///     0.9 × weighted token agreement + 0.1 × Jaro-Winkler of the normalised names
///
/// adjusted for country and address. The token agreement is a Dice coefficient over the normalised tokens
/// (``NameNormalizer``) in which each token weighs by what it says of identity: a distinctive word (HUAWEI,
/// TIANYU) 1, a place (SHENZHEN) 0.4, a generic word (TECHNOLOGY, TRADING) 0.3, and a word only one name has at
/// least 0.5 (`weights` in `Resources/name-forms.json`). Tokens pair up when equal, when one is the other's two neighbours written
/// together (HI TECH, HITECH), when one is the other cut short (a truncated last word, TECHNOL), or when one
/// is a misspelling of the other: one edit (two in words of 9 letters or more) from a dictionary word, but
/// between two distinctive words only two swapped neighbours, a doubled letter, or any one edit in a word of 9
/// letters or more; NB: "TIANYU" and "TIANYI" are two names, not a typo. When both names keep words the
/// other lacks, they disagree and the agreement loses 0.1 (Huawei Technologies, Huawei Device).
///
/// Countries: both known and equal +0.03; both known and different −0.2, which takes even equal names below
/// the threshold (NB: a firm of the same name in another country is most often another legal entity, a
/// subsidiary or a namesake; its match is left to an analyst's search, not proposed). Two or more shared
/// address words (street, district, building name) +0.02.
public struct NameMatcher: Sendable {
    /// 0.85, chosen on the labelled pairs of the tests (`name-pairs.tsv`, 385 pairs): of the steps 0.70, 0.75,
    /// …, 0.95 the lowest (so the best recall) whose precision is at least 0.98. At 0.80 equal names in two
    /// countries (0.80) would be proposed; at 0.90 recall falls a little and precision gains one pair.
    /// Figures in BENCHMARKS.md.
    public static let defaultThreshold: Double = 0.85
    public var threshold: Double
    let forms: NameForms

    public init(threshold: Double = NameMatcher.defaultThreshold) {
        self.threshold = threshold
        forms = .bundled
    }

    /// Score of one pair (best over the names and aliases), with evidence.
    ///
    /// A side whose names are all placeholders ("TO ORDER", blank) scores 0 with every other.
    public func compare(_ a: MatchCandidate, _ b: MatchCandidate) -> ProposedMatch {
        proposal(a, PreparedCandidate(a, forms: forms), b, PreparedCandidate(b, forms: forms))
    }

    func proposal(_ a: MatchCandidate, _ pa: PreparedCandidate, _ b: MatchCandidate, _ pb: PreparedCandidate) -> ProposedMatch {
        guard let best = bestScore(pa, pb) else {
            return ProposedMatch(listID: a.id, partyID: b.id, score: 0, matchedName: a.name, partyName: b.name,
                                 evidence: ["no name to compare: a placeholder or blank name"])
        }
        let x = pa.names[best.a], y = pb.names[best.b]
        return ProposedMatch(listID: a.id, partyID: b.id, score: best.score, matchedName: x.text, partyName: y.text,
                             evidence: evidence(x, y, pa, pb, best.detail))
    }

    struct Best { var score: Double; var a: Int; var b: Int; var detail: NameAgreement }

    /// The best-scoring pair of names, or `nil` when either side has no usable name.
    /// With a `bound`, scores below it may be underestimated (see ``agreement(_:_:bound:)``).
    func bestScore(_ a: PreparedCandidate, _ b: PreparedCandidate, bound: Double? = nil) -> Best? {
        var best: Best?
        for i in a.names.indices {
            for j in b.names.indices {
                let d = agreement(a.names[i], b.names[j], bound: bound)
                let s = adjusted(d, a, b)
                if best == nil || s > best!.score { best = Best(score: s, a: i, b: j, detail: d) }
            }
        }
        return best
    }

    /// The name score with the country and address adjustments, clamped to 0...1.
    func adjusted(_ d: NameAgreement, _ a: PreparedCandidate, _ b: PreparedCandidate) -> Double {
        var s = d.score
        if let x = a.country, let y = b.country {
            if x == y { s += 0.03 } else { s -= 0.2 }
        }
        if !a.address.isEmpty && !b.address.isEmpty && a.address.intersection(b.address).count >= 2 { s += 0.02 }
        return min(1, max(0, s))
    }

    // MARK: Evidence

    func evidence(_ x: PreparedName, _ y: PreparedName, _ a: PreparedCandidate, _ b: PreparedCandidate, _ d: NameAgreement) -> [String] {
        var e: [String] = []
        if x.sortedJoined == y.sortedJoined {
            e.append("names agree after normalisation: \(x.normalized)")
        } else {
            e.append("normalised names: \(x.normalized) | \(y.normalized)")
        }
        let tokenSet = StringSimilarity.tokenSetRatio(x.tokens.map(\.text), y.tokens.map(\.text))
        e.append("token-set \(fixed(tokenSet)), Jaro-Winkler \(fixed(d.jaroWinkler)), weighted word agreement \(fixed(d.dice))")
        if !d.nearPairs.isEmpty {
            e.append("near-identical words: " + d.nearPairs.map { "\(x.tokens[$0.0].text) ~ \(y.tokens[$0.1].text)" }.joined(separator: ", "))
        }
        if !d.joinedPairs.isEmpty { e.append("written together: " + d.joinedPairs.joined(separator: ", ")) }
        let onlyA = x.tokens.indices.filter { d.matchedA & (1 << UInt64($0)) == 0 }.map { x.tokens[$0].text }
        let onlyB = y.tokens.indices.filter { d.matchedB & (1 << UInt64($0)) == 0 }.map { y.tokens[$0].text }
        if !onlyA.isEmpty { e.append("only in the first name: " + onlyA.joined(separator: ", ")) }
        if !onlyB.isEmpty { e.append("only in the second name: " + onlyB.joined(separator: ", ")) }
        if !onlyA.isEmpty && !onlyB.isEmpty { e.append("the names disagree: each has words the other lacks") }
        if let c = a.country, let k = b.country {
            e.append(c == k ? "same country \(c)" : "different countries \(c), \(k)")
        } else {
            e.append("country unknown on \(a.country == nil && b.country == nil ? "both sides" : "one side")")
        }
        let shared = a.address.intersection(b.address).sorted()
        if !shared.isEmpty { e.append("addresses share: " + shared.joined(separator: ", ")) }
        return e
    }

    func fixed(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        let s = String(r)
        return s.count == 3 ? s + "0" : s
    }
}
