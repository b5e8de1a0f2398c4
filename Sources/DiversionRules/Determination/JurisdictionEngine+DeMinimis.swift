import DiversionGraph

extension JurisdictionEngine {
    /// The de minimis test (15 CFR 734.4(c), (d) and Supp. No. 2 to Part 734) and the no-de-minimis cases
    /// of 734.4(a).
    ///
    /// Counts U.S.-origin parts found anywhere in the bill of materials (a foreign-made part is opened, a
    /// U.S.-origin one is counted whole) whose ECCN would need a license to the item's destination under the
    /// Country Chart and Part 746; the Entity List and other Part 744 controls are not used.
    func deMinimisTest(item: Int32, eccn: String?, query q: TransactionQuery, version: RuleVersion,
                       facts: [PartyFacts], steps: inout [ReasoningStep], used: inout Set<String>)
        -> (DeMinimisCalculation?, [JurisdictionBasis])
    {
        let record = graph.items[Int(item)]
        var lines: [ContentLine] = []
        var controlledValue = 0.0
        var missingValues: [String] = []
        var hasUSIC = false
        var usContentECCNs: [String] = []

        // U.S.-origin parts found anywhere below the item (foreign parts are opened), once per item.
        let parts = cache.content(item) {
            var found: [EngineCache.ContentPart] = []
            func walk(_ assembly: Int32, _ multiplier: Double, _ depth: Int) {
                guard depth < 32 else { return }
                for k in graph.components(of: assembly) {
                    let part = graph.componentPart[k]
                    let quantity = graph.componentQuantity[k] * multiplier
                    if graph.items[Int(part)].origin == JurisdictionEngine.us {
                        let line = graph.componentUnitValue[k].isNaN ? nil : graph.componentUnitValue[k]
                        if let i = found.firstIndex(where: { $0.part == part && $0.lineUnitValue == line }) {
                            found[i].quantity += quantity
                        } else {
                            found.append(.init(part: part, quantity: quantity, lineUnitValue: line))
                        }
                    } else {
                        walk(part, quantity, depth + 1)
                    }
                }
            }
            walk(item, 1, 0)
            return found
        }
        for c in parts {
            let part = c.part
            let p = graph.items[Int(part)]
            let quantity = c.quantity
            var ignored: [ReasoningStep] = []
            let partECCN = effectiveECCN(of: part, under: version, steps: &ignored, used: &used, depth: 1)
            let family = rules.family(of: partECCN)
            let reasons = destinationLicenses(family: family, destination: q.destination, date: q.date,
                                              version: version, used: &used)
            let unit = c.lineUnitValue ?? p.unitValue
            let value = unit.map { $0 * quantity }
            if let e = partECCN { usContentECCNs.append(e) }
            if (partECCN?.hasPrefix("3A") ?? false) || (p.hsCode?.hasPrefix("8542") ?? false) { hasUSIC = true }
            let isControlled = !reasons.isEmpty
            if isControlled {
                if let value { controlledValue += value } else { missingValues.append(p.id) }
            }
            let why = isControlled
                ? "\(partECCN ?? "unclassified") needs a license to \(q.destination.code) (\(reasons.map { "15 CFR \($0.paragraph)" }.joined(separator: ", ")))"
                : "\(partECCN ?? "unclassified") needs no license to \(q.destination.code) under the Country Chart and Part 746: not counted"
            lines.append(ContentLine(item: p.id, eccn: partECCN, quantity: quantity, unitValue: unit, value: value,
                                     isControlled: isControlled, reason: why))
        }

        // 734.4(a): cases with no de minimis level.
        var noDM: [JurisdictionBasis] = []
        for c in version.deMinimis.none where rules.itemSetContains(c.itemSet, eccn) {
            var contentOK = true
            if let set = c.contentSet { contentOK = usContentECCNs.contains { rules.itemSetContains(set, $0) } }
            if c.contentIC == true { contentOK = contentOK && hasUSIC }
            if c.contentSet == nil && c.contentIC != true { contentOK = !lines.isEmpty }
            guard contentOK else {
                addStep(&steps, "no de minimis for \(c.title)? \(record.id) lacks the U.S.-origin content the case needs", cite: c.paragraph, .fails)
                continue
            }
            var holds = false
            var why = ""
            for p in c.scope {
                let (ok, text) = prongHolds(p, query: q, facts: facts, version: version, used: &used)
                if ok { holds = true; why = text; break } else { why = text }
            }
            if let a = c.assumption { used.insert(a) }
            if holds {
                noDM.append(JurisdictionBasis(kind: .noDeMinimis, paragraph: c.paragraph, rule: c.id,
                                              summary: "no de minimis level for \(c.title): \(why)"))
                addStep(&steps, "no de minimis level applies to \(c.title) (\(why)): any U.S.-origin content makes \(record.id) subject", cite: c.paragraph, .holds)
            } else {
                addStep(&steps, "the no-de-minimis case for \(c.title) does not apply: \(why)", cite: c.paragraph, .fails)
            }
        }

        guard !lines.isEmpty else {
            addStep(&steps, "de minimis: no U.S.-origin content in the bill of materials of \(record.id)", cite: version.deMinimis.paragraph, .fails)
            return (nil, noDM)
        }
        let dm = version.deMinimis
        let reduced = rules.contains(set: dm.reducedFor, q.destination, on: q.date, used: &used)
        let threshold = reduced ? dm.reducedThreshold : dm.defaultThreshold
        let paragraph = reduced ? dm.reducedParagraph : dm.paragraph
        for l in lines {
            addStep(&steps, "U.S.-origin content: \(formatDecimal(l.quantity)) × \(l.item) at \(l.unitValue.map { "$" + fmt($0) } ?? "unknown value") = \(l.value.map { "$" + fmt($0) } ?? "?"): \(l.reason)", cite: "734 Supp. 2")
        }
        guard let itemValue = record.unitValue, itemValue > 0 else {
            addStep(&steps, "de minimis cannot be computed: \(record.id) has no unit_value (the denominator)", cite: dm.paragraph, .fails)
            return (DeMinimisCalculation(controlledValue: controlledValue, itemValue: nil, percentage: nil, threshold: threshold,
                                         thresholdParagraph: paragraph, lines: lines, isExceeded: false), noDM)
        }
        if !missingValues.isEmpty {
            addStep(&steps, "controlled parts with no value are left out of the numerator: \(missingValues.joined(separator: ", "))")
        }
        let pct = controlledValue / itemValue
        let exceeded = pct > threshold
        let destinationText = reduced ? "\(q.destination.name) (E:1/E:2)" : q.destination.name
        addStep(&steps, 
            "de minimis: controlled U.S. content $\(fmt(controlledValue)) ÷ item value $\(fmt(itemValue)) = \(percent(pct)), \(exceeded ? "above" : "not above") the \(percent(threshold)) level for \(destinationText)\(exceeded ? ": subject to the EAR" : "")",
            cite: paragraph, exceeded ? .holds : .fails)
        return (DeMinimisCalculation(controlledValue: controlledValue, itemValue: itemValue, percentage: pct,
                                     threshold: threshold, thresholdParagraph: paragraph, lines: lines,
                                     isExceeded: exceeded), noDM)
    }
}
