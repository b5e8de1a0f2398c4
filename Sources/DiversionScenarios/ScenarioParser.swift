import DiversionAnalysis
import DiversionGraph
import DiversionRules
import Foundation
import Yams

/// Reads a scenario file into a ``Scenario``, reporting every problem with its line and column.
public struct ScenarioParser {
    let file: String
    let text: String
    let lines: [Substring]
    var problems: [ScenarioDiagnostic] = []
    /// Party references to check once the graph is loaded: (id, line, column).
    public internal(set) var partyReferences: [(id: String, line: Int, column: Int)] = []
    public internal(set) var itemReferences: [(id: String, line: Int, column: Int)] = []
    /// Where each added entity or item row defines its id: `"entities/x"` → (line, column).
    public internal(set) var additionMarks: [String: (line: Int, column: Int)] = [:]

    public init(file: String, text: String) {
        self.file = file
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Parses the file at `path`.
    public static func parse(path: String, root: String? = nil) throws -> (Scenario, ScenarioParser) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(diagnostics: [ScenarioDiagnostic(file: path, line: 1, column: 1, message: "cannot be read", sourceLine: nil)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(diagnostics: [ScenarioDiagnostic(file: path, line: 1, column: 1, message: "is not UTF-8 text", sourceLine: nil)])
        }
        var parser = ScenarioParser(file: path, text: text)
        let scenario = parser.parse(root: root)
        if !parser.problems.isEmpty { throw ScenarioError(diagnostics: parser.problems) }
        return (scenario!, parser)
    }

    // MARK: - Diagnostics

    mutating func error(_ mark: Mark?, _ message: String) {
        let line = mark?.line ?? 1, column = mark?.column ?? 1
        let source = line - 1 < lines.count ? String(lines[line - 1]) : nil
        problems.append(ScenarioDiagnostic(file: file, line: line, column: column, message: message, sourceLine: source))
    }

    // MARK: - Typed readers

    mutating func mapping(_ node: Node, _ what: String) -> [(key: String, keyMark: Mark?, value: Node)]? {
        guard let m = node.mapping else { error(node.mark, "\(what) must be a mapping of keys to values"); return nil }
        var out: [(String, Mark?, Node)] = []
        for (k, v) in m {
            guard let key = k.string else { error(k.mark, "keys must be text"); continue }
            out.append((key, k.mark, v))
        }
        return out
    }

    mutating func checkKeys(_ entries: [(key: String, keyMark: Mark?, value: Node)], allowed: [String], in what: String) {
        for e in entries where !allowed.contains(e.key) {
            error(e.keyMark, "unknown key \"\(e.key)\" in \(what)\(didYouMean(e.key, among: allowed)); expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let s = node.scalar?.string, node.scalar != nil else { error(node.mark, "\(what) must be text"); return nil }
        return s
    }

    mutating func list(_ node: Node, _ what: String) -> [Node]? {
        if let seq = node.sequence { return Array(seq) }
        error(node.mark, "\(what) must be a list")
        return nil
    }

    mutating func stringList(_ node: Node, _ what: String) -> [(String, Mark?)] {
        if let s = node.scalar?.string { return [(s, node.mark)] }
        guard let items = list(node, what) else { return [] }
        return items.compactMap { n in string(n, "each entry of \(what)").map { ($0, n.mark) } }
    }

    mutating func number(_ node: Node, _ what: String) -> Double? {
        guard let s = node.scalar?.string, let v = parseDecimal(s) else {
            error(node.mark, "\(what) must be a number, found \(describe(node))")
            return nil
        }
        return v
    }

    mutating func integer(_ node: Node, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let v = number(node, what) else { return nil }
        guard v == v.rounded(), range.contains(Int(v)) else {
            error(node.mark, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(describe(node))")
            return nil
        }
        return Int(v)
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: error(node.mark, "\(what) must be true or false, found \(describe(node))"); return nil
        }
    }

    mutating func date(_ node: Node, _ what: String) -> Day? {
        guard let s = node.scalar?.string, let d = Day(s) else {
            error(node.mark, "\(what) must be a real date YYYY-MM-DD, found \(describe(node))")
            return nil
        }
        return d
    }

    mutating func country(_ s: String, _ mark: Mark?) -> CountryCode? {
        if let c = CountryCode(s) { return c }
        error(mark, "unknown country code \"\(s)\"" + (CountryCode(s.uppercased()) != nil ? " (codes are upper case: \"\(s.uppercased())\")" : ""))
        return nil
    }

    func describe(_ node: Node) -> String {
        if let s = node.scalar?.string { return "\"\(s)\"" }
        if node.sequence != nil { return "a list" }
        return "a mapping"
    }

    // MARK: - The document

    mutating func parse(root: String?) -> Scenario? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                error(mark, "not valid YAML: \(problem)")
            default:
                error(nil, "not valid YAML: \(e)")
            }
            return nil
        } catch {
            self.error(nil, "not valid YAML: \(error)")
            return nil
        }
        guard let node, let top = mapping(node, "a scenario") else {
            if problems.isEmpty { error(nil, "the file is empty; a scenario needs at least `name:` and `graphs:`") }
            return nil
        }
        let keys = ["name", "description", "graphs", "add", "rules", "parameters", "expect"]
        checkKeys(top, allowed: keys, in: "the scenario")
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var scenario = Scenario(path: file, name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
                                description: nil, graphs: [])
        var sawGraphs = false
        for e in top {
            switch e.key {
            case "name": if let s = string(e.value, "name") { scenario.name = s }
            case "description": scenario.description = string(e.value, "description")
            case "graphs":
                sawGraphs = true
                for (p, mark) in stringList(e.value, "graphs") {
                    if let resolved = resolve(p, mark, folder: folder, root: root) { scenario.graphs.append(resolved) }
                }
            case "add": readAdditions(e.value, into: &scenario.additions)
            case "rules": readRules(e.value, into: &scenario.rules)
            case "parameters": readParameters(e.value, into: &scenario.parameters)
            case "expect": scenario.expectations = readExpectations(e.value)
            default: break
            }
        }
        if !sawGraphs { error(node.mark, "missing key \"graphs\": name the graph file(s) or CSV folder(s) to load, relative to this file") }
        if let w = scenario.rules.watch { scenario.parameters.watch = w }
        scenario.parameters.asOf = scenario.rules.asOf
        return scenario
    }

