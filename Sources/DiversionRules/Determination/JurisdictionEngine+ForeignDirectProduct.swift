import DiversionGraph

extension JurisdictionEngine {
    /// How an item came to be in an FDP rule's product scope.
    struct ProductRoute {
        var text: String
    }

    /// U.S. technology or software in `set` that `item` is a direct product of.
    func directProductSource(_ item: Int32, technology set: String) -> Provenance? {
        graph.provenance(of: item).first { $0.origin == JurisdictionEngine.us && rules.technologySetContains(set, $0.eccn) }
    }

    /// Whether `item` was made by a plant that is (through its equipment, recursively) a direct product of
    /// U.S. technology or software in `set`. Returns the chain that shows it.
    ///
    /// A plant qualifies when one of its pieces of equipment (a "major component") is a direct product of
    /// such technology, or was itself made by a plant that qualifies.
    /// - Complexity: O(equipment reachable through makers), bounded by `depth` and a visited set.
    func plantRoute(_ item: Int32, technology set: String, depth: Int = 0, visited: inout Set<Int32>) -> [String]? {
        let maker = graph.itemMaker[Int(item)]
        guard maker >= 0, depth < 6, !visited.contains(maker) else { return nil }
        visited.insert(maker)
        for tool in graph.equipment(of: maker) {
            if let p = directProductSource(tool, technology: set) {
                return ["\(graph.itemID(item)) is made by \(graph.entityID(maker)), whose equipment \(graph.itemID(tool)) is a direct product of U.S. \(p.kind.rawValue) \(p.eccn)"]
            }
            if let deeper = plantRoute(tool, technology: set, depth: depth + 1, visited: &visited) {
                return ["\(graph.itemID(item)) is made by \(graph.entityID(maker)), equipped with \(graph.itemID(tool))"] + deeper
            }
        }
        return nil
    }

    /// Whether an item of this ECCN is among the items a rule's product scope names (before asking whether it
    /// is a direct product).
    func isAmongProducts(_ rule: FDPRule, eccn: String?) -> Bool {
        let p = rule.products
        var eccnOK = p.anyItem == true
        if p.anyCCL == true { eccnOK = eccnOK || (eccn != nil && eccn != "EAR99") }
        if let s = p.itemSet { eccnOK = eccnOK || rules.itemSetContains(s, eccn) }
        if let s = p.exceptSet, rules.itemSetContains(s, eccn) { eccnOK = false }
        return eccnOK
    }

    /// Whether an item is in a rule's product scope, and how.
    func productScope(_ rule: FDPRule, item: Int32, eccn: String?) -> (inScope: Bool, why: String) {
        let p = rule.products
        let name = graph.itemID(item)
        let eccnOK = isAmongProducts(rule, eccn: eccn)
        if eccnOK {
            if let src = directProductSource(item, technology: rule.technology) {
                return (true, "\(name) (\(eccn ?? "unclassified")) is a direct product of U.S. \(src.kind.rawValue) \(src.eccn)")
            }
            if rule.plantRoute, let chain = cachedPlantRoute(item, technology: rule.plantTechnology ?? rule.technology) {
                return (true, chain.joined(separator: "; "))
            }
        }
        if let c = p.containsPlantProduct {
            // Items that incorporate a part made by a U.S.-technology plant (734.9(e)(3), (k)).
            let itemOK = p.itemSet == nil || p.containsPlantProduct?.icOnly == true || rules.itemSetContains(p.itemSet!, eccn)
            if itemOK, let why = cache.contained(item, rule.id, { containedPlantProduct(item, rule: rule, icOnly: c.icOnly) }) {
                return (true, why)
            }
        }
        if !eccnOK {
            return (false, "\(name) (\(eccn ?? "unclassified")) is not among the items the rule reaches")
        }
        return (false, "\(name) is not a direct product of the U.S. technology or software the rule names, and no plant route reaches it")
    }

    /// The plant route of an item, computed once per item and technology set.
    func cachedPlantRoute(_ item: Int32, technology set: String) -> [String]? {
        cache.plantRoute(item, set) {
            var visited = Set<Int32>()
            return plantRoute(item, technology: set, visited: &visited)
        }
    }

    func containedPlantProduct(_ item: Int32, rule: FDPRule, icOnly: Bool, depth: Int = 0) -> String? {
        guard depth < 16 else { return nil }
        for k in graph.components(of: item) {
            let part = graph.componentPart[k]
            let record = graph.items[Int(part)]
            let isIC = (record.eccn?.hasPrefix("3A") ?? false) || (record.hsCode?.hasPrefix("8542") ?? false)
            if !icOnly || isIC {
                if let chain = cachedPlantRoute(part, technology: rule.plantTechnology ?? rule.technology) {
                    return "\(graph.itemID(item)) contains \(record.id)\(isIC ? " (an integrated circuit)" : ""); " + chain.joined(separator: "; ")
                }
            }
            if let deeper = cache.contained(part, rule.id, { containedPlantProduct(part, rule: rule, icOnly: icOnly, depth: depth + 1) }) {
                return "\(graph.itemID(item)) contains \(record.id); " + deeper
            }
        }
        return nil
    }

