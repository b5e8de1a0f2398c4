import DiversionGraph

/// One export or reexport to decide: an item, where it goes, who receives it, and when.
public struct TransactionQuery: Sendable, Hashable {
    public var item: Int32
    public var destination: CountryCode
    public var consignee: Int32?
    public var endUser: Int32?
    /// The shipper; an item shipped from the United States is "in the United States" (734.3(a)(1)).
    public var shipper: Int32?
    public var date: Day
    public var recordedLicense: String?
    /// Where the goods went after this shipment, when it is one hop of a longer path; `nil` judges the
    /// shipment on its own, against its consignee's country.
    public var onward: Onward?

    public init(item: Int32, destination: CountryCode, consignee: Int32? = nil, endUser: Int32? = nil,
                shipper: Int32? = nil, date: Day, recordedLicense: String? = nil, onward: Onward? = nil) {
        self.item = item; self.destination = destination; self.consignee = consignee; self.endUser = endUser
        self.shipper = shipper; self.date = date; self.recordedLicense = recordedLicense; self.onward = onward
    }
}

/// Where the goods of one hop of a path went in the end: the path's final destination and final party, and
/// the item they arrived in when this item was built into another on the way (a GPU inside a server).
///
/// The law looks at where the goods are going, not only at the next consignee: an export to a distributor
/// with knowledge that the goods go on to China is an export to China, and the advanced-computing FDP rule
/// reaches an item "to be incorporated into" a non-EAR99 item bound there.
public struct Onward: Sendable, Hashable {
    public var destination: CountryCode
    public var party: Int32
    /// The item the goods arrive in at the end; `nil` when it is the same item.
    public var arrivesIn: Int32?

    public init(destination: CountryCode, party: Int32, arrivesIn: Int32? = nil) {
        self.destination = destination; self.party = party; self.arrivesIn = arrivesIn
    }
}

/// Decides whether an item on a transaction is subject to the EAR, on which bases, and whether a license
/// is required, under the rule version in force on the date, and says why step by step.
///
/// Bases implemented: items in or from the United States (734.3(a)(1)–(2)); de minimis over the bill of
/// materials at any depth (734.4 and Supp. No. 2 to Part 734), with the no-de-minimis cases of the rule data;
/// and every foreign-direct-product rule of the rule data (734.9), each tested on its own, with the product
/// scope reached through provenance, through the plant route (a plant whose equipment is itself a direct
/// product, recursively), and through components.
public struct JurisdictionEngine: Sendable {
    public let rules: RuleBook
    public let graph: ShipmentGraph
    let cache = EngineCache()
    /// Whether determinations carry their reasoning steps. The whole-graph pass needs only the verdicts, and
    /// writing the steps is most of a determination's cost.
    public let explains: Bool
    /// Whether a determination that finds no basis names the facts the data lacks that would decide it
    /// (``Determination/openQuestions``). Path judgments need them (a lead or nothing); the whole-graph pass,
    /// which keeps only verdicts, does not.
    public let asksOpenQuestions: Bool
    static let us = CountryCode("US")!

    public init(rules: RuleBook, graph: ShipmentGraph, explains: Bool = true, asksOpenQuestions: Bool = true) {
        self.rules = rules
        self.graph = graph
        self.explains = explains
        self.asksOpenQuestions = asksOpenQuestions
    }

    /// Adds a reasoning step; the text is only made when the engine explains.
    @inline(__always)
    func addStep(_ steps: inout [ReasoningStep], _ text: @autoclosure () -> String, cite: String? = nil,
                _ outcome: ReasoningStep.Outcome = .note) {
        if explains { steps.append(ReasoningStep(text(), cite: cite, outcome)) }
    }

    // MARK: - Classification

    /// The ECCN an item has under `version`: from its chip figures when it has them, from its components when
    /// it is a 4A090 computer, else as declared.
    public func effectiveECCN(of item: Int32, under version: RuleVersion, steps: inout [ReasoningStep],
                              used: inout Set<String>, depth: Int = 0) -> String? {
        if depth > 0 {
            // Below the top level no steps are written, so the answer can be shared.
            return cache.eccn(item, version.id) {
                var ignored: [ReasoningStep] = []
                var u = Set<String>()
                return computeECCN(of: item, under: version, steps: &ignored, used: &u, depth: depth)
            }
        }
        return computeECCN(of: item, under: version, steps: &steps, used: &used, depth: depth)
    }

