import ArgumentParser

@main
struct Diversion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diversion",
        abstract: "Find where export-controlled AI chips leak to destinations the EAR keeps them from.",
        discussion: """
            Load a shipment graph (parties, items with ECCNs, bills of materials, provenance, plants, ownership, \
            screening lists and dated shipments), decide EAR jurisdiction for each item on each shipment under the \
            rules in force on its date, and find diversion paths through Tier-2 intermediaries to Tier-3 parties.

            Start here:
              diversion analyze Graphs/sample-network.json --format text
              diversion explain --shipment a4 --graph Graphs/sample-network.json
              diversion classify --tops 1979 --bit-length 8 --die-area 814

            Formats: Graphs/FORMAT.md (graphs), Scenarios/FORMAT.md (scenarios).
            Exit status: 0 success (analyze: no alerts), 1 alerts found or an expectation failed, \
            2 or more the run failed (bad input, missing file, database error).
            """,
        subcommands: [
            ImportCommand.self, ExportCommand.self, StatsCommand.self, ClassifyCommand.self, ExplainCommand.self, AnalyzeCommand.self, PathsCommand.self, AlertCommand.self, DecideCommand.self, ImportListCommand.self, ImportShipmentsCommand.self, MatchesCommand.self, ScenarioCommand.self, GenerateCommand.self,
        ])
}
