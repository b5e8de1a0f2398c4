import DiversionGraph
import DiversionRules

/// A red flag that fired on an alert, with what made it fire.
public struct Signal: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var weight: Double
    public var detail: String
    public var source: String
}

/// A party on an alert's path.
public struct PathParty: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var country: String
    public var tier: Int
    public var role: String?
    /// Why the party is a Tier-3 party, when it is one.
    public var tier3: [String]
}

/// A shipment cited as evidence.
public struct Evidence: Codable, Sendable, Hashable {
    public var id: String
    public var date: String
    public var from: String
    public var to: String
    public var item: String
    public var quantity: Double
    public var value: Double?
    public var reference: String?
    public var license: String?
    public var declaredEndUser: String?
}

/// One route of a scheme.
public struct Variant: Codable, Sendable, Hashable {
    public var shipments: [String]
    public var parties: [String]
    public var tracedQuantity: Double
    public var tracedWatchedUnits: Double
}

/// The jurisdiction basis behind an alert, from the engine.
public struct JurisdictionSummary: Codable, Sendable, Hashable {
    public struct Basis: Codable, Sendable, Hashable { public var paragraph: String; public var kind: String; public var summary: String }
    public struct Reason: Codable, Sendable, Hashable { public var paragraph: String; public var reason: String }
    public var shipment: String
    public var item: String
    public var eccn: String?
    public var destination: String
    public var ruleVersion: String
    public var isSubjectToEAR: Bool
    public var bases: [Basis]
    public var licenseRequired: Bool
    public var licenseReasons: [Reason]
    public var assumptions: [String]
    /// Every paragraph cited, as "15 CFR …".
    public var citations: [String]
}

public enum AlertKind: String, Codable, Sendable, Hashable {
    /// A chain of shipments through a Tier-2 intermediary to a Tier-3 party, with a hop subject to the EAR.
    case diversionPath = "diversion-path"
    /// A direct shipment to a Tier-3 party that needed a license and has none recorded.
    case unlicensedDirect = "unlicensed-direct"
    /// A chain that is structurally a diversion, with no hop established as subject to the EAR, where the
    /// answer turns on facts the data does not hold (named in the alert's hops). Scored below violations.
    case diversionLead = "diversion-lead"
}

/// The verdict on one hop of an alert's primary path, judged against where the goods were going.
public struct HopVerdict: Codable, Sendable, Hashable {
    /// 1-based position on the path.
    public var hop: Int
    public var shipment: String
    public var item: String
    public var eccn: String?
    /// `violation`, `subject-licensed` (a license was needed and one is recorded), `subject-no-license`,
    /// `not-subject`, or `open` (not subject on the data given, but a missing fact decides).
    public var verdict: String
    /// The paragraphs the verdict rests on, as "15 CFR …".
    public var citations: [String]
    public var openQuestions: [OpenQuestion]?
}

/// An alert an analyst can act on: one scheme, with its variants, evidence, legal basis, reasoning and score.
public struct Alert: Codable, Sendable, Hashable {
    /// Stable: the same input gives the same id; it follows the scheme (kind, supplier, final party), so it
    /// survives new evidence.
    public var id: String
    public var kind: AlertKind
    public var severity: Severity
    public var score: Double
    public var signals: [Signal]
    /// The parties of the primary variant, in path order.
    public var path: [PathParty]
    public var variants: [Variant]
    /// Variants found beyond those listed.
    public var moreVariants: Int
    public var tracedQuantity: Double
    public var tracedWatchedUnits: Double
    public var evidence: [Evidence]
    /// The jurisdiction of the hop that carries the violation (the last shipment unless a hop upstream of it
    /// does), or of the last shipment.
    public var jurisdiction: JurisdictionSummary
    /// The hop (1-based, on the primary path) whose shipment carries the violation, when one does.
    public var violationHop: Int?
    /// The path judged hop by hop, when the last shipment alone does not settle it: a violation upstream of
    /// the last shipment, or a lead.
    public var hops: [HopVerdict]?
    public var reasoning: [String]
    /// A digest of the evidence (shipment ids and quantities); decisions remember it.
    public var evidenceDigest: String
    /// Set when an analyst's earlier decision is carried over.
    public var decision: String?
}
