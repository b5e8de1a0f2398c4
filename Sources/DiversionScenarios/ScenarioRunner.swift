import DiversionAnalysis
import DiversionGraph
import DiversionRules
import Foundation

/// The outcome of one scenario.
public struct ScenarioResult: Sendable {
    public var scenario: Scenario
    public var alerts: [Alert]
    public var failures: [String]
    public var seconds: Double
    public var passed: Bool { failures.isEmpty }
    public var graph: ShipmentGraph
    public var rules: RuleBook
}

/// Loads graphs once and shares them between scenarios that name the same files.
public final class GraphCache: @unchecked Sendable {
    private var builders: [[String]: GraphBuilder] = [:]
    private var built: [[String]: ShipmentGraph] = [:]
    private let lock = NSLock()
    public private(set) var loads = 0

    public init() {}

    /// A builder holding the graphs' rows (a copy: callers may add to it).
    func builder(for paths: [String]) throws -> GraphBuilder {
        lock.lock(); defer { lock.unlock() }
        if let b = builders[paths] { return b }
        var sink = MergingSink()
        for p in paths {
            sink.beginFile()
            try GraphLoader().load(path: p, into: &sink)
            loads += 1
        }
        builders[paths] = sink.builder
        return sink.builder
    }

    /// The built graph for `paths` with no additions or listing changes.
    func graph(for paths: [String]) throws -> ShipmentGraph {
        if let g = (lock.withLock { built[paths] }) { return g }
        let g = try builder(for: paths).build()
        lock.withLock { built[paths] = g }
        return g
    }
}

/// Feeds several files into one builder, renumbering each file's entities and items after the previous
/// files', and refusing an id that two files both define.
struct MergingSink: GraphSink {
    var builder = GraphBuilder()
    var entityBase: Int32 = 0
    var itemBase: Int32 = 0

    mutating func beginFile() {
        entityBase = Int32(builder.entityCount)
        itemBase = Int32(builder.itemCount)
    }

    func duplicate(_ kind: String, _ id: String) -> GraphLoadError {
        GraphLoadError([GraphDiagnostic(SourceLocation(file: "(scenario graphs)"), "\(kind) \"\(id)\" is defined by two of the scenario's graphs; graph ids must not overlap")])
    }

    mutating func begin(name: String?) { if entityBase == 0 { builder.begin(name: name) } }
    mutating func add(entity: Entity) throws {
        if builder.entityIndex(entity.id) != nil { throw duplicate("entity", entity.id) }
        builder.add(entity: entity)
    }
    mutating func add(item: Item, maker: Int32?) throws {
        if builder.itemIndex(item.id) != nil { throw duplicate("item", item.id) }
        builder.add(item: item, maker: maker.map { $0 + entityBase })
    }
    mutating func add(ownership: Ownership, owner: Int32, owned: Int32) { builder.add(ownership: ownership, owner: owner + entityBase, owned: owned + entityBase) }
    mutating func add(listing: Listing, entity: Int32) { builder.add(listing: listing, entity: entity + entityBase) }
    mutating func add(component: Component, assembly: Int32, part: Int32) { builder.add(component: component, assembly: assembly + itemBase, part: part + itemBase) }
    mutating func add(provenance: Provenance, item: Int32) { builder.add(provenance: provenance, item: item + itemBase) }
    mutating func add(equipment: Equipment, plant: Int32, item: Int32) { builder.add(equipment: equipment, plant: plant + entityBase, item: item + itemBase) }
    mutating func add(shipment s: ShipmentRow) {
        var r = s
        r.from += entityBase; r.to += entityBase; r.item += itemBase
        r.declaredEndUser = r.declaredEndUser.map { $0 + entityBase }
        builder.add(shipment: r)
    }
    mutating func finish() {}
}

/// Runs scenarios: builds each one's graph and rules, analyzes, and checks the expectations.
public struct ScenarioRunner: Sendable {
    public let baseRules: RuleBook
    public let redFlags: RedFlagCatalogue
    public let cache: GraphCache

    public init(rules: RuleBook, redFlags: RedFlagCatalogue, cache: GraphCache = GraphCache()) {
        self.baseRules = rules
        self.redFlags = redFlags
        self.cache = cache
    }

