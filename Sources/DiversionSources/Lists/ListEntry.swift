import DiversionGraph

/// The screening-list file formats ``ListReader`` reads.
public enum ListFormat: String, Sendable, CaseIterable {
    /// The U.S. Consolidated Screening List (trade.gov): its CSV download, or its JSON form
    /// (`{"total", "sources", "results": [...]}`), told apart by the file's extension (`.csv`, `.json`), else
    /// by its first non-blank character (`{` is JSON).
    case csl
    /// An OpenSanctions export in FollowTheMoney JSON Lines (`entities.ftm.json`): one entity per line.
    case ftm
}

/// One screening-list entry as read, with its source row kept.
///
/// A party on several lists gives one entry per list (the same `sourceID`). An OpenSanctions party that is on
/// no list (an owner or a subsidiary named only by an `Ownership`) gives one entry with an empty `list`, so that
/// ownership can name it; ``isListed`` tells them apart.
public struct ListEntry: Sendable, Hashable, Codable {
    /// CSL `_id` (or `entity_number` when `_id` is empty); FtM `id`.
    public var sourceID: String
    public var name: String
    /// CSL `alt_names`; FtM `alias` (and any further `name` values).
    public var aliases: [String]
    /// From the CSL `country` key or the first address that names one; FtM `country`, else `jurisdiction`.
    /// `nil` when none.
    public var country: CountryCode?
    public var addresses: [String]
    /// The project's list name (`entity-list`, `meu`, `uvl`, `dpl`, `sdn`, `cmic`, `ssi`, `isn`, `dtc`, …; FtM:
    /// also `sanction`, `export-control`, `debarment` from topics), or empty for an unlisted party.
    /// `Graphs/FORMAT.md` ("Real data") has the whole mapping.
    public var list: String
    /// Entity List footnote 1, 3, 4 or 5 when the row gives one (the lowest when it gives several; see ``footnotes``).
    public var footnote: Int?
    /// Every Entity List footnote the row gives, ascending (most rows give none or one).
    public var footnotes: [Int]
    public var since: Day?
    public var until: Day?
    /// CSL `federal_register_notice`.
    public var citation: String?
    /// The source's own list name (CSL `source`) or dataset ids (FtM `datasets`, joined with `,`).
    public var source: String
    /// CSL `programs` (FtM: `program`).
    public var programs: [String]
    /// The raw row: the CSV record's text (all its physical lines, LF-joined) or the JSON object's text.
    public var sourceRow: String
    /// 1-based line (CSV, JSON Lines) or 0-based index in `results` (CSL JSON), for messages.
    public var line: Int
    /// CSL `type` `Individual`; FtM schema `Person`.
    public var isPerson: Bool

    public var isListed: Bool { !list.isEmpty }

    public init(
        sourceID: String, name: String, aliases: [String] = [], country: CountryCode? = nil, addresses: [String] = [],
        list: String, footnote: Int? = nil, footnotes: [Int]? = nil, since: Day? = nil, until: Day? = nil,
        citation: String? = nil, source: String, programs: [String] = [], sourceRow: String, line: Int, isPerson: Bool = false
    ) {
        self.sourceID = sourceID; self.name = name; self.aliases = aliases; self.country = country
        self.addresses = addresses; self.list = list; self.footnote = footnote
        self.footnotes = footnotes ?? footnote.map { [$0] } ?? []
        self.since = since; self.until = until; self.citation = citation; self.source = source
        self.programs = programs; self.sourceRow = sourceRow; self.line = line; self.isPerson = isPerson
    }
}

/// A holding read from a list export (FtM `Ownership`): `owner` holds `share` of `asset`.
public struct ListOwnership: Sendable, Hashable, Codable {
    /// The owner's and the asset's `sourceID`. NB: not checked against the file's entities: a filtered export
    /// may name parties it does not hold; the caller decides.
    public var owner: String
    public var asset: String
    /// 0 < share ≤ 1 (FtM `percentage` 60 → 0.6).
    public var share: Double
    public var since: Day?
    public var until: Day?
    public var line: Int

    public init(owner: String, asset: String, share: Double, since: Day? = nil, until: Day? = nil, line: Int) {
        self.owner = owner; self.asset = asset; self.share = share; self.since = since; self.until = until; self.line = line
    }
}

/// Everything read from one list file.
public struct ListImport: Sendable {
    public var file: String
    public var format: ListFormat
    public var entries: [ListEntry]
    public var ownership: [ListOwnership]
    /// Lines of `Ownership` entities that give no `percentage`: a holding of unknown size cannot count toward
    /// the 50% rule, so it is left out of ``ownership`` and only counted here.
    public var ownershipWithoutShare: [Int]

    public init(file: String, format: ListFormat, entries: [ListEntry], ownership: [ListOwnership] = [],
                ownershipWithoutShare: [Int] = []) {
        self.file = file; self.format = format; self.entries = entries; self.ownership = ownership
        self.ownershipWithoutShare = ownershipWithoutShare
    }
}
