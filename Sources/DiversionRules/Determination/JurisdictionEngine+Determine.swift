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
        if record.origin != JurisdictionEngine.us {
            addStep(&steps, "\(record.id) is made in \(record.origin.name): test de minimis and each foreign-direct-product rule")
            let (calc, noDM) = deMinimisTest(item: q.item, eccn: eccn, query: q, version: version, facts: facts,
                                             steps: &steps, used: &used)
            deMinimis = calc
            if let calc, calc.isExceeded {
                bases.append(JurisdictionBasis(kind: .deMinimis, paragraph: calc.thresholdParagraph, rule: nil,
                    summary: "controlled U.S.-origin content \(calc.percentage.map(percent) ?? "?") exceeds the \(percent(calc.threshold)) de minimis level"))
            }
            bases += noDM
            bases += foreignDirectProductTests(item: q.item, eccn: eccn, query: q, version: version, facts: facts,
                                               steps: &steps, used: &used)
        }

        let isSubject = !bases.isEmpty
        var reasons: [LicenseReason] = []
        if isSubject {
            reasons = licenseRequirements(eccn: eccn, family: family, query: q, version: version, facts: facts,
                                          bases: bases, steps: &steps, used: &used)
        } else {
            addStep(&steps, "no basis found: \(record.id) is not subject to the EAR on this transaction", .fails)
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
            assumptions: used.sorted().compactMap { rules.assumptions[$0] })
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