    func computeECCN(of item: Int32, under version: RuleVersion, steps: inout [ReasoningStep],
                     used: inout Set<String>, depth: Int) -> String? {
        let record = graph.items[Int(item)]
        let declared = record.eccn
        let figures = ChipFigures(record)
        if figures.hasFigures {
            let c = ChipClassifier.classify(figures, under: version)
            let isChipLike = declared == nil || declared == "EAR99" || declared!.hasPrefix("3A")
                || rules.catalogueEntry(for: declared!)?.chip == true
            guard isChipLike else { return declared }
            if depth == 0 { for s in c.steps { addStep(&steps, "\(record.id): \(s)", cite: "774 Supp. 1, ECCN 3A090") } }
            switch c.outcome {
            case .a, .b:
                if depth == 0, let d = declared, d != c.eccn! {
                    addStep(&steps, "\(record.id) is declared \(d); its figures make it \(c.eccn!) under the \(c.test ?? "test") of \(version.id), which the tool applies")
                }
                return c.eccn
            case .notControlled:
                if let d = declared, !ECCNPattern.matches(d, "3A090") { return d }
                if depth == 0 {
                    addStep(&steps, "\(record.id) is not 3A090 under the rules of \(version.id); it is treated as 3A991 (anti-terrorism controls only)")
                }
                return "3A991"
            case .undetermined, .noTest:
                if depth == 0 {
                    addStep(&steps, "\(record.id): the figures do not settle the 3A090 test; the declared ECCN \(declared ?? "(none)") is used")
                }
                return declared
            }
        }
        let isComputer = declared.map { ECCNPattern.matches($0, "4A090") } ?? false
        if isComputer, depth < 12 {
            var best: String?
            var sawChip = false
            for k in graph.components(of: item) {
                let part = graph.componentPart[k]
                let partRecord = graph.items[Int(part)]
                guard ChipFigures(partRecord).hasFigures || partRecord.eccn.map({ ECCNPattern.matches($0, "3A090") || ECCNPattern.matches($0, "4A090") }) == true else { continue }
                sawChip = true
                var ignored: [ReasoningStep] = []
                let e = effectiveECCN(of: part, under: version, steps: &ignored, used: &used, depth: depth + 1)
                if let e, e.hasPrefix("3A090.a") || e.hasPrefix("4A090.a") { best = "4A090.a"; break }
                if let e, e.hasPrefix("3A090.b") || e.hasPrefix("4A090.b") { best = "4A090.b" }
            }
            if sawChip {
                if let best {
                    if depth == 0, best != declared {
                        addStep(&steps, "\(record.id) is declared \(declared!); its chips make it \(best) under \(version.id)", cite: "774 Supp. 1, ECCN 4A090")
                    }
                    return best
                }
                if version.chipTest != nil {
                    if depth == 0 {
                        addStep(&steps, "\(record.id) is declared \(declared!) but none of its chips is 3A090 under \(version.id); it is treated as 4A994", cite: "774 Supp. 1, ECCN 4A090")
                    }
                    return "4A994"
                }
            }
        }
        return declared
    }

    // MARK: - License scope by destination (Country Chart and Part 746 only)

    /// The destination-based license rules that apply to an ECCN family, with any exception available.
    func destinationLicenses(family: String, destination: CountryCode, date: Day, version: RuleVersion,
                             used: inout Set<String>) -> [LicenseReason] {
        var out: [LicenseReason] = []
        for rule in version.licenses where rule.families.contains("*") || rule.families.contains(family) {
            guard family != "unclassified" || rule.families.contains("*") else { continue }
            // NB: an assumption about an exception (a carve-out) matters even when it takes the country out.
            if let a = rule.assumption, var loose = rules.sets[rule.to] {
                loose.exceptGroups = nil
                loose.exceptCountries = nil
                if rules.contains(loose, destination, on: date, used: &used) { used.insert(a) }
            }
            if rules.contains(set: rule.to, destination, on: date, used: &used) {
                var exception: String?
                if let e = rule.exception, rules.contains(set: e.to, destination, on: date, used: &used) {
                    exception = "\(e.name) (\(e.paragraph)): \(e.text)"
                }
                out.append(LicenseReason(paragraph: rule.paragraph, reason: rule.reason, exception: exception))
            }
        }
        return out
    }
}
