import ArgumentParser
import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionStore
import Foundation

struct AnalysisOptions: ParsableArguments {
    @Option(help: "Longest gap between consecutive hops, in days.") var window: Int = 180
    @Option(name: .customLong("max-hops"), help: "Most shipments in a path.") var maxHops: Int = 6
    @Option(name: .customLong("as-of"), help: "Judge every shipment under this date's rules (YYYY-MM-DD) instead of its own date's.") var asOf: String?
    @Option(help: ArgumentHelp("Watched ECCNs and HS codes, comma-separated.", discussion: "Default: 3A090,4A090 and the .z items. HS codes (digits and dots, e.g. 8542.31) catch data without ECCNs.", valueName: "ECCN-or-HS,...")) var watch: String?
    @Option(name: .customLong("min-quantity"), help: "Drop paths whose traced quantity (in watched units) is below this.") var minQuantity: Double = 0
    @Option(help: "Worker threads.") var threads: Int = 2
    @Option(help: ArgumentHelp("Which alerts to report: violations, leads or all.", discussion: "A violation is a path with a hop subject to the EAR that needed a license for where the goods were going and records none (kinds diversion-path and unlicensed-direct); a lead is a path into a Tier-3 party whose jurisdiction turns on a fact the data lacks, named in the alert (kind diversion-lead, scored below every violation).", valueName: "violations|leads|all")) var only: String = "all"

    func validate() throws {
        guard window >= 0 else { throw ValidationError("--window must be 0 or more days") }
        guard (2...12).contains(maxHops) else { throw ValidationError("--max-hops must be between 2 and 12") }
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of must be a real date YYYY-MM-DD, not \"\(asOf)\"") }
        if let watch { _ = try WatchList.parse(watch) }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard AlertSelection(rawValue: only) != nil else { throw ValidationError("--only must be violations, leads or all, not \"\(only)\"") }
    }

    func parameters() throws -> AnalysisParameters {
        var p = AnalysisParameters()
        p.window = window
        p.maxHops = maxHops
        p.asOf = asOf.flatMap { Day($0) }
        if let watch { p.watch = try WatchList.parse(watch) }
        p.minimumQuantity = minQuantity
        p.threads = threads
        p.report = AlertSelection(rawValue: only) ?? .all
        return p
    }
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find diversion paths and write the alert list (the main job).",
        discussion: """
            With PATH, imports the graph into the database (default: the embedded one) and analyzes it; \
            without PATH, analyzes the most recent graph in the database (or --graph NAME). --no-db analyzes \
            PATH in memory without touching any database (for batch runs): it holds only the shipments of \
            goods the watch list reaches through bills of materials (the only ones the analysis reads), while \
            every row of shipments.csv is still checked as an import checks it.

            The run (parameters, rule versions, input digest, time) and its alerts are stored. Alerts an analyst \
            dismissed (`diversion decide`) are held back while their evidence is unchanged.

            Exit status: 0 = no alerts, 1 = alerts found, 2 = the run failed (bad input, missing file, \
            database error).
            """)

    @Argument(help: "A .json graph or a folder of CSV tables to import and analyze.") var path: String?
    @OptionGroup var database: DatabaseOption
    @Option(help: "Which stored graph (default: PATH's, else the most recently imported).") var graph: String?
    @Flag(name: .customLong("no-db"), help: "Analyze PATH in memory, holding only the shipments of watched goods; store nothing.") var noDatabase = false
    @Flag(help: "Replace a stored graph of the same name with PATH.") var replace = false
    @Option(help: "jsonl, csv, text or dot.") var format: String = "jsonl"
    @Option(help: "Write the alert list to this file (default: standard output).") var output: String?
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rules: RulesOption
    @Flag(help: "No progress or summary on standard error.") var quiet = false

    func validate() throws {
        guard AlertFormat(rawValue: format) != nil else { throw ValidationError("--format must be jsonl, csv, text or dot") }
        if noDatabase && path == nil { throw ValidationError("--no-db needs a PATH to analyze") }
    }

    func run() throws {
        let alertCount: Int = try reportingErrors {
            let started = Date()
            let book = try rules.load()
            let parameters = try options.parameters()
            let progress = ProgressLine(quiet: quiet)
            var graphName = graph ?? path.map { GraphStore.defaultGraphName(for: $0) }
            let shipmentGraph: ShipmentGraph
            var store: GraphStore?
            var inputDigest = ""
            if noDatabase {
                // Only the shipments this analysis reads are held; every row is still checked.
                shipmentGraph = try ShipmentGraph.load(path: path!, keeping: parameters.shipmentSelection,
                                                       progress: { progress.update($0) })
                inputDigest = InputDigest.of(path: path!)
            } else {
                let s = try GraphStore(path: database.path)
                store = s
                if let path {
                    _ = try s.importGraph(path: path, name: graph, mode: replace ? .replace : .refuse, progress: { progress.update($0) })
                }
                let resolved = try s.resolveGraph(graphName)
                graphName = resolved.name
                shipmentGraph = try s.loadGraph(resolved.name)
                inputDigest = try s.inputDigest(graph: resolved.name)
            }
            progress.finish()
            let loaded = Date()
            let result = Analyzer(graph: shipmentGraph, rules: book, parameters: parameters,
                                  redFlags: try RedFlagCatalogue.bundled()).run()
            var shown = result.alerts
            var suppressed: [Alert] = []
            if let store { (shown, suppressed) = applyDecisions(result.alerts, try store.decisions()) }
            let header = "diversion analyze: graph \(graphName ?? "?"), \(shipmentGraph.shipmentsRead) shipments, window \(parameters.window) days, max hops \(parameters.maxHops), watch \(parameters.watch.description)\(parameters.asOf.map { ", rules as of \($0)" } ?? ", each shipment under its own date's rules")"
            try writeAtomically(try AlertWriter.render(shown, format: AlertFormat(rawValue: format)!, header: header), to: output)
            let seconds = Date().timeIntervalSince(started)
            var runID: Int64?
            if let store, let graphName {
                let paramsJSON = try encodeJSON(parameters, pretty: false)
                runID = try store.recordRun(graph: graphName, kind: "analyze", parameters: paramsJSON,
                                            rules: result.ruleVersions.joined(separator: ","), inputDigest: inputDigest,
                                            startedAt: started, seconds: seconds, alerts: result.alerts)
            }
            if !quiet {
                let s = result.statistics
                var line = "\(shown.count) alert\(shown.count == 1 ? "" : "s")"
                if !suppressed.isEmpty { line += " (\(suppressed.count) dismissed earlier and unchanged, not shown)" }
                line += "; \(s.shipments) shipments, \(s.terminals) final shipments into Tier-3 parties, \(s.paths) paths, \(s.leadPaths) lead paths"
                line += String(format: "; load %.2f s, analysis %.2f s", loaded.timeIntervalSince(started), Date().timeIntervalSince(loaded))
                if let runID { line += "; stored as run \(runID) in \(store!.path)" }
                if s.truncatedTerminals > 0 { line += "; \(s.truncatedTerminals) final shipments had more paths than the search keeps" }
                printError(line)
            }
            return shown.count
        }
        if alertCount > 0 { throw Exit.findings }
    }
}

/// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a file;
/// to standard output when `path` is nil.
func writeAtomically(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    let temp = path + ".partial"
    guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)) else {
        throw CommandError("\(path): cannot be written")
    }
    if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
    do { try FileManager.default.moveItem(atPath: temp, toPath: path) } catch { throw CommandError("\(path): cannot be written") }
}
