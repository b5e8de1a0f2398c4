import Foundation
import DiversionGraph
import DiversionRules

/// Turns found paths into alerts: groups overlapping paths into schemes, fires red flags, scores, and writes
/// the evidence and the reasoning.
final class AlertBuilder: Sendable {
    let graph: ShipmentGraph
    let rules: RuleBook
    let parameters: AnalysisParameters
    let redFlags: RedFlagCatalogue
    let tiers: PartyTiers
    let containment: ItemContainment
    /// Watched units each party received and sent, by day, built for the parties alerts name.
    let volumes = PartyVolumes()

    init(graph: ShipmentGraph, rules: RuleBook, parameters: AnalysisParameters, redFlags: RedFlagCatalogue,
         tiers: PartyTiers, containment: ItemContainment) {
        self.graph = graph; self.rules = rules; self.parameters = parameters; self.redFlags = redFlags
        self.tiers = tiers; self.containment = containment
    }

    func ruleDay(_ p: Int) -> Day { parameters.asOf ?? graph.day(p) }

    // MARK: grouping

    /// Groups paths into schemes (paths that share a shipment, or run from the same supplier through the same
    /// first consignee to the same final party) and builds one alert per scheme, the schemes shared between
    /// `threads` workers (the alerts come back in scheme order whatever the number of threads).
    func alerts(_ paths: [DiversionPath], kind: AlertKind, determination: DeterminationMemo, judge: PathJudge,
                threads: Int) -> [Alert] {
        guard !paths.isEmpty else { return [] }
        var parent = Array(0..<paths.count)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        func union(_ i: Int, _ j: Int) { let a = find(i), b = find(j); if a != b { parent[max(a, b)] = min(a, b) } }
        var owner: [Int: Int] = [:]
        var ends: [String: Int] = [:]
        for (i, p) in paths.enumerated() {
            for s in p.shipments { if let j = owner[s] { union(i, j) } else { owner[s] = i } }
            let key = endsKey(p)
            if let j = ends[key] { union(i, j) } else { ends[key] = i }
        }
        var groups: [Int: [DiversionPath]] = [:]
        for i in paths.indices { groups[find(i), default: []].append(paths[i]) }
        let schemes = groups.keys.sorted().map { groups[$0]! }
        let workers = max(1, min(threads, schemes.count))
        let results = ParallelResults<[(Int, Alert)]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            results.set(w, stride(from: w, to: schemes.count, by: workers).map {
                ($0, schemeAlert(schemes[$0], kind: kind, determination: determination.callAsFunction, judge: judge))
            })
        }
        return results.values.flatMap { $0 }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Supplier, first consignee and final party: paths that agree on all three are one scheme.
    func endsKey(_ p: DiversionPath) -> String {
        let s = p.shipments
        return "\(graph.entityID(graph.shipper(of: s[0])))>\(graph.entityID(graph.shipmentTo[s[0]]))>\(graph.entityID(graph.shipmentTo[s.last!]))"
    }