    /// Resolves a graph path against the scenario's folder; it must exist and stay inside the root.
    mutating func resolve(_ p: String, _ mark: Mark?, folder: String, root: String?) -> String? {
        let absolute = p.hasPrefix("/") ? p : folder + "/" + p
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        let rootPath = URL(fileURLWithPath: root ?? folder).standardizedFileURL.path
        if !(rootPath == "/" || standardized == rootPath || standardized.hasPrefix(rootPath + "/")) {
            error(mark, "the path \"\(p)\" leaves the scenario tree (\(rootPath)); keep graphs inside it or run with --root")
            return nil
        }
        if !FileManager.default.fileExists(atPath: standardized) {
            error(mark, "no graph file or folder at \"\(p)\" (looked for \(standardized))")
            return nil
        }
        return standardized
    }

    mutating func readAdditions(_ node: Node, into d: inout GraphDocument) {
        guard let tables = mapping(node, "add") else { return }
        checkKeys(tables, allowed: ["entities", "items", "components", "ownership", "listings", "shipments"], in: "add")
        for t in tables {
            guard let rows = list(t.value, "add.\(t.key)") else { continue }
            for row in rows {
                guard let fields = mapping(row, "each row of add.\(t.key)") else { continue }
                var values: [String: (String, Mark?)] = [:]
                for f in fields { if let s = string(f.value, f.key) { values[f.key] = (s, f.value.mark) } }
                let known: [String]
                switch t.key {
                case "entities": known = GraphTable.entities.fields
                case "items": known = GraphTable.items.fields
                case "components": known = GraphTable.components.fields
                case "ownership": known = GraphTable.ownership.fields
                case "listings": known = GraphTable.listings.fields
                default: known = GraphTable.shipments.fields
                }
                checkKeys(fields, allowed: known, in: "add.\(t.key)")
                if let (id, m) = values["id"], t.key == "entities" || t.key == "items" {
                    additionMarks["\(t.key)/\(id)"] = (m?.line ?? 1, m?.column ?? 1)
                }
                func need(_ k: String) -> String? {
                    if let v = values[k] { return v.0 }
                    error(row.mark, "add.\(t.key): missing field \"\(k)\"")
                    return nil
                }
                func num(_ k: String) -> Double? {
                    guard let (s, m) = values[k] else { return nil }
                    if let v = parseDecimal(s), v >= 0 { return v }
                    error(m, "field \"\(k)\" must be a non-negative number, found \"\(s)\"")
                    return nil
                }
                func day(_ k: String) -> Day? {
                    guard let (s, m) = values[k] else { return nil }
                    if let d = Day(s) { return d }
                    error(m, "field \"\(k)\" must be a real date YYYY-MM-DD, found \"\(s)\"")
                    return nil
                }
                func ref(_ k: String, entity: Bool) -> String? {
                    guard let (s, m) = values[k] else { return nil }
                    if entity { partyReferences.append((s, m?.line ?? 1, m?.column ?? 1)) } else { itemReferences.append((s, m?.line ?? 1, m?.column ?? 1)) }
                    return s
                }
                switch t.key {
                case "entities":
                    guard let id = need("id"), let name = need("name"), let c = need("country"),
                          let cc = country(c, values["country"]?.1) else { continue }
                    var role: PartyRole?
                    if let (r, m) = values["role"] { role = PartyRole(rawValue: r); if role == nil { error(m, "unknown role \"\(r)\"") } }
                    let hq = values["headquarters"].flatMap { country($0.0, $0.1) }
                    d.entities.append(Entity(id: id, name: name, country: cc, role: role, headquarters: hq))
                case "items":
                    guard let id = need("id"), let o = need("origin"), let origin = country(o, values["origin"]?.1) else { continue }
                    d.items.append(Item(id: id, description: values["description"]?.0, eccn: values["eccn"]?.0, hsCode: values["hs_code"]?.0,
                                        origin: origin, maker: ref("maker", entity: true), unitValue: num("unit_value"), tpp: num("tpp"),
                                        tops: num("tops"), bitLength: num("bit_length"), dieAreaMM2: num("die_area_mm2"),
                                        interconnectGBps: num("interconnect_gbps")))
                case "components":
                    guard let a = ref("assembly", entity: false), let p = ref("component", entity: false), let q = num("quantity") else {
                        error(row.mark, "add.components: assembly, component and quantity are required"); continue
                    }
                    d.components.append(Component(assembly: a, component: p, quantity: q, unitValue: num("unit_value")))
                case "ownership":
                    if let (text, m) = values["share"], let v = parseDecimal(text), !(v > 0 && v <= 1) {
                        error(m, "add.ownership: share is a fraction greater than 0 and at most 1 (0.6 is 60%), found \(text)"); continue
                    }
                    guard let o = ref("owner", entity: true), let w = ref("owned", entity: true), let s = num("share") else {
                        error(row.mark, "add.ownership: owner, owned and share are required"); continue
                    }
                    d.ownership.append(Ownership(owner: o, owned: w, share: s, since: day("since"), until: day("until")))
                case "listings":
                    guard let e = ref("entity", entity: true), let l = need("list") else { continue }
                    d.listings.append(Listing(entity: e, list: l, footnote: num("footnote").map { Int($0) }, since: day("since"), until: day("until")))
                default:
                    guard let id = need("id"), let date = day("date"), let from = ref("from", entity: true),
                          let to = ref("to", entity: true), let item = ref("item", entity: false), let q = num("quantity"), q > 0 else {
                        error(row.mark, "add.shipments: id, date, from, to, item and a positive quantity are required"); continue
                    }
                    d.shipments.append(Shipment(id: id, date: date, from: from, to: to, item: item, quantity: q, value: num("value"),
                                                declaredEndUser: ref("declared_end_user", entity: true), license: values["license"]?.0,
                                                reference: values["reference"]?.0))
                }
            }
        }
    }

