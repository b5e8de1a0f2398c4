import DiversionGraph

/// Why an item is subject to the EAR.
public enum BasisKind: String, Sendable, Codable, Hashable {
    case locatedInUS = "located-in-us"
    case usOrigin = "us-origin"
    case deMinimis = "de-minimis"
    case noDeMinimis = "no-de-minimis"
    case foreignDirectProduct = "foreign-direct-product"
}

/// One basis on which an item is subject to the EAR, with its paragraph of 15 CFR.
public struct JurisdictionBasis: Sendable, Codable, Hashable {
    public var kind: BasisKind
    /// `734.9(h)`, `734.4(c)`, `734.3(a)(2)`.
    public var paragraph: String
    /// The FDP rule id (`h`, `e1`) or no-de-minimis case id, when there is one.
    public var rule: String?
    public var summary: String
}

/// Why a license is required.
public struct LicenseReason: Sendable, Codable, Hashable {
    public var paragraph: String
    public var reason: String
    /// A license exception the rules make available, if any (its name and text).
    public var exception: String?
}

/// One step of the reasoning chain, with the numbers and the paragraph it rests on.
public struct ReasoningStep: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable { case holds, fails, note }
    public var text: String
    public var citation: String?
    public var outcome: Outcome

    public init(_ text: String, cite: String? = nil, _ outcome: Outcome = .note) {
        self.text = text; self.citation = cite.map { "15 CFR \($0)" }; self.outcome = outcome
    }
}

/// A U.S.-origin part found in a bill of materials by the de minimis calculation.
public struct ContentLine: Sendable, Codable, Hashable {
    public var item: String
    public var eccn: String?
    /// Units of this part in one unit of the item examined.
    public var quantity: Double
    public var unitValue: Double?
    public var value: Double?
    public var isControlled: Bool
    public var reason: String
}

/// The de minimis calculation (15 CFR 734.4 and Supp. No. 2 to Part 734).
public struct DeMinimisCalculation: Sendable, Codable, Hashable {
    public var controlledValue: Double
    public var itemValue: Double?
    public var percentage: Double?
    public var threshold: Double
    public var thresholdParagraph: String
    public var lines: [ContentLine]
    public var isExceeded: Bool
}

/// A fact the data does not hold on which the determination turns: what is missing, for which item, and what
/// it would decide ("no provenance recorded for SRV-1: subject under 734.9(h) if it is a direct product of
/// U.S. 4E001 technology or made in a plant that is").
public struct OpenQuestion: Sendable, Codable, Hashable {
    public enum Fact: String, Sendable, Codable, Hashable {
        /// No technology or software recorded that the item is a direct product of, and no plant.
        case provenance
        /// No ECCN: the item is known only by its HS code or description.
        case eccn
        /// No value for the item or for a controlled U.S.-origin part: de minimis cannot be computed.
        case value
        /// No country of origin (`ZZ`): a U.S.-origin item is subject wherever it is.
        case origin
        /// An unconfirmed reading of the rules ([U] in the reference, an assumption in the rule data) takes the
        /// destination out of a rule's scope; the other reading would make the item subject.
        case assumption
    }
    public var fact: Fact
    public var item: String
    /// The paragraphs the fact would decide, e.g. `734.9(h)`.
    public var decides: [String]
    public var text: String
}

/// The jurisdiction and license determination for one item on one export or reexport.
public struct Determination: Sendable, Codable, Hashable {
    public var item: String
    public var declaredECCN: String?
    /// The ECCN the rules of the date give (from chip figures when the item has them).
    public var eccn: String?
    public var destination: String
    public var consignee: String?
    public var endUser: String?
    public var date: Day
    public var ruleVersion: String
    public var isSubjectToEAR: Bool
    public var bases: [JurisdictionBasis]
    public var licenseRequired: Bool
    public var licenseReasons: [LicenseReason]
    /// A license number or exception recorded on the shipment: shown, not judged.
    public var recordedLicense: String?
    public var deMinimis: DeMinimisCalculation?
    public var steps: [ReasoningStep]
    public var assumptions: [Assumption]
    /// When the item is not subject to the EAR on the data given: the missing facts that would make it
    /// subject (`nil` when there are none, so that plain determinations keep their shape).
    public var openQuestions: [OpenQuestion]?

    /// Every paragraph the determination rests on, sorted.
    public var citations: [String] {
        var s = Set(bases.map(\.paragraph))
        for r in licenseReasons { s.insert(r.paragraph) }
        return s.sorted()
    }
}
