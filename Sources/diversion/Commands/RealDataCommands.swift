import ArgumentParser
import DiversionGraph
import DiversionMatching
import DiversionRules
import DiversionSources
import DiversionStore
import Foundation

extension ListFormat: ExpressibleByArgument {}

struct ImportListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-list",
        abstract: "Import a screening list for a stored graph and match its entries to the graph's parties.",
        discussion: """
            --format csl reads the U.S. Consolidated Screening List as trade.gov exports it (CSV or JSON); \
            --format ftm reads OpenSanctions FollowTheMoney JSON Lines (parties, listings from topics and \
            datasets, ownership with shares and dates). Formats and the list kinds they map to: Graphs/FORMAT.md.

            The file is read whole before anything is stored: a malformed row is reported with file, line and \
            field, and nothing of the file is stored. Each entry keeps its source row. The entries are then \
            matched to the graph's parties by name (normalised, token-set and Jaro-Winkler), country and \
            address; matches scoring 0.95 or more feed the analysis at once (the party takes on the entry's \
            listings and holdings, and alerts say so), the others wait for `diversion decide M-… --accept`. \
            `diversion matches` lists them. Lists belong to the graph they were imported for: `import \
            --replace` of that graph drops them (decisions stay, keyed by the match).

              diversion import-shipments Graphs/real-data/bol-extract.csv --mapping Graphs/real-data/bol-mapping.yaml --name bol
              diversion import-list Graphs/real-data/csl-sample.csv --format csl --graph bol
              diversion matches --graph bol
            """)

    @Argument(help: "The list file (.csv, .json or .jsonl).") var file: String
    @Option(help: "csl or ftm.") var format: ListFormat
    @Option(help: "Which stored graph (default: the most recently imported).") var graph: String?
    @Option(help: "Lowest score proposed as a match (default: the matcher's).") var threshold: Double?
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold is a score from 0 to 1, such as 0.9") }
    }

    func run() throws {
        try reportingErrors {
            let list = try ListReader.read(path: file, format: format)
            let store = try GraphStore(path: database.path)
            let summary = try store.importList(list, graph: graph, digest: InputDigest.of(path: file))
            let (proposed, effective) = try store.rematch(graph: summary.graph, threshold: threshold ?? NameMatcher.defaultThreshold)
            let kinds = summary.listings.keys.sorted().map { "\($0) \(summary.listings[$0]!)" }.joined(separator: ", ")
            print("\(file): \(summary.entries) entries (\(kinds.isEmpty ? "no listings" : kinds)), \(summary.ownership) holdings, for graph \(summary.graph)")
            print("\(proposed) matches proposed, \(effective) feeding the analysis; `diversion matches --graph \(summary.graph)` to review")
        }
    }
}

struct MatchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matches",
        abstract: "List the proposed matches between screening-list entries and a graph's parties.",
        discussion: """
            Best first, each with its id (M-…), score, evidence and decision. A match feeds the analysis when \
            an analyst accepted it or, undecided, it scores 0.95 or more; `diversion decide M-… --accept` or \
            `--reject` decides (kept across imports).
            """)

    @Option(help: "Which stored graph (default: the most recently imported).") var graph: String?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @OptionGroup var database: DatabaseOption

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path, readOnly: true)
            let matches = try store.matches(graph: graph)
            if format == .json { print(try encodeJSON(matches)); return }
            if matches.isEmpty { print("No matches. `diversion import-list FILE --format csl|ftm` imports a list and matches it."); return }
            for m in matches {
                let state = m.decision.map { "\($0)\(m.decisionNote.map { ": \($0)" } ?? "")" }
                    ?? (m.isEffective ? "feeds the analysis (score ≥ \(formatDecimal(GraphStore.autoAcceptScore)))" : "awaiting a decision")
                print("\(m.id)  score \(String(format: "%.2f", m.score))  \(m.party) \"\(m.partyName)\" ≈ \"\(m.entryName)\" (\(m.source)\(m.footnote.map { ", footnote \($0)" } ?? ""))  [\(state)]")
                for e in m.evidence { print("    - \(e)") }
                print("    - from \(m.sourceFile), line \(m.sourceLine)")
            }
        }
    }
}

struct ImportShipmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-shipments",
        abstract: "Import a customs or bill-of-lading extract as a shipment graph, through a column mapping.",
        discussion: """
            MAPPING (YAML, Graphs/FORMAT.md) says which column holds the shipper, consignee and notify party, \
            their addresses and countries, the HS code, description, quantity, weight, value, dates and ports, \
            whether rows are shipments or container lines (grouped by bill of lading), and which HS codes and \
            description keywords are watched goods with their ECCN.

            Parties named only by free text are created by name and address; spellings of one firm that the \
            matcher scores at or above its threshold become one party ("SHENZHEN TIANYU AI COMPUTING CO LTD" \
            and "Shenzhen Tianyu A.I. Computing Co., Ltd."). Placeholders ("TO ORDER", "SAME AS CONSIGNEE", \
            blank) are never merged: each is a party of its own. An item's origin is the extract's country of \
            origin, or ZZ (unknown), which the analysis asks about rather than assumes.

            The graph is written in the interchange format (to --out, or a temporary folder) and imported as \
            one transaction; a malformed row is reported with file, line and field and nothing is stored.

              diversion import-shipments Graphs/real-data/bol-extract.csv --mapping Graphs/real-data/bol-mapping.yaml --name bol
              diversion analyze --graph bol --format text
            """)

    @Argument(help: "The extract (CSV).") var file: String
    @Option(help: "The column mapping (YAML).") var mapping: String
    @Option(help: "The name to store the graph under (default: the file name).") var name: String?
    @Option(help: "Also keep the graph as a folder of CSV tables here.") var out: String?
    @Flag(help: "Replace a graph of the same name.") var replace = false
    @OptionGroup var database: DatabaseOption

    func run() throws {
        try reportingErrors {
            let map = try ShipmentMapping.load(path: mapping)
            let rows = try ShipmentExtractReader.read(path: file, mapping: map)
            let graphName = name ?? GraphStore.defaultGraphName(for: file)
            let resolved = ExtractResolver.resolve(rows, mapping: map, name: graphName)
            let folder = out ?? (FileManager.default.temporaryDirectory.path + "/diversion-extract-\(UUID().uuidString)")
            defer { if out == nil { try? FileManager.default.removeItem(atPath: folder) } }
            try GraphWriter.write(resolved.document, form: .csv, to: folder)
            let store = try GraphStore(path: database.path)
            _ = try store.importGraph(path: folder, name: graphName, mode: replace ? .replace : .refuse, progress: nil)
            let merged = resolved.parties.filter { $0.spellings.count > 1 }
            let placeholders = resolved.parties.filter(\.isPlaceholder).count
            print("\(file): \(rows.count) shipments, \(resolved.parties.count - placeholders) parties (\(merged.count) written more than one way), \(placeholders) placeholder parties kept apart; stored as graph \(graphName) in \(store.path)")
            for p in merged {
                print("    \(p.id): \(p.spellings.map { "\"\($0)\"" }.joined(separator: ", ")) (lowest score \(String(format: "%.2f", p.lowestScore ?? 1)))")
            }
            for (line, why) in resolved.skipped { print("    line \(line) left out: \(why)") }
        }
    }
}
