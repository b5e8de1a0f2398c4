import DiversionAnalysis
import DiversionGraph
import DiversionRules

/// A question an analyst asks of a graph, as a scenario file states it (`Scenarios/FORMAT.md`).
public struct Scenario: Sendable {
    public var path: String
    public var name: String
    public var description: String?
    /// Graph files or CSV folders, resolved against the scenario's folder.
    public var graphs: [String]
    public var additions = GraphDocument()
    public var rules = RuleOverrides()
    public var parameters = AnalysisParameters()
    public var expectations: [Expectation] = []
}

/// Changes to the dated rule data and the graph's listings that a scenario makes.
public struct RuleOverrides: Sendable, Hashable {
    public var asOf: Day?
    public var tier3Add: [CountryCode] = []
    public var tier3Remove: [CountryCode] = []
    public var tier1Add: [CountryCode] = []
    public var tier1Remove: [CountryCode] = []
    public struct GroupChange: Sendable, Hashable {
        public var group: String
        public var add: [CountryCode]
        public var remove: [CountryCode]
        public var since: Day?
        public var until: Day?
    }
    public var groups: [GroupChange] = []
    public var deMinimisDefault: Double?
    public var deMinimisReduced: Double?
    public var listingsAdd: [Listing] = []
    public var listingsRemove: [(entity: String, list: String)] = []
    public var watch: WatchList?
    public var disableFDP: [String] = []

    public static func == (a: RuleOverrides, b: RuleOverrides) -> Bool { a.summary == b.summary }
    public func hash(into h: inout Hasher) { h.combine(summary) }

    /// One line per change, for reports and diffs.
    public var summary: [String] {
        var lines: [String] = []
        if let d = asOf { lines.append("rules as of \(d)") }
        if !tier3Add.isEmpty { lines.append("Tier 3 adds \(tier3Add.map(\.code).joined(separator: ", "))") }
        if !tier3Remove.isEmpty { lines.append("Tier 3 removes \(tier3Remove.map(\.code).joined(separator: ", "))") }
        if !tier1Add.isEmpty { lines.append("Tier 1 adds \(tier1Add.map(\.code).joined(separator: ", "))") }
        if !tier1Remove.isEmpty { lines.append("Tier 1 removes \(tier1Remove.map(\.code).joined(separator: ", "))") }
        for g in groups {
            let window = (g.since != nil || g.until != nil) ? " (\(g.since?.description ?? "…") to \(g.until?.description ?? "…"))" : ""
            if !g.add.isEmpty { lines.append("\(g.group) adds \(g.add.map(\.code).joined(separator: ", "))\(window)") }
            if !g.remove.isEmpty { lines.append("\(g.group) removes \(g.remove.map(\.code).joined(separator: ", "))\(window)") }
        }
        if let v = deMinimisDefault { lines.append("de minimis level \(formatDecimal(v * 100))%") }
        if let v = deMinimisReduced { lines.append("de minimis level for E:1/E:2 \(formatDecimal(v * 100))%") }
        for l in listingsAdd { lines.append("listing added: \(l.entity) on \(l.list)\(l.footnote.map { " (footnote \($0))" } ?? "")") }
        for l in listingsRemove { lines.append("listing removed: \(l.entity) from \(l.list)") }
        if let w = watch { lines.append("watching \(w.description)") }
        for r in disableFDP { lines.append("FDP rule \(r) switched off") }
        return lines
    }
}

/// What a scenario expects.
public enum Expectation: Sendable, Hashable {
    public struct AlertPattern: Sendable, Hashable {
        public var parties: [String]
        public var kind: AlertKind?
        public var minimumSeverity: Severity?
        public var basis: String?
    }
    public struct DeterminationPattern: Sendable, Hashable {
        public var item: String
        public var destination: CountryCode
        public var date: Day
        public var consignee: String?
        public var isSubject: Bool
        public var basis: String?
        public var licenseRequired: Bool?
    }
    case alert(AlertPattern, line: Int)
    case noAlert(AlertPattern, line: Int)
    case alertCount(Int, line: Int)
    case determination(DeterminationPattern, line: Int)
}
