import DiversionGraph
import Foundation

extension Determination {
    /// A readable chain: the decision first, then each step with its citation, then the assumptions.
    public var text: String {
        var lines: [String] = []
        let subject = isSubjectToEAR ? "SUBJECT TO THE EAR" : "NOT SUBJECT TO THE EAR"
        let license = licenseRequired ? "license required" : "no license required"
        lines.append("\(item) → \(destination)\(consignee.map { " (consignee \($0))" } ?? "")\(endUser.map { ", end user \($0)" } ?? ""), \(date), rules of \(ruleVersion)")
        lines.append("ECCN: \(eccn ?? "unclassified")\(declaredECCN != nil && declaredECCN != eccn ? " (declared \(declaredECCN!))" : "")")
        lines.append("decision: \(subject); \(license)")
        if !bases.isEmpty {
            lines.append("bases:")
            for b in bases { lines.append("  - 15 CFR \(b.paragraph) [\(b.kind.rawValue)]: \(b.summary)") }
        }
        if !licenseReasons.isEmpty {
            lines.append("license required because:")
            for r in licenseReasons {
                lines.append("  - 15 CFR \(r.paragraph): \(r.reason)\(r.exception.map { "; exception: \($0)" } ?? "")")
            }
        } else if isSubjectToEAR {
            lines.append("no license required: no license requirement of the rules of \(ruleVersion) applies")
        }
        if let l = recordedLicense { lines.append("recorded license: \(l) (shown, not judged)") }
        if let questions = openQuestions {
            lines.append("open questions (facts the data lacks that would decide):")
            for q in questions { lines.append("  - \(q.fact.rawValue) of \(q.item), decides \(q.decides.map { "15 CFR \($0)" }.joined(separator: ", ")): \(q.text)") }
        }
        lines.append("reasoning:")
        for (i, s) in steps.enumerated() {
            let mark: String
            switch s.outcome { case .holds: mark = "✓"; case .fails: mark = "✗"; case .note: mark = "·" }
            lines.append("  \(i + 1). \(mark) \(s.text)\(s.citation.map { " [\($0)]" } ?? "")")
        }
        if !assumptions.isEmpty {
            lines.append("assumptions (uncertain facts this decision relies on; editable rule data):")
            for a in assumptions { lines.append("  - \(a.id): \(a.text)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Deterministic JSON for machine consumers: sorted keys, pretty-printed.
public func encodeJSON<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension ChipClassification {
    public var text: String {
        var lines = ["classification: \(outcome.rawValue)\(test.map { " (\($0), rules of \(ruleVersion))" } ?? " (rules of \(ruleVersion))")"]
        for s in steps { lines.append("  - \(s)") }
        return lines.joined(separator: "\n")
    }
}