    mutating func countries(_ node: Node, _ what: String) -> [CountryCode] {
        stringList(node, what).compactMap { country($0.0, $0.1) }
    }

    mutating func readRules(_ node: Node, into r: inout RuleOverrides) {
        guard let entries = mapping(node, "rules") else { return }
        checkKeys(entries, allowed: ["as_of", "tiers", "groups", "de_minimis", "listings", "watch", "fdp"], in: "rules")
        for e in entries {
            switch e.key {
            case "as_of": r.asOf = date(e.value, "as_of")
            case "tiers":
                guard let t = mapping(e.value, "rules.tiers") else { continue }
                checkKeys(t, allowed: ["tier3_add", "tier3_remove", "tier1_add", "tier1_remove"], in: "rules.tiers")
                for x in t {
                    let cs = countries(x.value, "rules.tiers.\(x.key)")
                    switch x.key {
                    case "tier3_add": r.tier3Add = cs
                    case "tier3_remove": r.tier3Remove = cs
                    case "tier1_add": r.tier1Add = cs
                    case "tier1_remove": r.tier1Remove = cs
                    default: break
                    }
                }
            case "groups":
                guard let items = list(e.value, "rules.groups") else { continue }
                for item in items {
                    guard let g = mapping(item, "each entry of rules.groups") else { continue }
                    checkKeys(g, allowed: ["group", "add", "remove", "since", "until"], in: "rules.groups")
                    var change = RuleOverrides.GroupChange(group: "", add: [], remove: [], since: nil, until: nil)
                    for x in g {
                        switch x.key {
                        case "group":
                            if let s = string(x.value, "group") {
                                let known = ["A:5", "A:6", "D:1", "D:3", "D:4", "D:5", "E:1", "E:2"]
                                if known.contains(s) { change.group = s } else {
                                    error(x.value.mark, "unknown country group \"\(s)\"\(didYouMean(s, among: known)); groups: \(known.joined(separator: ", "))")
                                }
                            }
                        case "add": change.add = countries(x.value, "add")
                        case "remove": change.remove = countries(x.value, "remove")
                        case "since": change.since = date(x.value, "since")
                        case "until": change.until = date(x.value, "until")
                        default: break
                        }
                    }
                    if change.group.isEmpty && !g.contains(where: { $0.key == "group" }) { error(item.mark, "rules.groups: each entry needs \"group\"") }
                    if !change.group.isEmpty { r.groups.append(change) }
                }
            case "de_minimis":
                guard let d = mapping(e.value, "rules.de_minimis") else { continue }
                checkKeys(d, allowed: ["default", "reduced"], in: "rules.de_minimis")
                for x in d {
                    guard let v = number(x.value, "de_minimis.\(x.key)") else { continue }
                    guard v >= 0 && v <= 1 else { error(x.value.mark, "de_minimis.\(x.key) is a fraction from 0 to 1 (0.25 is 25%), found \(formatDecimal(v))"); continue }
                    if x.key == "default" { r.deMinimisDefault = v } else { r.deMinimisReduced = v }
                }
            case "listings":
                guard let l = mapping(e.value, "rules.listings") else { continue }
                checkKeys(l, allowed: ["add", "remove"], in: "rules.listings")
                for x in l {
                    guard let rows = list(x.value, "rules.listings.\(x.key)") else { continue }
                    for row in rows {
                        guard let f = mapping(row, "each listing") else { continue }
                        checkKeys(f, allowed: x.key == "add" ? ["entity", "list", "footnote", "since", "until"] : ["entity", "list"], in: "rules.listings.\(x.key)")
                        var entity: String?, listName = "entity-list", footnote: Int?, since: Day?, until: Day?
                        for y in f {
                            switch y.key {
                            case "entity":
                                entity = string(y.value, "entity")
                                if let e = entity { partyReferences.append((e, y.value.mark?.line ?? 1, y.value.mark?.column ?? 1)) }
                            case "list": listName = string(y.value, "list") ?? listName
                            case "footnote":
                                if let n = integer(y.value, "footnote", range: 1...5) {
                                    if [1, 3, 4, 5].contains(n) { footnote = n } else { error(y.value.mark, "Entity List footnotes are 1, 3, 4 or 5, found \(n)") }
                                }
                            case "since": since = date(y.value, "since")
                            case "until": until = date(y.value, "until")
                            default: break
                            }
                        }
                        guard let entity else { error(row.mark, "rules.listings.\(x.key): each entry needs \"entity\""); continue }
                        if x.key == "add" { r.listingsAdd.append(Listing(entity: entity, list: listName, footnote: footnote, since: since, until: until)) }
                        else { r.listingsRemove.append((entity, listName)) }
                    }
                }
            case "watch":
                let entries = stringList(e.value, "rules.watch")
                do { r.watch = try WatchList.parse(entries.map(\.0).joined(separator: ",")) } catch let w as WatchListError {
                    let mark = entries.first { $0.0 == w.entry }?.1 ?? e.value.mark
                    error(mark, "\"\(w.entry)\" is neither an ECCN (such as 3A090) nor an HS code of at least 4 digits (such as 8542.31)")
                } catch {}
            case "fdp":
                guard let f = mapping(e.value, "rules.fdp") else { continue }
                checkKeys(f, allowed: ["disable"], in: "rules.fdp")
                for x in f {
                    let known = ["e1", "e2", "e3", "f", "h", "i", "k"]
                    for (id, mark) in stringList(x.value, "rules.fdp.disable") {
                        if known.contains(id) { r.disableFDP.append(id) } else {
                            error(mark, "unknown FDP rule \"\(id)\"\(didYouMean(id, among: known)); rules: \(known.joined(separator: ", ")) (734.9(e)(1) is e1)")
                        }
                    }
                }
            default: break
            }
        }
    }

