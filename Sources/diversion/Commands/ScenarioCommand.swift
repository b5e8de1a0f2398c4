import ArgumentParser
import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionScenarios
import DiversionStore
import Foundation

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run \"what if\" scenario files and compare them.",
        discussion: "Scenario files are YAML (Scenarios/FORMAT.md): graphs to load, rule changes, path parameters and expectations.",
        subcommands: [ScenarioRunCommand.self, ScenarioDiffCommand.self])
}

/// Finds scenario files: the file itself, or every .yaml/.yml file in a folder (not recursive), sorted.
func scenarioFiles(_ path: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CommandError("\(path): no such scenario file or folder")
    }
    guard isDirectory.boolValue else { return [path] }
    let base = path.hasSuffix("/") ? String(path.dropLast()) : path
    return ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(base)/\($0)" }
}

/// The folder scenario paths must stay inside: --root, else the working directory when the scenario is
/// under it, else the scenario's own folder.
func scenarioRoot(_ root: String?, for file: String) -> String {
    if let root { return root }
    let cwd = FileManager.default.currentDirectoryPath
    let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
    return absolute.hasPrefix(cwd + "/") ? cwd : URL(fileURLWithPath: absolute).deletingLastPathComponent().path
}

struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one scenario or every scenario in a folder and check their expectations.",
        discussion: """
            Prints a line per scenario (PASS/FAIL, alerts, time), writes each scenario's alert list to \
            --output/<name>.jsonl, and stores the runs in the database. Graphs shared by several scenarios are \
            loaded once.

            Exit status: 0 = every expectation holds, 1 = an expectation failed, 2 = a scenario cannot run \
            (the error is printed with its file, line and column).
            """)

    @Argument(help: "A scenario file or a folder of them.") var path: String
    @Option(help: "Folder for each scenario's alert list.") var output: String = "scenario-output"
    @Option(help: "The SQLite database to record the runs in (default: the embedded one).") var db: String?
    @Flag(name: .customLong("no-db"), help: "Do not record the runs.") var noDatabase = false
    @Option(help: "Graph paths must stay inside this folder (default: the working directory).") var root: String?
    @OptionGroup var rules: RulesOption

    func run() throws {
        var failed = false
        var broken = false
        try reportingErrors {
            let files = try scenarioFiles(path)
            guard !files.isEmpty else { throw CommandError("\(path): no .yaml scenario files there") }
            let runner = ScenarioRunner(rules: try rules.load(), redFlags: try RedFlagCatalogue.bundled())
            let store: GraphStore? = noDatabase ? nil : try GraphStore(path: db ?? GraphStore.defaultPath)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let started = Date()
            for file in files {
                do {
                    let (scenario, parser) = try ScenarioParser.parse(path: file, root: scenarioRoot(root, for: file))
                    let result = try runner.run(scenario, references: parser)
                    try writeAtomically(try AlertWriter.render(result.alerts, format: .jsonl), to: "\(output)/\(scenario.name).jsonl")
                    let status = result.passed ? "PASS" : "FAIL"
                    print("\(status)  \(scenario.name)  \(result.alerts.count) alert\(result.alerts.count == 1 ? "" : "s")  \(String(format: "%.2f s", result.seconds))")
                    for f in result.failures { print("      \(f)") }
                    if !result.passed { failed = true }
                    if let store {
                        try store.recordRun(graph: scenario.graphs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: "+"),
                                            kind: "scenario:\(scenario.name)", parameters: try encodeJSON(scenario.parameters, pretty: false),
                                            rules: scenario.rules.summary.joined(separator: "; "),
                                            inputDigest: scenario.graphs.map { InputDigest.of(path: $0) }.joined(separator: "+"),
                                            startedAt: Date(), seconds: result.seconds, alerts: result.alerts)
                    }
                } catch let e as ScenarioError {
                    print("ERROR \(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)")
                    printError(e.description)
                    broken = true
                } catch let e as GraphLoadError {
                    print("ERROR \(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)")
                    printError("\(file): a graph it loads is rejected:\n" + e.description)
                    broken = true
                }
            }
            printError("\(files.count) scenario\(files.count == 1 ? "" : "s") in \(String(format: "%.2f s", Date().timeIntervalSince(started))); \(runner.cache.loads) graph load\(runner.cache.loads == 1 ? "" : "s"); alert lists in \(output)/")
        }
        if broken { throw Exit.failure }
        if failed { throw Exit.findings }
    }
}

struct ScenarioDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changes between two scenarios over the same graph, and which rule difference caused it.",
        discussion: "Alerts that appear, disappear or change severity, and determinations that change, each with its cause.")

    @Argument(help: "The baseline scenario.") var baseline: String
    @Argument(help: "The scenario to compare with it.") var candidate: String
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "Graph paths must stay inside this folder (default: the working directory).") var root: String?
    @OptionGroup var rules: RulesOption

    func run() throws {
        try reportingErrors {
            let runner = ScenarioRunner(rules: try rules.load(), redFlags: try RedFlagCatalogue.bundled())
            let (a, pa) = try ScenarioParser.parse(path: baseline, root: scenarioRoot(root, for: baseline))
            let (b, pb) = try ScenarioParser.parse(path: candidate, root: scenarioRoot(root, for: candidate))
            guard a.graphs == b.graphs, a.additions == b.additions else {
                throw CommandError("the scenarios load different graphs or inline additions (\(a.graphs.joined(separator: ", ")) and \(b.graphs.joined(separator: ", "))); diff compares rules over the same graph")
            }
            let diff = ScenarioDiff.compare(try runner.run(a, references: pa), try runner.run(b, references: pb))
            print(format == .json ? try encodeJSON(diff) : diff.text, terminator: format == .json ? "\n" : "")
        }
    }
}
