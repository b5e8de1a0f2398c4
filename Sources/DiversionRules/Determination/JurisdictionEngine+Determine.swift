import DiversionGraph

extension JurisdictionEngine {
    /// Decides `query` and explains the decision.
    ///
    /// - Complexity: O(bill of materials below the item + the plant and equipment chain above it), with no
    ///   caching; the whole-graph pass memoizes determinations by item, destination, parties and version.
    public func determine(_ q: TransactionQuery) -> Determination {
        let (version, isBeforeFirst) = rules.version(on: q.date)
        var used = Set(version.assumptionsInForce)
        if isBeforeFirst { used.insert("before-first-version") }
        var steps: [ReasoningStep] = []
        let record = graph.items[Int(q.item)]
        let destinationName = "\(q.destination.name) (\(q.destination.code))"
        addStep(&steps, "\(record.id) to \(destinationName) on \(q.date), judged under the rules of \(version.id): \(version.title)")
        if rules.ruleCountry(q.destination) != q.destination {
            addStep(&steps, "\(q.destination.name) is treated as \(rules.ruleCountry(q.destination).name) by the rules")
        }
        let eccn = effectiveECCN(of: q.item, under: version, steps: &steps, used: &used)
        let family = rules.family(of: eccn)
        addStep(&steps, "\(record.id) is classified \(eccn ?? "(unclassified)")\(eccn.flatMap { rules.catalogueEntry(for: $0).map { ": \($0.title)" } } ?? "")")

        let parties = [q.consignee, q.endUser].compactMap { $0 }
        let facts = Array(Set(parties)).sorted().map { graph.facts(of: $0, on: q.date) }
        let path = onwardScope(q, version: version, facts: facts, steps: &steps, used: &used)
        var bases: [JurisdictionBasis] = []

        // 734.3(a)(1)–(2): items in the United States, and U.S.-origin items wherever located.
        if let s = q.shipper, graph.entityCountry[Int(s)] == JurisdictionEngine.us {
            bases.append(JurisdictionBasis(kind: .locatedInUS, paragraph: "734.3(a)(1)", rule: nil,
                                           summary: "shipped from the United States"))
            addStep(&steps, "shipped by \(graph.entityID(s)) from the United States: subject to the EAR", cite: "734.3(a)(1)", .holds)
        }
        if record.origin == JurisdictionEngine.us {
            bases.append(JurisdictionBasis(kind: .usOrigin, paragraph: "734.3(a)(2)", rule: nil,
                                           summary: "U.S.-origin item"))
            addStep(&steps, "\(record.id) is of U.S. origin: subject to the EAR wherever located", cite: "734.3(a)(2)", .holds)
        }

        // Foreign-made items: de minimis and the foreign-direct-product rules.
        var deMinimis: DeMinimisCalculation?
        var productsMet: [FDPRule] = []
        if record.origin != JurisdictionEngine.us {
            addStep(&steps, "\(record.id) is made in \(record.origin.name): test de minimis and each foreign-direct-product rule")
            // De minimis looks at the item's ultimate destination: where the same item went on the path.
            let sameItem = path.flatMap { $0.incorporated ? nil : $0 }
            let (calc, noDM) = deMinimisTest(item: q.item, eccn: eccn, query: sameItem?.query ?? q, version: version,
                                             facts: sameItem?.facts ?? facts, steps: &steps, used: &used)
            deMinimis = calc
            if let calc, calc.isExceeded {
                bases.append(JurisdictionBasis(kind: .deMinimis, paragraph: calc.thresholdParagraph, rule: nil,
                    summary: "controlled U.S.-origin content \(calc.percentage.map(percent) ?? "?") exceeds the \(percent(calc.threshold)) de minimis level"))
            }
            bases += noDM
            let fdp = foreignDirectProductTests(item: q.item, eccn: eccn, query: q, version: version, facts: facts,
                                                path: path, steps: &steps, used: &used)
            bases += fdp.bases
            productsMet = fdp.productsMet
        }

        let isSubject = !bases.isEmpty
        var reasons: [LicenseReason] = []
        var questions: [OpenQuestion] = []
        if isSubject {
            reasons = licenseRequirements(eccn: eccn, family: family, query: q, version: version, facts: facts,
                                          bases: bases, steps: &steps, used: &used)
            if let path, !path.incorporated {
                // Where the goods were going needs a license too (destination, listed parties, headquarters).
                // NB: not for an item built into another on the way: a U.S. part in a foreign-made item is the
                // de minimis rule's to judge, and an item caught by an FDP rule's incorporation prong carries
                // that rule's license requirement already.
                var unwritten: [ReasoningStep] = []
                var onward = licenseRequirements(eccn: eccn, family: family, query: path.query, version: version,
                                                 facts: path.facts, bases: [], steps: &unwritten, used: &used)
                onward = onward.filter { !reasons.contains($0) }.map {
                    var r = $0
                    r.reason += " (where the goods were going)"
                    return r
                }
                for r in onward {
                    addStep(&steps, "license required for where the goods were going: \(r.reason)", cite: r.paragraph, .holds)
                }
                reasons += onward
            }
        } else {
            addStep(&steps, "no basis found: \(record.id) is not subject to the EAR on this transaction", .fails)
            if asksOpenQuestions {
                questions = openQuestions(item: q.item, eccn: eccn, query: q, version: version, facts: facts, path: path,
                                          deMinimis: deMinimis, productsMet: productsMet, used: &used)
            }
            for question in questions {
                addStep(&steps, "open question: \(question.text)", cite: question.decides.first, .note)
            }
        }
        if let l = q.recordedLicense {
            addStep(&steps, "the shipment records license \"\(l)\"; the tool shows it and does not judge it")
        }
        let summary: String
        if !isSubject { summary = "not subject to the EAR: no license required" }
        else if reasons.isEmpty { summary = "subject to the EAR; no license required" }
        else if reasons.allSatisfy({ $0.exception != nil }) { summary = "subject to the EAR; license required unless the exception named applies" }
        else { summary = "subject to the EAR; license required" }
        addStep(&steps, "conclusion: \(summary)", isSubject && !reasons.isEmpty ? .holds : .note)

        return Determination(
            item: record.id, declaredECCN: record.eccn, eccn: eccn, destination: q.destination.code,
            consignee: q.consignee.map { graph.entityID($0) }, endUser: q.endUser.map { graph.entityID($0) },
            date: q.date, ruleVersion: version.id, isSubjectToEAR: isSubject, bases: bases,
            licenseRequired: !reasons.isEmpty, licenseReasons: reasons, recordedLicense: q.recordedLicense,
            deMinimis: deMinimis, steps: steps,
            assumptions: used.sorted().compactMap { rules.assumptions[$0] },
            openQuestions: questions.isEmpty ? nil : questions)
    }

