import DiversionAnalysis
import DiversionGraph
import DiversionRules
import Foundation

/// What changes between two scenarios over the same graph: alerts that appear, disappear or change
/// severity, and determinations that change, each with the rule difference that caused it.
public struct ScenarioDiff: Sendable, Codable {
    public struct AlertChange: Sendable, Codable, Hashable {
        public var change: String  // "appears", "disappears", "severity", "evidence"
        public var id: String
        public var path: [String]
        public var before: String?
        public var after: String?
        public var cause: String
    }
    public struct DeterminationChange: Sendable, Codable, Hashable {
        public var shipment: String
        public var item: String
        public var destination: String
        public var date: String
        public var before: String
        public var after: String
        public var cause: String
    }
    public var baseline: String
    public var candidate: String
    public var ruleDifferences: [String]
    public var alerts: [AlertChange]
    public var determinations: [DeterminationChange]
    public var moreDeterminations: Int

    /// Compares two results whose scenarios load the same graphs.
    public static func compare(_ a: ScenarioResult, _ b: ScenarioResult, limit: Int = 200) -> ScenarioDiff {
        let ra = a.scenario.rules, rb = b.scenario.rules
        let sa = Set(ra.summary), sb = Set(rb.summary)
        var differences = ra.summary.filter { !sb.contains($0) }.map { "\(a.scenario.name): \($0)" }
            + rb.summary.filter { !sa.contains($0) }.map { "\(b.scenario.name): \($0)" }
        if ra.asOf == nil && rb.asOf != nil { differences.insert("\(a.scenario.name): each shipment under its own date's rules", at: 0) }
        if rb.asOf == nil && ra.asOf != nil { differences.append("\(b.scenario.name): each shipment under its own date's rules") }
        let pa = a.scenario.parameters, pb = b.scenario.parameters
        if pa.window != pb.window { differences.append("window \(pa.window) → \(pb.window) days") }
        if pa.maxHops != pb.maxHops { differences.append("max hops \(pa.maxHops) → \(pb.maxHops)") }
        if pa.minimumQuantity != pb.minimumQuantity { differences.append("minimum quantity \(formatDecimal(pa.minimumQuantity)) → \(formatDecimal(pb.minimumQuantity))") }

        let g = b.graph
        let engineA = JurisdictionEngine(rules: a.rules, graph: a.graph)
        let engineB = JurisdictionEngine(rules: b.rules, graph: g)

        func cause(countries: Set<String>, parties: Set<String>, versionA: String?, versionB: String?, basis: [String]) -> String {
            var reasons: [String] = []
            if let va = versionA, let vb = versionB, va != vb {
                let title = b.rules.version(id: vb)?.title ?? ""
                reasons.append("rules of \(va) → \(vb) (\(title))")
            }
            let overrideLines = (ra.summary + rb.summary).filter { line in
                countries.contains { line.contains($0) } || parties.contains { line.contains($0) }
            }
            for l in Set(overrideLines).sorted() where !reasons.contains(l) { reasons.append(l) }
            if basis.contains(where: { $0.hasPrefix("734.4") }) {
                for l in (ra.summary + rb.summary) where l.hasPrefix("de minimis") && !reasons.contains(l) { reasons.append(l) }
            }
            if reasons.isEmpty { reasons = differences.isEmpty ? ["no rule difference; the graphs differ"] : differences }
            return reasons.joined(separator: "; ")
        }

        // Alerts.
        var alertChanges: [AlertChange] = []
        let byA = Dictionary(a.alerts.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let byB = Dictionary(b.alerts.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        func alertCause(_ alert: Alert) -> String {
            let countries = Set(alert.path.map(\.country))
            let parties = Set(alert.path.map(\.id))
            let t = alert.jurisdiction.shipment
            var va: String?, vb: String?
            if let pos = g.shipment(named: t) {
                va = a.rules.version(on: ra.asOf ?? g.day(pos)).version.id
                vb = b.rules.version(on: rb.asOf ?? g.day(pos)).version.id
            }
            return cause(countries: countries, parties: parties, versionA: va, versionB: vb, basis: alert.jurisdiction.bases.map(\.paragraph))
        }
        for x in a.alerts where byB[x.id] == nil {
            alertChanges.append(AlertChange(change: "disappears", id: x.id, path: x.path.map(\.id), before: x.severity.rawValue, after: nil, cause: alertCause(x)))
        }
        for y in b.alerts {
            if let x = byA[y.id] {
                if x.severity != y.severity {
                    alertChanges.append(AlertChange(change: "severity", id: y.id, path: y.path.map(\.id), before: x.severity.rawValue, after: y.severity.rawValue, cause: alertCause(y)))
                } else if x.evidenceDigest != y.evidenceDigest {
                    func shape(_ a: Alert) -> String { "\(a.variants.count + a.moreVariants) variant\(a.variants.count + a.moreVariants == 1 ? "" : "s"), shipments \(a.evidence.map(\.id).joined(separator: " "))" }
                    alertChanges.append(AlertChange(change: "evidence", id: y.id, path: y.path.map(\.id), before: shape(x), after: shape(y), cause: alertCause(y)))
                }
            } else {
                alertChanges.append(AlertChange(change: "appears", id: y.id, path: y.path.map(\.id), before: nil, after: y.severity.rawValue, cause: alertCause(y)))
            }
        }
        alertChanges.sort { ($0.change, $0.id) < ($1.change, $1.id) }

        // Determinations of every shipment of watched goods, and of every shipment either side alerted on.
        let watch = ItemContainment(graph: g, watch: pb.watch)
        var positions = Set((0..<g.shipmentCount).filter { watch.carriesWatched[Int(g.shipmentItem[$0])] })
        for al in a.alerts + b.alerts { for e in al.evidence { if let p = g.shipment(named: e.id) { positions.insert(p) } } }
        func verdict(_ d: Determination) -> String {
            (d.isSubjectToEAR ? "subject (\(d.bases.map(\.paragraph).joined(separator: ", ")))" : "not subject")
                + (d.licenseRequired ? "; license required (\(d.licenseReasons.map(\.paragraph).joined(separator: ", ")))" : "; no license required")
        }
        var changes: [DeterminationChange] = []
        var more = 0
        for p in positions.sorted(by: { (g.shipmentDay[$0], g.shipmentID($0)) < (g.shipmentDay[$1], g.shipmentID($1)) }) {
            var qa = TransactionQuery.forShipment(at: p, in: g), qb = qa
            qa.recordedLicense = nil; qb.recordedLicense = nil
            if let d = ra.asOf { qa.date = d }
            if let d = rb.asOf { qb.date = d }
            let da = engineA.determine(qa), db = engineB.determine(qb)
            guard da.isSubjectToEAR != db.isSubjectToEAR || da.licenseRequired != db.licenseRequired
                    || da.bases.map(\.paragraph) != db.bases.map(\.paragraph) else { continue }
            if changes.count >= limit { more += 1; continue }
            let to = g.shipmentTo[p]
            changes.append(DeterminationChange(
                shipment: g.shipmentID(p), item: g.itemID(g.shipmentItem[p]), destination: g.entityCountry[Int(to)].code,
                date: g.day(p).description, before: verdict(da), after: verdict(db),
                cause: cause(countries: [g.entityCountry[Int(to)].code], parties: [g.entityID(to)], versionA: da.ruleVersion,
                             versionB: db.ruleVersion, basis: (da.bases + db.bases).map(\.paragraph))))
        }
        return ScenarioDiff(baseline: a.scenario.name, candidate: b.scenario.name, ruleDifferences: differences,
                            alerts: alertChanges, determinations: changes, moreDeterminations: more)
    }

    public var text: String {
        var lines = ["scenario diff: \(baseline) → \(candidate)", "", "rule differences:"]
        lines += ruleDifferences.isEmpty ? ["  (none)"] : ruleDifferences.map { "  - \($0)" }
        lines += ["", "alerts: \(alerts.filter { $0.change == "appears" }.count) appear, \(alerts.filter { $0.change == "disappears" }.count) disappear, \(alerts.filter { $0.change == "severity" }.count) change severity, \(alerts.filter { $0.change == "evidence" }.count) change evidence"]
        for c in alerts {
            let mark = c.change == "appears" ? "+" : c.change == "disappears" ? "-" : "~"
            let sev = c.change == "severity" || c.change == "evidence" ? "\(c.before!) → \(c.after!)" : (c.after ?? c.before ?? "")
            lines.append("  \(mark) \(c.id) \(sev) [\(c.path.joined(separator: " > "))]")
            lines.append("      because: \(c.cause)")
        }
        lines += ["", "determinations: \(determinations.count + moreDeterminations) change"]
        for d in determinations {
            lines.append("  shipment \(d.shipment) (\(d.item) → \(d.destination), \(d.date)):")
            lines.append("      before: \(d.before)")
            lines.append("      after:  \(d.after)")
            lines.append("      because: \(d.cause)")
        }
        if moreDeterminations > 0 { lines.append("  … and \(moreDeterminations) more") }
        return lines.joined(separator: "\n") + "\n"
    }
}
