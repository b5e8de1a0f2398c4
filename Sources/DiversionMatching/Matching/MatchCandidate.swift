import DiversionGraph

/// A name to match: a list entry or a shipment party.
public struct MatchCandidate: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Other names of the same firm (former names, trade names, spellings on the list); may be empty.
    public var aliases: [String]
    /// Where the firm is; `nil` when unknown.
    public var country: CountryCode?
    /// Free text; `nil` when unknown.
    public var address: String?

    public init(id: String, name: String, aliases: [String] = [], country: CountryCode? = nil, address: String? = nil) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.country = country
        self.address = address
    }
}

/// A proposed match with its score (0...1) and the evidence, in words an analyst reads.
///
/// A proposal, not a finding: an analyst confirms it. `evidence` says why the score is what it is, e.g.
/// `["names agree after normalisation: HUAWEI TECHNOLOGY", "token-set 1.00, Jaro-Winkler 1.00", "same country
/// CN", "addresses share: LONGGANG, SHENZHEN"]`.
public struct ProposedMatch: Sendable, Hashable, Codable {
    /// The first argument's id (a list entry, or in clustering the lower id).
    public var listID: String
    public var partyID: String
    public var score: Double
    /// Which of the list entry's names (name or alias) matched best.
    public var matchedName: String
    /// Which of the party's names (name or alias) matched best.
    public var partyName: String
    public var evidence: [String]

    public init(listID: String, partyID: String, score: Double, matchedName: String, partyName: String, evidence: [String]) {
        self.listID = listID
        self.partyID = partyID
        self.score = score
        self.matchedName = matchedName
        self.partyName = partyName
        self.evidence = evidence
    }
}

/// What a matching run did, for benchmarks and for judging the blocking.
public struct MatchReport: Sendable {
    /// Every pair at or above the threshold, ordered by list id, then party id.
    public var matches: [ProposedMatch]
    /// Pairs (list entry, party) that blocking put forward and that were scored.
    public var candidatePairs: Int
}