    /// Whether a rule's destination or end-user scope holds for the transaction, or, on a path, for where the
    /// goods were going (for an item built into another on the way, only under a rule with an incorporation
    /// prong and into a non-EAR99 item). Returns the paragraph of the prong that held and why.
    func scopeHolds(_ rule: FDPRule, query q: TransactionQuery, facts: [PartyFacts], path: OnwardScope?,
                    version: RuleVersion, used: inout Set<String>) -> (holds: Bool, paragraph: String, why: String) {
        var why = ""
        for p in rule.scope {
            let (ok, text) = prongHolds(p, query: q, facts: facts, version: version, used: &used)
            if ok { return (true, p.paragraph ?? rule.paragraph, text) }
            why = why.isEmpty ? text : why + "; " + text
        }
        guard let path else { return (false, rule.paragraph, why) }
        if path.incorporated {
            guard let inc = rule.incorporation else {
                return (false, rule.paragraph, why + "; the goods went on built into another item, which this rule's scope does not reach")
            }
            guard path.incorporatedIntoClassified else {
                return (false, rule.paragraph, why + "; the goods went on built into an EAR99 or unclassified item")
            }
            for p in rule.scope {
                let (ok, text) = prongHolds(p, query: path.query, facts: path.facts, version: version, used: &used)
                if ok {
                    if let a = inc.assumption { used.insert(a) }
                    return (true, inc.paragraph ?? p.paragraph ?? rule.paragraph,
                            "where the goods were going, \(path.text): \(text); the rule reaches an item \(inc.text)")
                }
            }
            return (false, rule.paragraph, why + "; nor where the goods were going")
        }
        for p in rule.scope {
            let (ok, text) = prongHolds(p, query: path.query, facts: path.facts, version: version, used: &used)
            if ok { return (true, p.paragraph ?? rule.paragraph, "where the goods were going, \(path.text): \(text)") }
        }
        return (false, rule.paragraph, why + "; nor where the goods were going")
    }

    /// Tests every FDP rule of the version on its own: product scope, then destination/end-user scope. Returns
    /// the bases found and the rules whose product scope the item met (whatever their destination scope).
    func foreignDirectProductTests(item: Int32, eccn: String?, query q: TransactionQuery, version: RuleVersion,
                                   facts: [PartyFacts], path: OnwardScope?, steps: inout [ReasoningStep],
                                   used: inout Set<String>) -> (bases: [JurisdictionBasis], productsMet: [FDPRule])
    {
        var bases: [JurisdictionBasis] = []
        var productsMet: [FDPRule] = []
        for rule in version.fdp {
            let (inScope, productWhy) = productScope(rule, item: item, eccn: eccn)
            guard inScope else {
                addStep(&steps, "\(rule.paragraph) \(rule.title): product scope not met: \(productWhy)", cite: rule.paragraph, .fails)
                continue
            }
            productsMet.append(rule)
            let (holds, paragraph, why) = scopeHolds(rule, query: q, facts: facts, path: path, version: version, used: &used)
            if holds {
                bases.append(JurisdictionBasis(kind: .foreignDirectProduct, paragraph: paragraph, rule: rule.id,
                                               summary: "\(rule.title): \(productWhy); \(why)"))
                addStep(&steps, "\(rule.paragraph) \(rule.title): product scope met (\(productWhy)) and destination/end-user scope met (\(why)): subject to the EAR", cite: paragraph, .holds)
            } else {
                addStep(&steps, "\(rule.paragraph) \(rule.title): product scope met (\(productWhy)) but the destination/end-user prong fails: \(why)", cite: rule.paragraph, .fails)
            }
        }
        return (bases, productsMet)
    }

