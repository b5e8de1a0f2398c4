import DiversionGraph
import DiversionRules
import Foundation

/// Counts and timings of one analysis run.
public struct AnalysisStatistics: Codable, Sendable, Hashable {
    public var shipments: Int
    public var terminals: Int
    public var paths: Int
    /// Paths that are leads: no hop established as a violation, but a fact the data lacks decides.
    public var leadPaths: Int
    public var truncatedTerminals: Int
    public var determinations: Int
    public var alerts: Int
    public var secondsSearch: Double
    public var secondsAlerts: Double
}

public struct AnalysisResult: Sendable {
    public var alerts: [Alert]
    public var statistics: AnalysisStatistics
    /// The rule versions the run judged under (each terminal's, or the as-of date's).
    public var ruleVersions: [String]
}

/// Runs the whole analysis over a graph: terminals, path search, jurisdiction, grouping, scoring, alerts.
public struct Analyzer: Sendable {
    public let graph: ShipmentGraph
    public let rules: RuleBook
    public let parameters: AnalysisParameters
    public let redFlags: RedFlagCatalogue

    public init(graph: ShipmentGraph, rules: RuleBook, parameters: AnalysisParameters, redFlags: RedFlagCatalogue) {
        self.graph = graph
        self.rules = rules
        self.parameters = parameters
        self.redFlags = redFlags
    }

    /// - Complexity: O(shipments) plus the search's cost (see ``PathSearch``).
    public func run() -> AnalysisResult {
        let started = Date()
        let search = PathSearch(graph: graph, rules: rules, parameters: parameters)
        LoadTrace.mark("analysis: containment and party tiers")
        let terminals = search.terminals()
        LoadTrace.mark("analysis: \(terminals.count) final shipments")

        // Search backward from each terminal, on every worker thread, and judge what was found there: the
        // terminal's jurisdiction (memoized by the question it poses), and, when the last shipment is not
        // subject on its own, each path as a whole (every hop against where the goods were going), on
        // verdicts alone.
        let determination = DeterminationMemo(engine: JurisdictionEngine(rules: rules, graph: graph), asOf: parameters.asOf)
        let screen = PathJudge(graph: graph, asOf: parameters.asOf,
                               memo: DeterminationMemo(engine: JurisdictionEngine(rules: rules, graph: graph, explains: false),
                                                       asOf: parameters.asOf))
        typealias Found = (terminal: Int, paths: [DiversionPath], truncated: Bool, verdicts: [PathJudgment.Verdict]?)
        let threads = max(1, min(parameters.threads, 8))
        let results = ParallelResults<[Found]>(count: threads)
        let ledgers = LedgerStore()
        DispatchQueue.concurrentPerform(iterations: threads) { w in
            let cache = LedgerCache(graph: graph, containment: search.containment, window: parameters.window, store: ledgers)
            var mine: [Found] = []
            var i = w
            while i < terminals.count {
                let t = terminals[i]
                let (paths, truncated) = search.paths(endingAt: t, cache: cache)
                var verdicts: [PathJudgment.Verdict]?
                if !paths.isEmpty, !determination(t).isSubjectToEAR {
                    verdicts = paths.map { screen.judge($0.shipments).verdict }
                }
                mine.append((t, paths, truncated, verdicts))
                i += threads
            }
            results.set(w, mine)
        }
        let found = results.values.flatMap { $0 }.sorted { $0.terminal < $1.terminal }

        var subjectPaths: [DiversionPath] = []
        var leadPaths: [DiversionPath] = []
        var truncatedCount = 0
        var covered = Set<Int>()
        for (_, paths, truncated, verdicts) in found {
            if truncated { truncatedCount += 1 }
            guard let verdicts else {
                subjectPaths += paths
                for p in paths { covered.formUnion(p.shipments) }
                continue
            }
            for (p, verdict) in zip(paths, verdicts) {
                switch verdict {
                case .violation: subjectPaths.append(p)
                case .lead: leadPaths.append(p)
                case .clear: continue
                }
                covered.formUnion(p.shipments)
            }
        }
        let searchSeconds = Date().timeIntervalSince(started)
        LoadTrace.mark("analysis: paths found and judged")

        // Group paths that share a shipment: one scheme, one alert.
        let builder = AlertBuilder(graph: graph, rules: rules, parameters: parameters, redFlags: redFlags,
                                   tiers: search.tiers, containment: search.containment)
        let judge = PathJudge(graph: graph, asOf: parameters.asOf, memo: determination)
        var alerts: [Alert] = []
        if parameters.report.includesViolations {
            alerts += builder.alerts(subjectPaths, kind: .diversionPath, determination: determination, judge: judge, threads: threads)
        }
        if parameters.report.includesLeads {
            alerts += builder.alerts(leadPaths, kind: .diversionLead, determination: determination, judge: judge, threads: threads)
        }
        // Direct shipments into Tier-3 parties that needed a license and record none, chained where one fed
        // the next.
        var direct = Set<Int>()
        for (t, _, _, _) in found where !covered.contains(t) {
            let d = determination(t)
            let license = graph.licenses[t]
            if d.isSubjectToEAR && d.licenseRequired && isNoLicense(license) { direct.insert(t) }
        }
        if !direct.isEmpty, parameters.report.includesViolations {
            let cache = LedgerCache(graph: graph, containment: search.containment, window: parameters.window)
            alerts += builder.alerts(search.chains(within: direct, cache: cache), kind: .unlicensedDirect,
                                     determination: determination, judge: judge, threads: threads)
        }
        LoadTrace.mark("analysis: alerts built")
        alerts = AlertBuilder.assignIDs(alerts)
        alerts.sort { ($0.severity, $0.score, $1.id) > ($1.severity, $1.score, $0.id) }
        let versions = determination.ruleVersions
        return AnalysisResult(
            alerts: alerts,
            statistics: AnalysisStatistics(
                shipments: graph.shipmentsRead, terminals: terminals.count, paths: subjectPaths.count, leadPaths: leadPaths.count,
                truncatedTerminals: truncatedCount, determinations: determination.count, alerts: alerts.count,
                secondsSearch: searchSeconds, secondsAlerts: Date().timeIntervalSince(started) - searchSeconds),
            ruleVersions: versions)
    }
}