    func schemeAlert(_ all: [DiversionPath], kind: AlertKind, determination: (Int) -> Determination,
                     judge: PathJudge) -> Alert {
        let ids = { (p: DiversionPath) in p.shipments.map { self.graph.shipmentID($0) } }
        // A variant that is the start of a longer one adds nothing.
        var starts = Set<ArraySlice<Int>>()
        for q in all where q.shipments.count > 1 {
            for k in 1..<q.shipments.count { starts.insert(q.shipments.prefix(k)) }
        }
        let group = all.filter { !starts.contains($0.shipments[...]) }
        let groupIDs = group.map(ids)
        let variants = group.indices.sorted { i, j in
            let a = group[i], b = group[j]
            if a.tracedWatchedUnits != b.tracedWatchedUnits { return a.tracedWatchedUnits > b.tracedWatchedUnits }
            if a.shipments.count != b.shipments.count { return a.shipments.count > b.shipments.count }
            return groupIDs[i].lexicographicallyPrecedes(groupIDs[j])
        }.map { group[$0] }
        let primary = variants[0]
        let terminal = primary.shipments.last!
        var d = determination(terminal)
        // The hop that carries the violation: the last shipment when it needed a license and records none;
        // when the last shipment is not subject, the path judged as a whole names it (or, for a lead, the
        // facts that would decide).
        var judged: PathJudgment?
        var violationHop: Int?
        var judgedShipment = terminal
        if kind == .diversionLead || (kind == .diversionPath && !d.isSubjectToEAR) {
            let j = judge.judge(primary.shipments)
            judged = j
            if case .violation(let h) = j.verdict {
                violationHop = h
                d = j.hops[h].determination
                judgedShipment = primary.shipments[h]
            }
        } else if kind != .diversionLead, d.licenseRequired, isNoLicense(graph.licenses[terminal]) {
            violationHop = primary.shipments.count - 1
        }
        let allShipments = Set(group.flatMap(\.shipments)).sorted { (graph.shipmentDay[$0], graph.shipmentID($0)) < (graph.shipmentDay[$1], graph.shipmentID($1)) }
        let signals = self.signals(group, terminal: terminal, licensed: judgedShipment, determination: d)
        var score = min(100, redFlags.baseScore + signals.reduce(0) { $0 + $1.weight })
        if kind == .diversionLead { score = (score * redFlags.leadScale * 100).rounded() / 100 }
        let kept = Array(variants.prefix(parameters.maxVariantsPerAlert))
        let partiesOf = { (p: DiversionPath) -> [Int32] in [self.graph.shipper(of: p.shipments[0])] + p.shipments.map { self.graph.shipmentTo[$0] } }
        let canonical = group.map(endsKey).min()!
        var reasoning = self.reasoning(primary, determination: d, judged: judged, signals: signals)
        if kind == .unlicensedDirect {
            reasoning.insert("No Tier-2 intermediary stands between the supplier and the Tier-3 party; each shipment below needed a license and records none.", at: 0)
        }
        return Alert(
            id: "\(kind.rawValue)|" + canonical, kind: kind, severity: redFlags.severity(for: score), score: score,
            signals: signals, path: partiesOf(primary).enumerated().map { party($1, day: ruleDay(primary.shipments[max(0, $0 - 1)])) },
            variants: kept.map { Variant(shipments: ids($0), parties: partiesOf($0).map { graph.entityID($0) },
                                         tracedQuantity: round2($0.tracedQuantity), tracedWatchedUnits: round2($0.tracedWatchedUnits)) },
            moreVariants: variants.count - kept.count, tracedQuantity: round2(primary.tracedQuantity),
            tracedWatchedUnits: round2(primary.tracedWatchedUnits), evidence: allShipments.map(evidence),
            jurisdiction: summary(d, shipment: judgedShipment),
            violationHop: violationHop.map { $0 + 1 }, hops: judged.map(hopVerdicts), reasoning: reasoning,
            evidenceDigest: digest(allShipments), decision: nil)
    }

    /// Replaces the canonical keys with short stable ids; keys that repeat get -2, -3 … in evidence order.
    static func assignIDs(_ alerts: [Alert]) -> [Alert] {
        var seen: [String: Int] = [:]
        let ordered = alerts.enumerated().sorted { a, b in
            (a.element.id, a.element.evidence.first?.date ?? "", a.element.evidence.first?.id ?? "") <
                (b.element.id, b.element.evidence.first?.date ?? "", b.element.evidence.first?.id ?? "")
        }
        var out = alerts
        for (i, a) in ordered {
            let n = (seen[a.id] ?? 0) + 1
            seen[a.id] = n
            let key = n == 1 ? a.id : "\(a.id)#\(n)"
            let prefix = a.kind == .diversionPath ? "DP-" : a.kind == .diversionLead ? "DL-" : "UD-"
            out[i].id = prefix + String(InputDigest.of(bytes: Array(key.utf8)).prefix(12))
        }
        return out
    }

    // MARK: pieces

    func watchedPerUnit(_ item: Int32) -> Double {
        containment.contents[Int(item)].reduce(0) { $0 + (containment.isWatched[Int($1.item)] ? $1.units : 0) }
    }

    func party(_ e: Int32, day: Day) -> PathParty {
        let reasons = tiers.tier3Reasons(e, on: day)
        return PathParty(id: graph.entityID(e), name: graph.entityNames[e], country: graph.entityCountry[Int(e)].code,
                         tier: reasons.isEmpty ? tiers.countryTier(e, on: day).rawValue : 3,
                         role: graph.entityRole[Int(e)]?.rawValue, tier3: reasons.map(\.rawValue))
    }