    /// The rule book with the scenario's changes applied.
    public func rules(for o: RuleOverrides) -> RuleBook {
        var r = baseRules
        if var scheme = r.tierSchemes[r.tierSchemeID] {
            scheme.tier3.countries = (scheme.tier3.countries ?? []) + o.tier3Add.map(\.code)
            scheme.tier3.exceptCountries = (scheme.tier3.exceptCountries ?? []) + o.tier3Remove.map(\.code)
            scheme.tier1.subtract(o.tier3Add)
            scheme.tier1.formUnion(o.tier1Add)
            scheme.tier1.subtract(o.tier1Remove)
            r.tierSchemes[r.tierSchemeID] = scheme
        }
        for change in o.groups {
            guard var g = r.groups[change.group] else { continue }
            for c in change.add {
                if change.since == nil && change.until == nil { g.members.insert(c); g.dated[c] = nil }
                else { g.dated[c, default: []].append(GroupMembership(window: DayWindow(since: change.since, until: change.until), include: true, assumption: nil)) }
            }
            for c in change.remove { g.members.remove(c); g.dated[c] = nil }
            r.groups[change.group] = g
        }
        for i in r.versions.indices {
            if let v = o.deMinimisDefault { r.versions[i].deMinimis.defaultThreshold = v }
            if let v = o.deMinimisReduced { r.versions[i].deMinimis.reducedThreshold = v }
            r.versions[i].fdp.removeAll { o.disableFDP.contains($0.id) }
        }
        return r
    }

    /// The scenario's graph: its files, its inline additions and its listing changes.
    public func graph(for s: Scenario, references: ScenarioParser?) throws -> ShipmentGraph {
        let needsOwnBuild = !s.additions.entities.isEmpty || !s.additions.items.isEmpty || !s.additions.shipments.isEmpty
            || !s.additions.components.isEmpty || !s.additions.ownership.isEmpty || !s.additions.listings.isEmpty
            || !s.rules.listingsAdd.isEmpty || !s.rules.listingsRemove.isEmpty
        var problems: [ScenarioDiagnostic] = []
        let source = references.map { $0.lines } ?? []
        func located(_ line: Int, _ column: Int, _ message: String) {
            problems.append(ScenarioDiagnostic(file: s.path, line: line, column: column, message: message,
                                               sourceLine: line - 1 < source.count ? String(source[line - 1]) : nil))
        }
        var builder = try cache.builder(for: s.graphs)
        if needsOwnBuild {
            func mark(_ key: String) -> (Int, Int) { references?.additionMarks[key] ?? (1, 1) }
            for e in s.additions.entities {
                if builder.entityIndex(e.id) != nil {
                    let (l, c) = mark("entities/\(e.id)")
                    located(l, c, "add.entities: \"\(e.id)\" is already in the graph; pick another id")
                } else { builder.add(entity: e) }
            }
            for i in s.additions.items {
                if builder.itemIndex(i.id) != nil {
                    let (l, c) = mark("items/\(i.id)")
                    located(l, c, "add.items: \"\(i.id)\" is already in the graph; pick another id"); continue
                }
                builder.add(item: i, maker: i.maker.flatMap { builder.entityIndex($0) })
            }
        }
        // Every party and item the file names must exist now.
        if let references {
            for r in references.partyReferences where builder.entityIndex(r.id) == nil {
                located(r.line, r.column, "unknown party \"\(r.id)\": no entity with this id in the scenario's graph")
            }
            for r in references.itemReferences where builder.itemIndex(r.id) == nil {
                located(r.line, r.column, "unknown item \"\(r.id)\": no item with this id in the scenario's graph")
            }
        }
        if !problems.isEmpty { throw ScenarioError(diagnostics: problems) }
        guard needsOwnBuild else { return try cache.graph(for: s.graphs) }
        for c in s.additions.components {
            builder.add(component: c, assembly: builder.itemIndex(c.assembly)!, part: builder.itemIndex(c.component)!)
        }
        for o in s.additions.ownership {
            builder.add(ownership: o, owner: builder.entityIndex(o.owner)!, owned: builder.entityIndex(o.owned)!)
        }
        for l in s.additions.listings + s.rules.listingsAdd { builder.add(listing: l, entity: builder.entityIndex(l.entity)!) }
        let removals = s.rules.listingsRemove
        builder.removeListings { l in removals.contains { $0.entity == l.entity && $0.list == l.list } }
        for sh in s.additions.shipments {
            builder.add(shipment: ShipmentRow(
                id: sh.id, date: sh.date, from: builder.entityIndex(sh.from)!, to: builder.entityIndex(sh.to)!,
                item: builder.itemIndex(sh.item)!, quantity: sh.quantity, value: sh.value,
                declaredEndUser: sh.declaredEndUser.flatMap { builder.entityIndex($0) }, license: sh.license, reference: sh.reference))
        }
        return builder.build()
    }