    mutating func readParameters(_ node: Node, into p: inout AnalysisParameters) {
        guard let entries = mapping(node, "parameters") else { return }
        checkKeys(entries, allowed: ["window", "max_hops", "min_quantity"], in: "parameters")
        for e in entries {
            switch e.key {
            case "window": if let v = integer(e.value, "window", range: 0...3650) { p.window = v }
            case "max_hops": if let v = integer(e.value, "max_hops", range: 2...12) { p.maxHops = v }
            case "min_quantity": if let v = number(e.value, "min_quantity"), v >= 0 { p.minimumQuantity = v }
            default: break
            }
        }
    }

    mutating func alertPattern(_ node: Node, _ what: String) -> Expectation.AlertPattern? {
        guard let f = mapping(node, what) else { return nil }
        checkKeys(f, allowed: ["parties", "kind", "min_severity", "basis"], in: what)
        var p = Expectation.AlertPattern(parties: [], kind: nil, minimumSeverity: nil, basis: nil)
        for x in f {
            switch x.key {
            case "parties":
                for (id, mark) in stringList(x.value, "parties") {
                    p.parties.append(id)
                    partyReferences.append((id, mark?.line ?? 1, mark?.column ?? 1))
                }
            case "kind":
                if let s = string(x.value, "kind") {
                    p.kind = AlertKind(rawValue: s)
                    if p.kind == nil { error(x.value.mark, "unknown alert kind \"\(s)\"; kinds: diversion-path, unlicensed-direct, diversion-lead") }
                }
            case "min_severity":
                if let s = string(x.value, "min_severity") {
                    p.minimumSeverity = Severity(rawValue: s)
                    if p.minimumSeverity == nil { error(x.value.mark, "unknown severity \"\(s)\"\(didYouMean(s, among: Severity.allCases.map(\.rawValue))); severities: low, medium, high, critical") }
                }
            case "basis": p.basis = string(x.value, "basis")
            default: break
            }
        }
        return p
    }