    func evidence(_ p: Int) -> Evidence {
        let s = graph.shipmentRecord(p)
        return Evidence(id: s.id, date: s.date.description, from: s.from, to: s.to, item: s.item, quantity: s.quantity,
                        value: s.value, reference: s.reference, license: s.license, declaredEndUser: s.declaredEndUser)
    }

    func digest(_ shipments: [Int]) -> String {
        let text = shipments.map { "\(graph.shipmentID($0)):\(formatDecimal(graph.shipmentQuantity[$0]))" }.sorted().joined(separator: ",")
        return String(InputDigest.of(bytes: Array(text.utf8)).prefix(16))
    }

    func summary(_ d: Determination, shipment: Int) -> JurisdictionSummary {
        JurisdictionSummary(
            shipment: graph.shipmentID(shipment), item: d.item, eccn: d.eccn, destination: d.destination,
            ruleVersion: d.ruleVersion, isSubjectToEAR: d.isSubjectToEAR,
            bases: d.bases.map { .init(paragraph: $0.paragraph, kind: $0.kind.rawValue, summary: $0.summary) },
            licenseRequired: d.licenseRequired,
            licenseReasons: d.licenseReasons.map { .init(paragraph: $0.paragraph, reason: $0.reason) },
            assumptions: d.assumptions.map(\.id), citations: d.citations.map { "15 CFR \($0)" })
    }

    func describeParty(_ e: Int32, day: Day) -> String {
        let p = party(e, day: day)
        return "\(p.id) (\(graph.entityCountry[Int(e)].name), Tier \(p.tier)\(p.role.map { ", \($0)" } ?? ""))"
    }

    func hopSentence(_ s: Int, index: Int) -> String {
        let r = graph.shipmentRecord(s)
        let from = graph.shipper(of: s), to = graph.shipmentTo[s]
        var text = "On \(r.date) \(describeParty(to, day: ruleDay(s))) received \(formatDecimal(r.quantity)) units of \(r.item) from \(describeParty(from, day: ruleDay(s))) [shipment \(r.id)"
        if let ref = r.reference { text += ", \(ref)" }
        text += "]"
        if let v = r.value { text += ", declared at $\(formatDecimal(v))" }
        if let u = r.declaredEndUser { text += "; the paperwork names \(u) as end user" }
        if let l = r.license { text += "; license field \"\(l)\"" }
        return text + "."
    }

    func jurisdictionSentence(_ d: Determination) -> String {
        if !d.isSubjectToEAR { return "Jurisdiction: \(d.item) to \(d.destination) on \(d.date) is not subject to the EAR (rules of \(d.ruleVersion))." }
        let bases = d.bases.map { "\($0.summary) [15 CFR \($0.paragraph)]" }.joined(separator: "; ")
        let license = d.licenseRequired
            ? "a license is required: " + d.licenseReasons.map { "\($0.reason) [15 CFR \($0.paragraph)]" }.joined(separator: "; ")
            : "no license requirement applies"
        return "Jurisdiction: \(d.item) (\(d.eccn ?? "unclassified")) to \(d.destination) on \(d.date), rules of \(d.ruleVersion): subject to the EAR because \(bases); \(license)."
    }

    /// The hop-by-hop verdicts of a path judged as a whole.
    func hopVerdicts(_ j: PathJudgment) -> [HopVerdict] {
        j.hops.enumerated().map { i, h in
            let d = h.determination
            let verdict: String
            if h.isViolation { verdict = "violation" }
            else if d.isSubjectToEAR { verdict = d.licenseRequired ? "subject-licensed" : "subject-no-license" }
            else { verdict = d.openQuestions == nil ? "not-subject" : "open" }
            return HopVerdict(hop: i + 1, shipment: graph.shipmentID(h.shipment), item: d.item, eccn: d.eccn,
                              verdict: verdict, citations: d.citations.map { "15 CFR \($0)" },
                              openQuestions: d.openQuestions)
        }
    }

