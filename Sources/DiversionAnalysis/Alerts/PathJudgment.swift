import DiversionGraph
import DiversionRules

/// One hop of a path judged against where the goods were really going.
public struct HopJudgment: Sendable {
    /// The shipment's position in the graph.
    public var shipment: Int
    public var determination: Determination
    /// Subject to the EAR, a license required for where the goods were going, and none recorded (empty or
    /// `NLR`).
    public var isViolation: Bool
}

/// A diversion path judged as a whole: each hop's item under the rules of the hop's date, against its own
/// consignee and against the path's final destination and final party (and, for an item built into the
/// next hop's item, under the incorporation prong of the FDP rules).
///
/// - A path is a **violation** when some hop is one; the hop named is the last when it is one (the shipment
///   into the Tier-3 party), else the earliest.
/// - It is a **lead** when no hop is a violation but some hop's answer turns on a fact the data does not hold
///   (``OpenQuestion``): missing provenance, ECCN or value.
/// - Otherwise the data positively shows no basis, and the path is **clear**.
public struct PathJudgment: Sendable {
    public enum Verdict: Sendable, Hashable { case violation(hop: Int), lead, clear }
    public var hops: [HopJudgment]
    public var verdict: Verdict

    /// The open questions of every hop, with the hop's index.
    public var openQuestions: [(hop: Int, question: OpenQuestion)] {
        hops.enumerated().flatMap { i, h in (h.determination.openQuestions ?? []).map { (i, $0) } }
    }
}

extension PathJudgment {
    /// Judges the shipments at `path` (graph positions, in path order) as one path.
    public static func judge(_ path: [Int], graph: ShipmentGraph, rules: RuleBook, asOf: Day? = nil) -> PathJudgment {
        let memo = DeterminationMemo(engine: JurisdictionEngine(rules: rules, graph: graph), asOf: asOf)
        return PathJudge(graph: graph, asOf: asOf, memo: memo).judge(path)
    }

    /// Why `path` is not a path: the first hop that does not leave from where the one before went, or goes back
    /// in time; `nil` when every hop follows the one before.
    public static func discontinuity(_ path: [Int], graph: ShipmentGraph) -> String? {
        guard !path.isEmpty else { return "a path needs at least one shipment" }
        for i in 1..<path.count {
            let a = path[i - 1], b = path[i]
            if graph.shipper(of: b) != graph.shipmentTo[a] {
                return "shipment \(graph.shipmentID(b)) leaves from \(graph.entityID(graph.shipper(of: b))), not from \(graph.entityID(graph.shipmentTo[a])), where shipment \(graph.shipmentID(a)) went: each hop must leave from the previous hop's consignee"
            }
            if graph.shipmentDay[b] < graph.shipmentDay[a] {
                return "shipment \(graph.shipmentID(b)) (\(graph.day(b))) is dated before shipment \(graph.shipmentID(a)) (\(graph.day(a))): a path runs forward in time"
            }
        }
        return nil
    }

    /// The verdict in words: `violation at hop 2 (shipment h2)`, `lead`, `clear`.
    public func verdictText(graph: ShipmentGraph) -> String {
        switch verdict {
        case .violation(let h): return "VIOLATION at hop \(h + 1) (shipment \(graph.shipmentID(hops[h].shipment)))"
        case .lead: return "LEAD: no hop is established as a violation; facts the data lacks decide"
        case .clear: return "CLEAR: no hop is a violation and the data lacks no fact that would decide otherwise"
        }
    }