    /// The query and party facts of where the goods of a path hop were going, when the hop has an onward
    /// path; writes the step that says so.
    func onwardScope(_ q: TransactionQuery, version: RuleVersion, facts: [PartyFacts], steps: inout [ReasoningStep],
                     used: inout Set<String>) -> OnwardScope? {
        guard let o = q.onward else { return nil }
        used.insert("path-knowledge")
        var query = q
        query.destination = o.destination
        query.onward = nil
        var all = facts
        if !all.contains(where: { $0.entity == o.party }) { all.append(graph.facts(of: o.party, on: q.date)) }
        let party = "\(graph.entityID(o.party)) in \(o.destination.name) (\(o.destination.code))"
        var builtInto: String?
        var intoIsClassified = true
        if let into = o.arrivesIn {
            var ignored: [ReasoningStep] = []
            let e = effectiveECCN(of: into, under: version, steps: &ignored, used: &used, depth: 1)
            intoIsClassified = e != nil && e != "EAR99"
            builtInto = "\(graph.itemID(into)) (\(e ?? "unclassified"))"
        }
        let how = builtInto.map { "built into \($0), to \(party)" } ?? "to \(party)"
        addStep(&steps, "as one hop of a path, the goods went on, \(how): the hop is judged against where they were going as well as against its own consignee, as if the shipper knew")
        return OnwardScope(query: query, facts: all, incorporated: o.arrivesIn != nil,
                           incorporatedIntoClassified: intoIsClassified, text: how)
    }

    /// Whether a scope prong holds for the transaction; `why` says which condition failed or held.
    func prongHolds(_ p: ScopeProng, query q: TransactionQuery, facts: [PartyFacts], version: RuleVersion,
                    used: inout Set<String>) -> (Bool, String) {
        var failures: [String] = []
        var holdsText: [String] = []
        if let set = p.destinations {
            if rules.contains(set: set, q.destination, on: q.date, used: &used) { holdsText.append("destination \(q.destination.code) is in scope") }
            else { failures.append("destination \(q.destination.name) is not in scope") }
        }
        if let set = p.headquartersIn {
            let hit = facts.first { f in
                rules.contains(set: set, f.headquarters, on: q.date, used: &used)
                    || f.ultimateParentHeadquarters.map { rules.contains(set: set, $0, on: q.date, used: &used) } == true
            }
            if let f = hit {
                let via = rules.contains(set: set, f.headquarters, on: q.date, used: &used)
                    ? "is headquartered in \(f.headquarters.name)"
                    : "has its ultimate parent \(graph.entityID(f.ultimateParent!)) headquartered in \(f.ultimateParentHeadquarters!.name)"
                holdsText.append("\(graph.entityID(f.entity)) \(via)")
            } else { failures.append("no party is headquartered (or has its ultimate parent) there") }
        }
        if let notes = p.listedFootnote {
            if let f = facts.first(where: { $0.isListed(footnotes: notes) }) {
                holdsText.append("\(graph.entityID(f.entity)) is on the Entity List with footnote \(notes.map(String.init).joined(separator: "/"))")
            } else { failures.append("no party is on the Entity List with footnote \(notes.map(String.init).joined(separator: "/"))") }
        }
        if let list = p.endUseList {
            if let f = facts.first(where: { $0.isListed(on: list) }) { holdsText.append("\(graph.entityID(f.entity)) is on \"\(list)\"") }
            else { failures.append("no party is on the list \"\(list)\"") }
        }
        if let a = p.assumption { used.insert(a) }
        if failures.isEmpty { return (true, holdsText.joined(separator: "; ")) }
        return (false, failures.joined(separator: "; "))
    }
}

/// Where the goods of a path hop were going, as the engine tests it: the transaction re-addressed to the
/// path's final destination, the parties' facts with the final party's, and whether the item went on
/// built into another (and into a classified one).
struct OnwardScope {
    var query: TransactionQuery
    var facts: [PartyFacts]
    var incorporated: Bool
    var incorporatedIntoClassified: Bool
    /// "built into SRV-1 (4A090.a), to buyer-hk in Hong Kong (HK)".
    var text: String
}
