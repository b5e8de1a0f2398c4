import DiversionGraph
import DiversionRules
import Foundation

/// The output formats of an alert list.
public enum AlertFormat: String, Sendable, CaseIterable {
    case jsonl, csv, text, dot
}

/// Writes alert lists. Every format is deterministic: the same alerts give byte-identical output.
public enum AlertWriter {
    public static func render(_ alerts: [Alert], format: AlertFormat, header: String? = nil) throws -> String {
        switch format {
        case .jsonl: return try alerts.map { try encodeJSON($0, pretty: false) + "\n" }.joined()
        case .csv: return csv(alerts)
        case .text: return text(alerts, header: header)
        case .dot: return dot(alerts)
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    public static let csvHeader = "id,kind,severity,score,final_party,final_country,path,traced_quantity,traced_watched_units,shipments,variants,subject_basis,license_required,signals,decision"

    static func csv(_ alerts: [Alert]) -> String {
        var lines = [csvHeader]
        for a in alerts {
            let final = a.path.last
            let row: [String] = [
                a.id, a.kind.rawValue, a.severity.rawValue, formatDecimal(a.score), final?.id ?? "", final?.country ?? "",
                a.path.map(\.id).joined(separator: " > "), formatDecimal(a.tracedQuantity), formatDecimal(a.tracedWatchedUnits),
                a.evidence.map(\.id).joined(separator: " "), String(a.variants.count + a.moreVariants),
                a.jurisdiction.bases.map { "15 CFR \($0.paragraph)" }.joined(separator: "; "),
                a.jurisdiction.licenseRequired ? "yes" : "no", a.signals.map(\.id).joined(separator: " "), a.decision ?? "",
            ]
            lines.append(row.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func text(_ alerts: [Alert], header: String?) -> String {
        var out: [String] = []
        if let header { out.append(header); out.append("") }
        if alerts.isEmpty { out.append("No alerts.") }
        for (i, a) in alerts.enumerated() {
            out.append("[\(i + 1)] \(a.id)  \(a.severity.rawValue.uppercased())  score \(formatDecimal(a.score))  \(a.kind.rawValue)\(a.decision.map { "  (\($0))" } ?? "")")
            out.append("    path: " + a.path.map { "\($0.id) (\($0.country), Tier \($0.tier))" }.joined(separator: " → "))
            out.append("    traced: \(formatDecimal(a.tracedQuantity)) units (\(formatDecimal(a.tracedWatchedUnits)) watched units); evidence: \(a.evidence.map(\.id).joined(separator: ", "))")
            if a.variants.count + a.moreVariants > 1 {
                out.append("    variants: \(a.variants.count + a.moreVariants)")
                for v in a.variants.dropFirst() { out.append("      - \(v.shipments.joined(separator: " → ")) (\(formatDecimal(v.tracedWatchedUnits)) watched units)") }
                if a.moreVariants > 0 { out.append("      - … and \(a.moreVariants) more") }
            }
            if a.kind == .diversionLead {
                out.append("    open questions: " + a.openQuestionGroups.map { g in
                    let at = g.hops.count == 1 ? "hop \(g.hops[0])" : "hops " + g.hops.map(String.init).joined(separator: ", ")
                    return "\(g.label) (\(at); decides \(g.decides.map { "15 CFR \($0)" }.joined(separator: ", ")))"
                }.joined(separator: "; "))
            } else {
                let hop = a.violationHop.map { "hop \($0) (\(a.jurisdiction.shipment)): " } ?? ""
                out.append("    basis: " + hop + a.jurisdiction.bases.map { "15 CFR \($0.paragraph) (\($0.kind))" }.joined(separator: ", ")
                           + (a.jurisdiction.licenseRequired ? "; license required: " + a.jurisdiction.licenseReasons.map { "15 CFR \($0.paragraph)" }.joined(separator: ", ") : "; no license required"))
            }
            if !a.signals.isEmpty {
                out.append("    red flags: " + a.signals.map { "\($0.id) (+\(formatDecimal($0.weight)))" }.joined(separator: ", "))
            }
            out.append("    reasoning:")
            for r in a.reasoning { out.append("      - \(r)") }
            out.append("")
        }
        return out.joined(separator: "\n") + (out.last == "" ? "" : "\n")
    }

    static func dotID(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// A Graphviz picture: parties coloured by tier, shipments as edges labelled with id, date and quantity.
    static func dot(_ alerts: [Alert]) -> String {
        var lines = ["digraph diversion {", "  rankdir=LR;", "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];",
                     "  edge [fontname=\"Helvetica\", fontsize=10];"]
        var parties: [String: PathParty] = [:]
        for a in alerts { for p in a.path { parties[p.id] = p } }
        for a in alerts { for e in a.evidence where parties[e.from] == nil || parties[e.to] == nil {
            for id in [e.from, e.to] where parties[id] == nil { parties[id] = PathParty(id: id, name: id, country: "?", tier: 2, role: nil, tier3: []) }
        } }
        let colour = [1: "#d8ecd3", 2: "#fff1c2", 3: "#f6c9c4"]
        for id in parties.keys.sorted() {
            let p = parties[id]!
            lines.append("  \(dotID(id)) [label=\(dotID("\(p.id)\n\(p.country) · Tier \(p.tier)\(p.role.map { " · \($0)" } ?? "")")), fillcolor=\(dotID(colour[p.tier] ?? "white"))];")
        }
        for a in alerts {
            lines.append("  // \(a.id) \(a.severity.rawValue) \(formatDecimal(a.score))")
            for e in a.evidence {
                lines.append("  \(dotID(e.from)) -> \(dotID(e.to)) [label=\(dotID("\(e.id) \(e.date)\n\(formatDecimal(e.quantity)) × \(e.item)")), tooltip=\(dotID(a.id))];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
