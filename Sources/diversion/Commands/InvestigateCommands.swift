import ArgumentParser
import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionStore
import Foundation

struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Trace watched goods into or out of a party, whatever the tiers.",
        discussion: """
            --to PARTY: every chain of watched goods that reaches the party (what reaches it, and from whom). \
            --from PARTY: every chain that leaves it (where a supplier's chips go). Chains follow the lots that \
            can have fed each shipment (stock received within the window), so each shows the quantity that can have \
            flowed.
              diversion paths --to buyer-cn Graphs/sample-network.json
              diversion paths --from nvx-us --db my.sqlite --format dot | dot -Tsvg > paths.svg
            """)

    @Option(help: "Trace chains that leave this party.") var from: String?
    @Option(help: "Trace chains that reach this party.") var to: String?
    @Argument(help: "A graph file or CSV folder (or use --db).") var path: String?
    @Option(help: "The SQLite database to read instead of a file.") var db: String?
    @Option(help: "Which stored graph (with --db).") var graph: String?
    @Option(help: "text, jsonl or dot.") var format: String = "text"
    @Option(help: "Most chains to list.") var limit: Int = 200
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rules: RulesOption

    func validate() throws {
        if (from == nil) == (to == nil) { throw ValidationError("give exactly one of --from PARTY or --to PARTY") }
        if (path == nil) == (db == nil) { throw ValidationError("give a graph PATH or --db FILE") }
        guard ["text", "jsonl", "dot"].contains(format) else { throw ValidationError("--format must be text, jsonl or dot") }
    }

    struct Chain: Codable { var shipments: [String]; var parties: [String]; var tracedQuantity: Double; var tracedWatchedUnits: Double }

    func run() throws {
        try reportingErrors {
            let g: ShipmentGraph = try path.map { try ShipmentGraph.load(path: $0) } ?? GraphStore(path: db!, readOnly: true).loadGraph(graph)
            let partyID = from ?? to!
            guard let party = g.entity(named: partyID) else { throw CommandError("no entity \"\(partyID)\" in the graph") }
            let search = PathSearch(graph: g, rules: try rules.load(), parameters: try options.parameters())
            let (chains, truncated) = search.trace(party, direction: from != nil ? .downstream : .upstream, limit: limit)
            let rendered = chains.map { c in
                Chain(shipments: c.shipments.map { g.shipmentID($0) },
                      parties: [g.entityID(g.shipper(of: c.shipments[0]))] + c.shipments.map { g.entityID(g.shipmentTo[$0]) },
                      tracedQuantity: (c.tracedQuantity * 100).rounded() / 100, tracedWatchedUnits: (c.tracedWatchedUnits * 100).rounded() / 100)
            }
            switch format {
            case "jsonl": for c in rendered { print(try encodeJSON(c, pretty: false)) }
            case "dot":
                var lines = ["digraph paths {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
                var edges = Set<String>()
                for c in chains { for s in c.shipments {
                    let r = g.shipmentRecord(s)
                    edges.insert("  \"\(r.from)\" -> \"\(r.to)\" [label=\"\(r.id) \(r.date)\\n\(formatDecimal(r.quantity)) × \(r.item)\"];")
                } }
                lines += edges.sorted()
                lines.append("}")
                print(lines.joined(separator: "\n"))
            default:
                print("\(rendered.count) chain\(rendered.count == 1 ? "" : "s") of watched goods \(from != nil ? "leaving" : "reaching") \(partyID)\(truncated ? " (first \(limit) shown; raise --limit)" : "")")
                for c in rendered {
                    print("  " + c.parties.enumerated().map { i, p in
                        let party = g.entity(named: p)!
                        return "\(p) (\(g.entityCountry[Int(party)].code), Tier \(search.tiers.tier3Reasons(party, on: g.day(c.shipments.isEmpty ? 0 : g.shipment(named: c.shipments[max(0, i - 1)])!)).isEmpty ? search.tiers.countryTier(party, on: Day.today).rawValue : 3))"
                    }.joined(separator: " → "))
                    print("    shipments \(c.shipments.joined(separator: " → ")); traced \(formatDecimal(c.tracedQuantity)) units (\(formatDecimal(c.tracedWatchedUnits)) watched)")
                }
            }
        }
    }
}

struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Show one stored alert in full: reasoning, evidence, basis and decisions.")

    @Argument(help: "The alert id (from `diversion analyze`).") var id: String
    @OptionGroup var database: DatabaseOption
    @Option(help: "text, json or dot.") var format: String = "text"

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path, readOnly: true)
            var (alert, run) = try store.alert(id: id)
            if let d = try store.decisions()[id] { alert.decision = "\(d.verdict.rawValue) on \(d.decidedAt): \(d.note)" }
            switch format {
            case "json": print(try encodeJSON(alert))
            case "dot": print(try AlertWriter.render([alert], format: .dot), terminator: "")
            default:
                print(try AlertWriter.render([alert], format: .text, header: "from run \(run.id) of graph \(run.graph) (\(run.startedAt); rules \(run.rules))"), terminator: "")
                print("evidence:")
                for e in alert.evidence {
                    print("  \(e.id)  \(e.date)  \(e.from) → \(e.to)  \(formatDecimal(e.quantity)) × \(e.item)\(e.value.map { "  $\(formatDecimal($0))" } ?? "")\(e.reference.map { "  ref \($0)" } ?? "")\(e.license.map { "  license \($0)" } ?? "")\(e.declaredEndUser.map { "  end user \($0)" } ?? "")")
                }
                print("jurisdiction (shipment \(alert.jurisdiction.shipment), rules of \(alert.jurisdiction.ruleVersion)):")
                for b in alert.jurisdiction.bases { print("  15 CFR \(b.paragraph) [\(b.kind)]: \(b.summary)") }
                for r in alert.jurisdiction.licenseReasons { print("  license: 15 CFR \(r.paragraph): \(r.reason)") }
                if !alert.jurisdiction.assumptions.isEmpty { print("  assumptions: \(alert.jurisdiction.assumptions.joined(separator: ", "))") }
                print("signals:")
                for s in alert.signals { print("  \(s.id) (+\(formatDecimal(s.weight))): \(s.detail)\n    source: \(s.source)") }
                print("evidence digest: \(alert.evidenceDigest)")
            }
        }
    }
}

struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Mark an alert confirmed or dismissed, or a match accepted or rejected, with a note.",
        discussion: """
            An alert (DP-…, DL-…, UD-…): a dismissed alert is not raised again by later runs unless its evidence \
            changes; a confirmed one is shown with the decision.
            A match (M-…, from `diversion matches`): an accepted match feeds the analysis (the party takes on the \
            list entry's listings and holdings, and alerts say so); a rejected one never does, whatever its score. \
            The decision holds for every later import that proposes the same match.
            """)

    @Argument(help: "The alert id, or a match id (M-…).") var id: String
    @Flag(help: "The alert is a real diversion.") var confirm = false
    @Flag(help: "The alert is a false positive.") var dismiss = false
    @Flag(help: "The match is right: the party is the list entry.") var accept = false
    @Flag(help: "The match is wrong: another firm.") var reject = false
    @Option(help: "Why (kept with the decision).") var note: String
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if id.hasPrefix("M-") {
            if accept == reject || confirm || dismiss { throw ValidationError("for a match (M-…) give exactly one of --accept or --reject") }
        } else if confirm == dismiss || accept || reject {
            throw ValidationError("for an alert give exactly one of --confirm or --dismiss (--accept and --reject are for matches, M-…)")
        }
        if note.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--note must say why") }
    }

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path)
            if id.hasPrefix("M-") {
                try store.decideMatch(id: id, accept: accept, note: note)
                print("\(id): \(accept ? "accepted: the party takes on the list entry's listings and holdings in later analyses" : "rejected: it feeds no analysis, whatever its score")")
                return
            }
            let d = try store.decide(alert: id, verdict: confirm ? .confirmed : .dismissed, note: note)
            print("\(id): \(d.verdict.rawValue) (evidence \(d.evidenceDigest)); \(d.verdict == .dismissed ? "later runs hold it back until its evidence changes" : "later runs show it with this decision")")
        }
    }
}