    /// What a path judged as a whole says, in sentences: the hop that carries the violation and why the others
    /// do not change it, or, for a lead, what the data lacks and what it would decide.
    func pathSentences(_ j: PathJudgment, path: [Int]) -> [String] {
        let last = path[path.count - 1]
        let final = graph.shipmentTo[last]
        let whereTo = "\(graph.entityID(final)) in \(graph.entityCountry[Int(final)].name)"
        func hopName(_ i: Int) -> String {
            let s = path[i]
            return "hop \(i + 1) (shipment \(graph.shipmentID(s)), \(graph.itemID(graph.shipmentItem[s])) to \(graph.entityID(graph.shipmentTo[s])) on \(graph.day(s)))"
        }
        var lines = ["Path judgment: the last shipment alone is not subject to the EAR, so every hop is judged under the rules of its date against where the goods were going (\(whereTo)) as well as against its own consignee."]
        switch j.verdict {
        case .violation(let h):
            lines.append("The violation is \(hopName(h)): \(jurisdictionSentence(j.hops[h].determination).dropFirst("Jurisdiction: ".count))")
            for (i, hop) in j.hops.enumerated() where i != h {
                let d = hop.determination
                if hop.isViolation {
                    lines.append("\(capitalized(hopName(i))) is a violation too (\(d.citations.map { "15 CFR \($0)" }.joined(separator: ", "))).")
                } else if d.isSubjectToEAR {
                    lines.append("\(capitalized(hopName(i))) is subject to the EAR (\(d.bases.map { "15 CFR \($0.paragraph)" }.joined(separator: ", "))) \(d.licenseRequired ? "and records a license" : "and needed no license").")
                } else {
                    let why = i > h
                        ? "which does not matter: the violation was complete when hop \(h + 1) left with the goods bound for \(whereTo)"
                        : "which does not clear the later hop"
                    lines.append("\(capitalized(hopName(i))) is not subject to the EAR on the data given, \(why).")
                }
            }
        case .lead:
            lines.append("No hop is established as a violation on the data given, but the answer turns on facts the data does not hold; this is a lead, not a finding.")
            for (i, hop) in j.hops.enumerated() where hop.determination.isSubjectToEAR {
                let d = hop.determination
                lines.append("\(capitalized(hopName(i))) is subject to the EAR (\(d.bases.map { "15 CFR \($0.paragraph)" }.joined(separator: ", "))) but \(d.licenseRequired ? "records a license" : "needed no license for its own destination or, built into another item, for where that item went (U.S. content in a foreign-made item is the de minimis rule's to judge)").")
            }
            // One line per missing fact, at the hops it decides.
            for g in groupOpenQuestions(j.openQuestions) {
                let at = g.hops.count == 1 ? hopName(g.hops[0]) : "hops " + g.hops.map { String($0 + 1) }.joined(separator: ", ")
                lines.append("Open question at \(at): \(g.question.text).")
            }
        case .clear:
            lines.append("No hop is subject to the EAR and the data lacks no fact that would decide otherwise.")
        }
        return lines
    }

    func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    func reasoning(_ p: DiversionPath, determination d: Determination, judged: PathJudgment?, signals: [Signal]) -> [String] {
        var lines: [String] = []
        for (i, s) in p.shipments.enumerated() {
            lines.append(hopSentence(s, index: i))
            if i + 1 < p.shipments.count {
                let a = graph.shipmentItem[s], b = graph.shipmentItem[p.shipments[i + 1]]
                if a != b {
                    lines.append("\(graph.itemID(b)) holds \(formatDecimal(containment.units(of: a, in: b))) × \(graph.itemID(a)) per unit, so the goods continue in it.")
                }
            }
        }
        let last = p.shipments.last!, final = graph.shipmentTo[last]
        lines.append("\(graph.entityID(final)) is a Tier-3 party: \(tiers.describe(final, tiers.tier3Reasons(final, on: ruleDay(last)), on: ruleDay(last))).")
        let first = graph.shipmentItem[p.shipments[0]]
        lines.append("At most \(formatDecimal(round2(p.tracedQuantity))) units of \(graph.itemID(first)) (\(formatDecimal(round2(p.tracedWatchedUnits))) watched units) can have flowed along every hop, given each intermediary's stock from receipts within \(parameters.window) days (a lot can feed a later shipment while the stock never ran out in between, at most the lowest stock in between).")
        if let judged { lines += pathSentences(judged, path: p.shipments) } else { lines.append(jurisdictionSentence(d)) }
        for s in signals { lines.append("Red flag — \(s.title): \(s.detail).") }
        return lines
    }

    // MARK: red flags

    /// The red flags of a scheme; `d` is the determination of shipment `licensed` (the hop that carries the
    /// violation, or the last shipment).
    func signals(_ group: [DiversionPath], terminal: Int, licensed: Int, determination d: Determination) -> [Signal] {
        var out: [Signal] = []
        func add(_ id: String, _ detail: String) {
            guard let f = redFlags.flag(id), !out.contains(where: { $0.id == id }) else { return }
            out.append(Signal(id: f.id, title: f.title, weight: f.weight, detail: detail, source: f.source))
        }
        var hops: [(Int, Int)] = []
        var intermediaries: [(party: Int32, arrival: Int)] = []
        for p in group {
            for i in 0..<(p.shipments.count - 1) {
                hops.append((p.shipments[i], p.shipments[i + 1]))
                intermediaries.append((graph.shipmentTo[p.shipments[i]], p.shipments[i]))
            }
        }
        // Hops, intermediaries and shipments in date order (shipments of one day in the order the data lists
        // them), so that the first one to show a sign is the earliest.
        let day = { (s: Int) in self.graph.shipmentDay[s] }
        hops.sort { (day($0.0), $0.0, day($0.1), $0.1) < (day($1.0), $1.0, day($1.1), $1.1) }
        intermediaries.sort { (day($0.arrival), $0.arrival, $0.party) < (day($1.arrival), $1.arrival, $1.party) }
        intermediaries = intermediaries.enumerated().filter { k, x in k == 0 || intermediaries[k - 1] != x }.map(\.element)
        let shipments = Set(group.flatMap(\.shipments)).sorted { (day($0), $0) < (day($1), $1) }

        if let f = redFlags.flag("quick-turnaround"), let limit = f.days {
            if let (a, b) = hops.min(by: { day($0.1) - day($0.0) < day($1.1) - day($1.0) }),
               Int(graph.shipmentDay[b] - graph.shipmentDay[a]) <= limit {
                add(f.id, "\(graph.entityID(graph.shipmentTo[a])) sent the goods on \(graph.shipmentDay[b] - graph.shipmentDay[a]) days after receiving them (shipments \(graph.shipmentID(a)) → \(graph.shipmentID(b)))")
            }
        }
        for s in shipments {
            let to = graph.shipmentTo[s]
            if let role = graph.entityRole[Int(to)], role == .forwarder || role == .reseller {
                add("forwarder-consignee", "\(graph.entityID(to)) (\(role.rawValue)) received shipment \(graph.shipmentID(s))")
                break
            }
        }
        let finalParty = graph.shipmentTo[terminal]
        for s in shipments {
            if let u = graph.endUsers[s], u != graph.shipmentTo[s], u != finalParty {
                add("end-user-mismatch", "shipment \(graph.shipmentID(s)) named \(graph.entityID(u)) as end user, but \(graph.entityID(graph.shipmentTo[s])) received it and the goods went on to \(graph.entityID(finalParty))")
                break
            }
        }
        if let f = redFlags.flag("new-party"), let limit = f.days {
            let pathStart = group.map { graph.shipmentDay[$0.shipments[0]] }.min()!
            for (p, arrival) in intermediaries {
                let firstSeen = graph.firstShipmentDay(of: p) ?? Int32.max
                if Int(pathStart) - Int(firstSeen) < limit {
                    add(f.id, "\(graph.entityID(p)) first appears on \(Day(rawValue: firstSeen)), less than \(limit) days before the scheme's first shipment (\(graph.shipmentID(arrival)))")
                    break
                }
            }
        }
        if let f = redFlags.flag("volume-anomaly"), let ratio = f.ratio {
            for (p, arrival) in intermediaries {
                if let role = graph.entityRole[Int(p)], role == .endUser || role == .cloud {
                    add(f.id, "\(graph.entityID(p)) is \(role == .cloud ? "a cloud provider" : "an end user") yet re-exported the goods")
                    break
                }
                let day = graph.shipmentDay[arrival]
                let (received, sent) = volumes.watched(p, from: day - Int32(parameters.window), through: day + Int32(parameters.window),
                                                       graph: graph, perUnit: watchedPerUnit)
                if sent > ratio * received {
                    add(f.id, "\(graph.entityID(p)) sent \(formatDecimal(round2(sent))) watched units but received \(formatDecimal(round2(received))) within \(parameters.window) days of \(graph.shipmentID(arrival))")
                    break
                }
            }
        }
        if let f = redFlags.flag("low-value"), let ratio = f.ratio {
            for s in shipments {
                let v = graph.shipmentValue[s]
                guard !v.isNaN, let unit = graph.items[Int(graph.shipmentItem[s])].unitValue, unit > 0 else { continue }
                let per = v / graph.shipmentQuantity[s]
                if per < ratio * unit {
                    add(f.id, "shipment \(graph.shipmentID(s)) declared $\(formatDecimal(round2(per))) per unit for \(graph.itemID(graph.shipmentItem[s])) worth $\(formatDecimal(unit))")
                    break
                }
            }
        }
        for (p, _) in intermediaries where rules.isHub(graph.entityCountry[Int(p)]) {
            add("transshipment-hub", "\(graph.entityID(p)) is in \(graph.entityCountry[Int(p)].name), a listed transshipment point")
            break
        }
        let reasons = tiers.tier3Reasons(finalParty, on: ruleDay(terminal))
        if reasons.contains(.entityList) || reasons.contains(.listedOwnership) {
            add("listed-final-party", "\(graph.entityID(finalParty)): \(tiers.describe(finalParty, reasons, on: ruleDay(terminal)))")
        }
        let license = graph.licenses[licensed]
        if d.licenseRequired && isNoLicense(license) {
            let which = licensed == terminal ? "the last shipment" : "shipment"
            add("unlicensed-hop", "\(which) \(graph.shipmentID(licensed)) needed a license (\(d.licenseReasons.map { "15 CFR \($0.paragraph)" }.joined(separator: ", "))) and records \(license.map { "\"\($0)\"" } ?? "none")")
        }
        let order = redFlags.flags.map(\.id)
        return out.sorted { order.firstIndex(of: $0.id)! < order.firstIndex(of: $1.id)! }
    }
}

/// Whether a shipment's license field records no license: empty, or "NLR" (no license required), in any case.
public func isNoLicense(_ license: String?) -> Bool {
    guard let l = license?.trimmingCharacters(in: .whitespaces), !l.isEmpty else { return true }
    return l.uppercased() == "NLR"
}

func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }

