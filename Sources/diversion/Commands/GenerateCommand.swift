import ArgumentParser
import DiversionWorld
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic world (CSV folder) with injected schemes, decoys and their ground truth.",
        discussion: """
            The same --seed and --profile always give byte-identical files. typical: controlled goods a few \
            percent of traffic; dense: controlled goods through large Tier-2 hubs. Controlled goods leave a \
            party only from stock (what it received within 180 days; makers from their production), as in \
            complete trade data. DIR/ground-truth.json lists the injected schemes (which must be found) and \
            decoys (which must not be); each scheme says whether the analysis must report a violation (and on \
            which hop) or a lead. Shapes: hub-and-spoke, long-chain, server-conversion, ownership-disguised, \
            listed-consignee, direct, and two from 17 November 2023. foreign-server: Taiwan-made dies built into \
            servers in Thailand and sent on to a Tier-3 buyer (a violation on the dies' hop, or on the last hop \
            when the server's U.S. technology is recorded). reseller-server: Vietnam-built servers of a \
            U.S.-headquartered reseller re-exported through Tier-2 chains (a violation on hop 0 from the \
            United States, a lead from Mexico).
              diversion generate --shipments 1000000 --seed 1 --out /tmp/world-1m
            """)

    @Option(help: "Number of shipments (1,000 to 50,000,000).") var shipments: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The output folder.") var out: String
    @Option(help: "typical or dense.") var profile: String = "typical"
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        guard WorldConfiguration.shipmentRange.contains(shipments) else {
            throw ValidationError("--shipments must be from 1,000 to 50,000,000")
        }
        guard WorldProfile(rawValue: profile) != nil else { throw ValidationError("--profile must be typical or dense") }
    }

    func run() throws {
        try reportingErrors {
            let started = Date()
            let show = !quiet && isatty(2) != 0
            let truth = try WorldGenerator(WorldConfiguration(shipments: shipments, seed: seed, profile: WorldProfile(rawValue: profile)!))
                .write(to: out, progress: { n in
                    if show { FileHandle.standardError.write(Data("\r\u{1B}[K  \(n) shipments".utf8)) }
                })
            if show { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print("\(out): \(shipments) shipments, \(truth.entities) parties, \(truth.schemes.count) schemes, \(truth.decoys.count) decoys in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
