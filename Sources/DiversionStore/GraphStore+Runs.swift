import DiversionAnalysis
import DiversionGraph
import DiversionRules
import Foundation
import GRDB

/// An analyst's decision on an alert.
public struct AlertDecision: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Codable { case confirmed, dismissed }
    public var alertID: String
    public var verdict: Verdict
    public var note: String
    /// The evidence digest of the alert when the decision was made.
    public var evidenceDigest: String
    public var decidedAt: String
}

/// What a stored run was.
public struct RunRecord: Sendable, Codable {
    public var id: Int64
    public var graph: String
    public var kind: String
    public var parameters: String
    public var rules: String
    public var inputDigest: String
    public var startedAt: String
    public var seconds: Double
    public var alertCount: Int
}

extension GraphStore {
    /// Stores a run and its alerts in one transaction; returns the run id.
    @discardableResult
    public func recordRun(graph: String, kind: String, parameters: String, rules: String, inputDigest: String,
                          startedAt: Date, seconds: Double, alerts: [Alert]) throws -> Int64 {
        try queue.write { db in
            let graphID = try Int64.fetchOne(db, sql: "SELECT id FROM graph WHERE name = ?", arguments: [graph])
            try db.execute(sql: """
                INSERT INTO run (graph_id, graph_name, kind, parameters, rules, input_digest, started_at, seconds, alert_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [graphID, graph, kind, parameters, rules, inputDigest,
                                 ISO8601DateFormatter().string(from: startedAt), seconds, alerts.count])
            let run = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: "INSERT INTO alert VALUES (?, ?, ?, ?, ?, ?, ?)")
            for a in alerts {
                try insert.execute(arguments: [run, a.id, a.kind.rawValue, a.severity.rawValue, a.score, a.evidenceDigest,
                                               try encodeJSON(a, pretty: false)])
            }
            return run
        }
    }

    /// The latest decision on each alert id.
    public func decisions() throws -> [String: AlertDecision] {
        try queue.read { db in
            var out: [String: AlertDecision] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT alert_id, verdict, note, evidence_digest, decided_at FROM decision ORDER BY id") {
                out[r[0]] = AlertDecision(alertID: r[0], verdict: AlertDecision.Verdict(rawValue: r[1]) ?? .confirmed,
                                          note: r[2], evidenceDigest: r[3], decidedAt: r[4])
            }
            return out
        }
    }

    /// Records a decision on the most recent version of an alert.
    public func decide(alert id: String, verdict: AlertDecision.Verdict, note: String) throws -> AlertDecision {
        try queue.write { db in
            guard let digest = try String.fetchOne(db, sql: "SELECT evidence_digest FROM alert WHERE alert_id = ? ORDER BY run_id DESC LIMIT 1", arguments: [id]) else {
                throw StoreError.noAlert(id)
            }
            let now = ISO8601DateFormatter().string(from: Date())
            try db.execute(sql: "INSERT INTO decision (alert_id, verdict, note, evidence_digest, decided_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, verdict.rawValue, note, digest, now])
            return AlertDecision(alertID: id, verdict: verdict, note: note, evidenceDigest: digest, decidedAt: now)
        }
    }

    /// The most recent stored version of an alert, with the run it came from.
    public func alert(id: String) throws -> (alert: Alert, run: RunRecord) {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.body, r.id, r.graph_name, r.kind, r.parameters, r.rules, r.input_digest, r.started_at, r.seconds, r.alert_count
                FROM alert a JOIN run r ON r.id = a.run_id WHERE a.alert_id = ? ORDER BY a.run_id DESC LIMIT 1
                """, arguments: [id]) else { throw StoreError.noAlert(id) }
            let alert = try JSONDecoder().decode(Alert.self, from: Data((row[0] as String).utf8))
            return (alert, RunRecord(id: row[1], graph: row[2], kind: row[3], parameters: row[4], rules: row[5],
                                     inputDigest: row[6], startedAt: row[7], seconds: row[8], alertCount: row[9]))
        }
    }

    /// The digest of the graph's input as imported.
    public func inputDigest(graph name: String) throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT digest FROM graph WHERE name = ?", arguments: [name]) ?? "" }
    }
}

/// Applies analysts' decisions to a fresh alert list: a dismissed alert whose evidence is unchanged is held
/// back; every other decided alert carries its decision.
public func applyDecisions(_ alerts: [Alert], _ decisions: [String: AlertDecision]) -> (shown: [Alert], suppressed: [Alert]) {
    var shown: [Alert] = [], suppressed: [Alert] = []
    for var a in alerts {
        guard let d = decisions[a.id] else { shown.append(a); continue }
        switch d.verdict {
        case .dismissed where d.evidenceDigest == a.evidenceDigest:
            a.decision = "dismissed on \(d.decidedAt): \(d.note)"
            suppressed.append(a)
        case .dismissed:
            a.decision = "dismissed on \(d.decidedAt) (\(d.note)); raised again because its evidence changed"
            shown.append(a)
        case .confirmed:
            a.decision = "confirmed on \(d.decidedAt): \(d.note)"
            shown.append(a)
        }
    }
    return (shown, suppressed)
}