    /// The path-level chain of reasoning, hop by hop: each hop's determination against where the goods were
    /// going, with its steps and citations.
    public func text(graph: ShipmentGraph) -> String {
        let last = hops[hops.count - 1].shipment
        let final = graph.shipmentTo[last]
        var lines = ["path: " + hops.map { graph.shipmentID($0.shipment) }.joined(separator: " → ")
                     + " (" + ([graph.entityID(graph.shipper(of: hops[0].shipment))] + hops.map { graph.entityID(graph.shipmentTo[$0.shipment]) }).joined(separator: " → ") + ")",
                     "the goods went on to \(graph.entityID(final)) in \(graph.entityCountry[Int(final)].name) (\(graph.entityCountry[Int(final)].code)); each hop is judged under its date's rules against that end as well as against its own consignee",
                     "verdict: " + verdictText(graph: graph)]
        for (i, h) in hops.enumerated() {
            let d = h.determination
            let verdict = h.isViolation ? "VIOLATION"
                : d.isSubjectToEAR ? (d.licenseRequired ? "subject, license recorded" : "subject, no license required")
                : d.openQuestions != nil ? "not subject on the data given; open questions" : "not subject"
            lines.append("")
            lines.append("hop \(i + 1) of \(hops.count): shipment \(graph.shipmentID(h.shipment)) (license field: \(graph.licenses[h.shipment].map { "\"\($0)\"" } ?? "none")): \(verdict)")
            lines.append(d.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }
}

/// One missing fact of a path (its kind and item), with every hop it decides and every paragraph it decides,
/// the question as first asked.
public struct GroupedQuestion: Sendable, Hashable {
    public var question: OpenQuestion
    public var hops: [Int]
    public var decides: [String]
    /// "provenance of srv-20".
    public var label: String { "\(question.fact.rawValue) of \(question.item)" }
}

/// The open questions of a path, one per missing fact, in the order they first arise.
public func groupOpenQuestions(_ list: [(hop: Int, question: OpenQuestion)]) -> [GroupedQuestion] {
    var out: [GroupedQuestion] = []
    var index: [String: Int] = [:]
    for (hop, q) in list {
        let key = "\(q.fact.rawValue)|\(q.item)"
        if let k = index[key] {
            out[k].hops.append(hop)
            for d in q.decides where !out[k].decides.contains(d) { out[k].decides.append(d) }
        } else {
            index[key] = out.count
            out.append(GroupedQuestion(question: q, hops: [hop], decides: q.decides))
        }
    }
    return out
}

extension Alert {
    /// The alert's open questions (a lead's), one per missing fact, with its hops (1-based).
    public var openQuestionGroups: [GroupedQuestion] {
        groupOpenQuestions((hops ?? []).flatMap { h in (h.openQuestions ?? []).map { (h.hop, $0) } })
    }
}

/// Judges whole paths, memoizing determinations by the question each hop poses.
struct PathJudge: Sendable {
    let graph: ShipmentGraph
    let asOf: Day?
    let memo: DeterminationMemo

    /// The question hop `i` of `path` poses: its item to its consignee on its date, and, before the last hop,
    /// where the goods went in the end (the last consignee, in the last hop's item).
    func query(_ i: Int, of path: [Int]) -> TransactionQuery {
        var q = TransactionQuery.forShipment(at: path[i], in: graph)
        q.recordedLicense = nil
        if let a = asOf { q.date = a }
        if i < path.count - 1 {
            let last = path[path.count - 1]
            let final = graph.shipmentTo[last]
            let finalItem = graph.shipmentItem[last]
            q.onward = Onward(destination: graph.entityCountry[Int(final)], party: final,
                              arrivesIn: finalItem == q.item ? nil : finalItem)
        }
        return q
    }

    func judge(_ path: [Int]) -> PathJudgment {
        var hops: [HopJudgment] = []
        for i in path.indices {
            let d = memo.determine(query(i, of: path))
            let violation = d.isSubjectToEAR && d.licenseRequired && isNoLicense(graph.licenses[path[i]])
            hops.append(HopJudgment(shipment: path[i], determination: d, isViolation: violation))
        }
        let verdict: PathJudgment.Verdict
        if hops.last!.isViolation {
            verdict = .violation(hop: hops.count - 1)
        } else if let i = hops.firstIndex(where: \.isViolation) {
            verdict = .violation(hop: i)
        } else if hops.contains(where: { $0.determination.openQuestions != nil }) {
            verdict = .lead
        } else {
            verdict = .clear
        }
        return PathJudgment(hops: hops, verdict: verdict)
    }
}
