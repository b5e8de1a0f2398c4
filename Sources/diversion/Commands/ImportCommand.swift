import ArgumentParser
import DiversionGraph
import DiversionStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a shipment graph into the database, all or nothing.",
        discussion: """
            PATH is a .json graph or a folder of CSV tables (Graphs/FORMAT.md). The whole import is one \
            transaction: bad input is reported with file, row and field, and nothing is stored.

            A graph is stored under a name (default: the file or folder name). Importing identical input again \
            changes nothing; a different graph under an existing name is refused unless --replace is given.
            """)

    @Argument(help: "A .json graph file or a folder of CSV tables.")
    var path: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "The name to store the graph under (default: the file or folder name).")
    var name: String?

    @Flag(help: "Replace a graph of the same name.")
    var replace = false

    @Flag(help: "No progress display.")
    var quiet = false

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path)
            let progress = ProgressLine(quiet: quiet)
            let started = Date()
            let outcome = try store.importGraph(path: path, name: name, mode: replace ? .replace : .refuse,
                                                progress: { progress.update($0) })
            progress.finish()
            let seconds = Date().timeIntervalSince(started)
            let graphName = name ?? GraphStore.defaultGraphName(for: path)
            switch outcome {
            case .unchanged:
                print("\(graphName): already imported from identical input; nothing changed (\(store.path))")
            case .imported(let s), .replaced(let s):
                let verb = { if case .replaced = outcome { return "replaced" } else { return "imported" } }()
                let counts = GraphTable.allCases.compactMap { t in s.rows[t].map { "\($0) \(t.rawValue)" } }
                print("\(graphName): \(verb) \(counts.joined(separator: ", ")) into \(store.path) in \(String(format: "%.2f", seconds)) s")
            }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored graph back in the interchange format.",
        discussion: "import → export → import gives the same data. JSON goes to standard output unless --output names a file; CSV needs --output (a folder).")

    @OptionGroup var database: DatabaseOption

    @Option(help: "json or csv.")
    var format: String = "json"

    @Option(help: "A file (json) or a folder (csv).")
    var output: String?

    @Option(help: "Which stored graph (default: the most recently imported).")
    var graph: String?

    func validate() throws {
        guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv") }
        if format == "csv" && output == nil { throw ValidationError("--format csv needs --output FOLDER") }
    }

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path, readOnly: true)
            try store.export(graph: graph, form: format == "csv" ? .csv : .json, to: output ?? "-")
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts per table and per country, and the date range of a stored graph.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "Which stored graph (default: the most recently imported).")
    var graph: String?

    @Option(help: "text or json.")
    var format: String = "text"

    func run() throws {
        try reportingErrors {
            let store = try GraphStore(path: database.path, readOnly: true)
            let s = try store.statistics(graph: graph)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(s), as: UTF8.self))
                return
            }
            print("graph \(s.graph) (from \(s.source), imported \(s.importedAt))")
            print("dates: \(s.firstDate ?? "-") to \(s.lastDate ?? "-")")
            print("")
            for t in GraphTable.allCases {
                print(t.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + String(s.tables[t.rawValue] ?? 0))
            }
            print("")
            print("country  entities  shipments out  shipments in")
            for c in s.countries {
                let name = CountryCode(c.country)?.name ?? c.country
                print("\(c.country)       \(pad(c.entities, 8))  \(pad(c.shipmentsOut, 13))  \(pad(c.shipmentsIn, 12))  \(name)")
            }
        }
    }

    func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: " ", count: max(0, w - s.count)) + s }
}
