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