    /// Runs one scenario and checks its expectations.
    public func run(_ s: Scenario, references: ScenarioParser? = nil) throws -> ScenarioResult {
        let started = Date()
        let g = try graph(for: s, references: references)
        let rules = rules(for: s.rules)
        let alerts = Analyzer(graph: g, rules: rules, parameters: s.parameters, redFlags: redFlags).run().alerts
        let failures = check(s.expectations, alerts: alerts, graph: g, rules: rules, asOf: s.rules.asOf, file: s.path)
        return ScenarioResult(scenario: s, alerts: alerts, failures: failures, seconds: Date().timeIntervalSince(started),
                              graph: g, rules: rules)
    }

    func describe(_ p: Expectation.AlertPattern) -> String {
        var parts: [String] = []
        if !p.parties.isEmpty { parts.append("parties \(p.parties.joined(separator: " → "))") }
        if let k = p.kind { parts.append("kind \(k.rawValue)") }
        if let s = p.minimumSeverity { parts.append("severity ≥ \(s.rawValue)") }
        if let b = p.basis { parts.append("basis \(b)") }
        return parts.isEmpty ? "any alert" : parts.joined(separator: ", ")
    }

    static func summary(_ a: Alert) -> String {
        let head = "\(a.id) \(a.kind.rawValue) \(a.severity.rawValue) [\(a.path.map(\.id).joined(separator: " > "))]"
        guard a.kind == .diversionLead else { return head + " basis \(a.jurisdiction.bases.map(\.paragraph).joined(separator: ", "))" }
        return head + " open " + a.openQuestionGroups.map(\.label).joined(separator: ", ")
    }

    func matches(_ a: Alert, _ p: Expectation.AlertPattern) -> Bool {
        if let k = p.kind, a.kind != k { return false }
        if let s = p.minimumSeverity, a.severity < s { return false }
        if let b = p.basis, !a.jurisdiction.bases.contains(where: { $0.paragraph.hasPrefix(b) }) { return false }
        if p.parties.isEmpty { return true }
        return a.variants.contains { v in
            var i = 0
            for party in v.parties where i < p.parties.count && party == p.parties[i] { i += 1 }
            return i == p.parties.count
        }
    }

    func check(_ expectations: [Expectation], alerts: [Alert], graph g: ShipmentGraph, rules: RuleBook, asOf: Day?, file: String) -> [String] {
        var failures: [String] = []
        let found = alerts.isEmpty ? "no alerts" : alerts.prefix(6).map(ScenarioRunner.summary).joined(separator: "; ") + (alerts.count > 6 ? "; … \(alerts.count - 6) more" : "")
        let engine = JurisdictionEngine(rules: rules, graph: g)
        for e in expectations {
            switch e {
            case .alert(let p, let line):
                if !alerts.contains(where: { matches($0, p) }) {
                    failures.append("\(file):\(line): expect.alerts: no alert with \(describe(p)); found: \(found)")
                }
            case .noAlert(let p, let line):
                for a in alerts where matches(a, p) {
                    failures.append("\(file):\(line): expect.no_alerts: \(ScenarioRunner.summary(a)) matches \(describe(p)), which must not be raised")
                }
            case .alertCount(let n, let line):
                if alerts.count != n {
                    failures.append("\(file):\(line): expect.alert_count: expected \(n) alert\(n == 1 ? "" : "s"), found \(alerts.count): \(found)")
                }
            case .determination(let d, let line):
                guard let item = g.item(named: d.item) else { continue }
                let q = TransactionQuery(item: item, destination: d.destination, consignee: d.consignee.flatMap { g.entity(named: $0) },
                                         date: asOf ?? d.date)
                let r = engine.determine(q)
                var wrong: [String] = []
                if r.isSubjectToEAR != d.isSubject { wrong.append(r.isSubjectToEAR ? "it is subject" : "it is not subject") }
                if let b = d.basis, !r.bases.contains(where: { $0.paragraph.hasPrefix(b) }) {
                    wrong.append("basis \(b) not found (bases: \(r.bases.isEmpty ? "none" : r.bases.map(\.paragraph).joined(separator: ", ")))")
                }
                if let l = d.licenseRequired, l != r.licenseRequired {
                    wrong.append(r.licenseRequired ? "a license is required (\(r.licenseReasons.map(\.paragraph).joined(separator: ", ")))" : "no license is required")
                }
                if !wrong.isEmpty {
                    failures.append("\(file):\(line): expect.determinations: \(d.item) to \(d.destination.code) on \(q.date) (rules of \(r.ruleVersion)): expected \(d.isSubject ? "subject" : "not subject")\(d.basis.map { " via \($0)" } ?? "")\(d.licenseRequired.map { $0 ? ", license required" : ", no license required" } ?? ""), but \(wrong.joined(separator: "; "))")
                }
            }
        }
        return failures
    }
}