    mutating func readExpectations(_ node: Node) -> [Expectation] {
        guard let entries = mapping(node, "expect") else { return [] }
        checkKeys(entries, allowed: ["alerts", "no_alerts", "alert_count", "determinations"], in: "expect")
        var out: [Expectation] = []
        for e in entries {
            switch e.key {
            case "alert_count":
                if let n = integer(e.value, "alert_count", range: 0...1_000_000) { out.append(.alertCount(n, line: e.value.mark?.line ?? 1)) }
            case "alerts", "no_alerts":
                for item in list(e.value, "expect.\(e.key)") ?? [] {
                    guard let p = alertPattern(item, "each entry of expect.\(e.key)") else { continue }
                    out.append(e.key == "alerts" ? .alert(p, line: item.mark?.line ?? 1) : .noAlert(p, line: item.mark?.line ?? 1))
                }
            case "determinations":
                for item in list(e.value, "expect.determinations") ?? [] {
                    guard let f = mapping(item, "each determination") else { continue }
                    checkKeys(f, allowed: ["item", "to", "date", "consignee", "subject", "basis", "license_required"], in: "expect.determinations")
                    var itemID: String?, to: CountryCode?, day: Day?, consignee: String?, subject: Bool?, basis: String?, license: Bool?
                    for x in f {
                        switch x.key {
                        case "item":
                            itemID = string(x.value, "item")
                            if let i = itemID { itemReferences.append((i, x.value.mark?.line ?? 1, x.value.mark?.column ?? 1)) }
                        case "to": if let s = string(x.value, "to") { to = country(s, x.value.mark) }
                        case "date": day = date(x.value, "date")
                        case "consignee":
                            consignee = string(x.value, "consignee")
                            if let c = consignee { partyReferences.append((c, x.value.mark?.line ?? 1, x.value.mark?.column ?? 1)) }
                        case "subject": subject = bool(x.value, "subject")
                        case "basis": basis = string(x.value, "basis")
                        case "license_required": license = bool(x.value, "license_required")
                        default: break
                        }
                    }
                    for (k, v) in [("item", itemID as Any?), ("to", to as Any?), ("date", day as Any?), ("subject", subject as Any?)] where v == nil {
                        if !f.contains(where: { $0.key == k }) { error(item.mark, "expect.determinations: missing \"\(k)\"") }
                    }
                    if let itemID, let to, let day, let subject {
                        out.append(.determination(.init(item: itemID, destination: to, date: day, consignee: consignee, isSubject: subject,
                                                        basis: basis, licenseRequired: license), line: item.mark?.line ?? 1))
                    }
                }
            default: break
            }
        }
        return out
    }
}