/// Determinations of final shipments, memoized by the question each poses (the shipment's item, parties,
/// date and quantities); any thread may ask.
final class DeterminationMemo: @unchecked Sendable {
    private let engine: JurisdictionEngine
    private let asOf: Day?
    private var memo: [TransactionQuery: Determination] = [:]
    private let lock = NSLock()

    init(engine: JurisdictionEngine, asOf: Day?) {
        self.engine = engine
        self.asOf = asOf
    }

    /// The determination for the shipment at position `t`, judged without its recorded license.
    func callAsFunction(_ t: Int) -> Determination {
        var q = TransactionQuery.forShipment(at: t, in: engine.graph)
        q.recordedLicense = nil
        if let a = asOf { q.date = a }
        return determine(q)
    }

    /// The determination for a question (a path hop's, with where its goods were going). Judged outside the
    /// lock, so threads judge different questions at once (two that ask the same one get the same answer).
    func determine(_ q: TransactionQuery) -> Determination {
        if let d = lock.withLock({ memo[q] }) { return d }
        let d = engine.determine(q)
        lock.withLock { memo[q] = d }
        return d
    }

    /// How many distinct questions were judged.
    var count: Int { lock.lock(); defer { lock.unlock() }; return memo.count }

    /// The rule versions the determinations were made under, sorted.
    var ruleVersions: [String] { lock.lock(); defer { lock.unlock() }; return Set(memo.values.map(\.ruleVersion)).sorted() }
}