    /// The facts the data lacks that would make a foreign-made item subject on this transaction: a rule whose
    /// destination or end-user scope holds and whose product scope fails only because nothing is recorded of
    /// what the item was made with (no provenance and no plant with equipment), or because the item has no
    /// ECCN; and the values de minimis needs. Where the data positively shows no basis (the rules of the date
    /// do not reach the item or the destination), there is no question.
    ///
    /// `productsMet`: the rules whose product scope the item met, from ``foreignDirectProductTests``.
    func openQuestions(item: Int32, eccn: String?, query q: TransactionQuery, version: RuleVersion,
                       facts: [PartyFacts], path: OnwardScope?, deMinimis: DeMinimisCalculation?,
                       productsMet: [FDPRule], used: inout Set<String>) -> [OpenQuestion] {
        let record = graph.items[Int(item)]
        guard record.origin != JurisdictionEngine.us else { return [] }
        var out: [OpenQuestion] = []
        if record.origin == .unknown {
            // Were it of U.S. origin it would be subject (734.3(a)(2)); say so when that would need a license.
            var scratch = used
            let family = rules.family(of: eccn)
            var needs = !destinationLicenses(family: family, destination: q.destination, date: q.date, version: version, used: &scratch).isEmpty
            if let path, !path.incorporated {
                needs = needs || !destinationLicenses(family: family, destination: path.query.destination, date: q.date, version: version, used: &scratch).isEmpty
            }
            let listed = (path?.facts ?? facts).contains { f in version.partyLists.contains { r in
                (r.families.contains("*") || r.families.contains(family)) && f.isListed(on: r.list) } }
            if needs || listed {
                out.append(OpenQuestion(
                    fact: .origin, item: record.id, decides: ["734.3(a)(2)"],
                    text: "no country of origin recorded for \(record.id): if it is of U.S. origin it is subject to the EAR wherever it is (734.3(a)(2)) and \(listed ? "a party to the transaction is listed" : "the destination needs a license for \(eccn ?? "it")")"))
            }
        }
        let maker = graph.itemMaker[Int(item)]
        let plantKnown = maker >= 0 && !graph.equipment(of: maker).isEmpty
        let madeWithUnknown = graph.provenance(of: item).isEmpty && !plantKnown
        var provenanceRules: [(rule: FDPRule, why: String)] = []
        var eccnRules: [(rule: FDPRule, why: String)] = []
        for rule in version.fdp where rule.products.containsPlantProduct == nil || rule.products.itemSet != nil {
            let among = isAmongProducts(rule, eccn: eccn)
            let unknownECCN = eccn == nil && rule.products.anyItem != true
            guard (among && madeWithUnknown) || unknownECCN else { continue }
            // NB: a scope tested only to ask a question names its assumptions only when the question is asked.
            var assumed = used
            let (holds, _, why) = scopeHolds(rule, query: q, facts: facts, path: path, version: version, used: &assumed)
            guard holds else { continue }
            used = assumed
            if unknownECCN { eccnRules.append((rule, why)) } else { provenanceRules.append((rule, why)) }
        }
        if !provenanceRules.isEmpty {
            let made = maker >= 0 ? "made by \(graph.entityID(maker)), whose plant has no equipment recorded" : "no maker recorded"
            let family = eccn.map { String($0.prefix(1)) } ?? ""
            let example = provenanceRules.lazy.compactMap { r -> String? in
                let e = "\(family)E001"
                return self.rules.technologySetContains(r.rule.technology, e) ? e : nil
            }.first
            let rulesText = provenanceRules.map { "\($0.rule.paragraph) (\($0.why))" }.joined(separator: "; ")
            out.append(OpenQuestion(
                fact: .provenance, item: record.id, decides: provenanceRules.map(\.rule.paragraph),
                text: "no provenance recorded for \(record.id) (made in \(record.origin.name); \(made)): it is subject under \(rulesText) if it is a direct product of U.S. \(example.map { "\($0) " } ?? "")technology or software the rule names, or made in a plant that is"))
        }
        if !eccnRules.isEmpty {
            let known = record.hsCode.map { "known only by HS code \($0)" } ?? "no classification recorded"
            out.append(OpenQuestion(
                fact: .eccn, item: record.id, decides: eccnRules.map(\.rule.paragraph),
                text: "no ECCN recorded for \(record.id) (\(known)): it is subject under \(eccnRules.map { "\($0.rule.paragraph) (\($0.why))" }.joined(separator: "; ")) if it is among the items the rule names and a direct product of U.S. technology or software, or made in a plant that is"))
        }
        // A rule whose product scope is met but whose destination scope leaves the destination out only through
        // an exception the rule data marks as an unconfirmed reading (e.g. the A:5/A:6 carve-out of 734.9(h)
        // from 2023-11-17).
        for rule in productsMet {
            for p in rule.scope {
                guard let a = p.assumption, let name = p.destinations, var loose = rules.sets[name],
                      loose.exceptGroups != nil || loose.exceptCountries != nil else { continue }
                loose.exceptGroups = nil
                loose.exceptCountries = nil
                var scratch = used
                var countries = [q.destination]
                if let path, !path.incorporated || (rule.incorporation != nil && path.incorporatedIntoClassified) {
                    countries.append(path.query.destination)
                }
                guard let country = countries.first(where: { c in
                    !rules.contains(set: name, c, on: q.date, used: &scratch) && rules.contains(loose, c, on: q.date, used: &scratch)
                }) else { continue }
                used.insert(a)
                let reading = rules.assumptions[a].map { ": \($0.text)" } ?? ""
                out.append(OpenQuestion(
                    fact: .assumption, item: record.id, decides: [p.paragraph ?? rule.paragraph],
                    text: "\(country.name) is outside \(p.paragraph ?? rule.paragraph) (\(p.text)) only on an unconfirmed reading of the rules (assumption \(a)\(reading)); on the other reading \(record.id) is subject under \(rule.paragraph)"))
                break
            }
        }
        if let dm = deMinimis, !dm.isExceeded {
            let controlled = dm.lines.filter(\.isControlled)
            let unvalued = controlled.filter { $0.value == nil }.map(\.item)
            if dm.itemValue == nil, !controlled.isEmpty {
                out.append(OpenQuestion(
                    fact: .value, item: record.id, decides: [dm.thresholdParagraph],
                    text: "no value recorded for \(record.id): its controlled U.S.-origin content (\(controlled.map(\.item).joined(separator: ", "))) cannot be set against it; it is subject under \(dm.thresholdParagraph) if that content is above \(Int((dm.threshold * 100).rounded()))% of its value"))
            } else if !unvalued.isEmpty {
                out.append(OpenQuestion(
                    fact: .value, item: record.id, decides: [dm.thresholdParagraph],
                    text: "no value recorded for the controlled U.S.-origin \(unvalued.joined(separator: ", ")) in \(record.id): it is subject under \(dm.thresholdParagraph) if its controlled U.S. content is above \(Int((dm.threshold * 100).rounded()))% of its value"))
            }
        }
        return out
    }