/// Running totals of the watched units each party received and sent, in date order, so that the volume
/// around any day is two binary searches. Built on first use for a party and kept.
final class PartyVolumes: @unchecked Sendable {
    private struct Totals {
        var inDays: [Int32] = [], inSums: [Double] = [0]
        var outDays: [Int32] = [], outSums: [Double] = [0]
    }
    private var totals: [Int32: Totals] = [:]
    private let lock = NSLock()

    /// Watched units `party` received and sent between `lo` and `hi` (inclusive).
    func watched(_ party: Int32, from lo: Int32, through hi: Int32, graph: ShipmentGraph,
                 perUnit: (Int32) -> Double) -> (received: Double, sent: Double) {
        lock.lock()
        defer { lock.unlock() }
        if totals[party] == nil {
            var t = Totals()
            for k in graph.incoming(to: party) {
                let s = Int(graph.inPositions[k])
                t.inDays.append(graph.shipmentDay[s])
                t.inSums.append(t.inSums.last! + graph.shipmentQuantity[s] * perUnit(graph.shipmentItem[s]))
            }
            for s in graph.outgoing(from: party) {
                t.outDays.append(graph.shipmentDay[s])
                t.outSums.append(t.outSums.last! + graph.shipmentQuantity[s] * perUnit(graph.shipmentItem[s]))
            }
            totals[party] = t
        }
        let t = totals[party]!
        func sum(_ days: [Int32], _ sums: [Double]) -> Double {
            func firstIndex(where above: (Int32) -> Bool) -> Int {
                var a = 0, b = days.count
                while a < b { let m = (a + b) / 2; if above(days[m]) { b = m } else { a = m + 1 } }
                return a
            }
            return sums[firstIndex { $0 > hi }] - sums[firstIndex { $0 >= lo }]
        }
        return (sum(t.inDays, t.inSums), sum(t.outDays, t.outSums))
    }
}