    /// License requirements for an item subject to the EAR (Country Chart, Part 746, Part 744 lists, the
    /// headquarters rule, and the license requirement tied to each FDP rule that applied).
    func licenseRequirements(eccn: String?, family: String, query q: TransactionQuery, version: RuleVersion,
                             facts: [PartyFacts], bases: [JurisdictionBasis], steps: inout [ReasoningStep],
                             used: inout Set<String>) -> [LicenseReason] {
        var reasons = destinationLicenses(family: family, destination: q.destination, date: q.date, version: version, used: &used)
        for r in reasons {
            addStep(&steps, "license required: \(r.reason)\(r.exception.map { " — \($0)" } ?? "")", cite: r.paragraph, .holds)
        }
        for rule in version.partyLists where rule.families.contains("*") || rule.families.contains(family) {
            for f in facts where f.isListed(on: rule.list) {
                var footnotes: [Int] = []
                for n in f.listings.filter({ $0.list == rule.list }).compactMap(\.footnote) where !footnotes.contains(n) { footnotes.append(n) }
                let note = footnotes.isEmpty ? "" : " (footnote \(footnotes.map(String.init).joined(separator: ", ")))"
                let r = LicenseReason(paragraph: rule.paragraph, reason: "\(graph.entityID(f.entity)) is on the \(rule.list)\(note): \(rule.reason)", exception: nil)
                reasons.append(r)
                addStep(&steps, "license required: \(r.reason)", cite: r.paragraph, .holds)
            }
        }
        if let h = version.headquartersRule, h.families.contains(family) {
            for f in facts {
                let own = rules.contains(set: h.parentIn, f.headquarters, on: q.date, used: &used)
                let parent = f.ultimateParentHeadquarters.map { rules.contains(set: h.parentIn, $0, on: q.date, used: &used) } ?? false
                guard own || parent else { continue }
                if let a = h.assumption { used.insert(a) }
                let who = own ? "\(graph.entityID(f.entity)) is headquartered in \(f.headquarters.name)"
                    : "\(graph.entityID(f.entity)) (in \(f.country.name)) has its ultimate parent \(graph.entityID(f.ultimateParent!)) headquartered in \(f.ultimateParentHeadquarters!.name)"
                let r = LicenseReason(paragraph: h.paragraph, reason: "headquarters rule: \(who)", exception: nil)
                reasons.append(r)
                addStep(&steps, "license required: \(r.reason)", cite: r.paragraph, .holds)
            }
        }
        for b in bases where b.kind == .foreignDirectProduct {
            guard let rule = version.fdp.first(where: { $0.id == b.rule }) else { continue }
            if reasons.contains(where: { $0.paragraph == rule.licenseParagraph }) { continue }
            let r = LicenseReason(paragraph: rule.licenseParagraph, reason: "the item is subject under \(b.paragraph) (\(rule.title)), which carries this license requirement", exception: nil)
            reasons.append(r)
            addStep(&steps, "license required: \(r.reason)", cite: r.paragraph, .holds)
        }
        if reasons.isEmpty {
            addStep(&steps, "no license requirement applies to \(eccn ?? "this item") for \(q.destination.name) and these parties on \(q.date)", .fails)
        }
        var seen = Set<LicenseReason>()
        return reasons.filter { seen.insert($0).inserted }
    }
}
