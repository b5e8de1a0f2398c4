import ArgumentParser
import DiversionWorld
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic world (CSV folder) with injected schemes, decoys and their ground truth.",
        discussion: """
            The same --seed, --profile and shape options always give byte-identical files. typical: \
            controlled goods a few percent of traffic; dense: controlled goods through large Tier-2 hubs. Controlled goods leave a \
            party only from stock (what it received within 180 days; makers from their production), as in \
            complete trade data. DIR/ground-truth.json lists the injected schemes (which must be found) and \
            decoys (which must not be); each scheme says whether the analysis must report a violation (and on \
            which hop) or a lead. Scheme shapes: hub-and-spoke, long-chain, server-conversion, ownership-disguised, \
            listed-consignee, direct, and two from 17 November 2023. foreign-server: Taiwan-made dies built into \
            servers in Thailand and sent on to a Tier-3 buyer (a violation on the dies' hop, or on the last hop \
            when the server's U.S. technology is recorded). reseller-server: Vietnam-built servers of a \
            U.S.-headquartered reseller re-exported through Tier-2 chains (a violation on hop 0 from the \
            United States, a lead from Mexico).

            --shape changes what the tables look like, not the trade in them, so that benchmarks do not flatter \
            one shape; schemes, decoys and their ground truth keep their rules on every shape. default: one \
            party per 10 shipments, the ~60 catalogue items, short text, filled cells, rows in date and id \
            order (byte-identical to worlds from before shapes existed). wide: one party per 40 shipments (250,000 \
            parties at 10M). catalogue: 6,000 extra items (EAR99 and unclassified goods, one in twenty a \
            controlled variant of a catalogue chip or server under a fresh id), party names of 40 to 120 \
            characters with an address and commas in them, item descriptions of 100 to 250. messy: one party \
            per 100 shipments, long text, about half the optional cells empty (value, declared end user, \
            reference and background licences; roles; descriptions), rows of shipments.csv and entities.csv \
            in a seeded random order (each day's shipments keep their order). The options below change one \
            thing of the shape chosen.
              diversion generate --shipments 1000000 --seed 1 --out /tmp/world-1m
              diversion generate --shipments 1000000 --shape messy --out /tmp/world-1m-messy
              diversion generate --shipments 1000000 --shape wide --extra-items 20000 --out /tmp/world-1m-items
            """)

    @Option(help: "Number of shipments (1,000 to 100,000,000).") var shipments: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The output folder.") var out: String
    @Option(help: "typical or dense.") var profile: String = "typical"
    @Option(help: "default, wide, catalogue or messy.") var shape: String = "default"
    @Option(help: "Shipments per background party, 10 to 100 (the shape's unless given).") var shipmentsPerEntity: Int?
    @Option(help: "Synthetic items beyond the catalogue, 0 to 60,000 (the shape's unless given).") var extraItems: Int?
    @Flag(help: "Long party names and item descriptions.") var longText = false
    @Flag(help: "About half of the optional cells empty.") var sparseOptional = false
    @Flag(help: "Rows of shipments.csv and entities.csv in a seeded random order.") var shuffled = false
    @Flag(name: .customLong("quoted-cells"), help: "Shipment references quoted with a comma inside, as other tools write them.") var quotedCells = false
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        guard WorldConfiguration.shipmentRange.contains(shipments) else {
            throw ValidationError("--shipments must be from 1,000 to 100,000,000")
        }
        guard WorldProfile(rawValue: profile) != nil else { throw ValidationError("--profile must be typical or dense") }
        guard WorldShape(named: shape) != nil else {
            throw ValidationError("--shape must be " + WorldShape.named.map(\.name).joined(separator: ", "))
        }
        if let n = shipmentsPerEntity, !WorldShape.shipmentsPerEntityRange.contains(n) {
            throw ValidationError("--shipments-per-entity must be from 10 to 100")
        }
        if let n = extraItems, !WorldShape.extraItemsRange.contains(n) {
            throw ValidationError("--extra-items must be from 0 to 60,000")
        }
    }

    /// The named shape with the options given on top.
    var worldShape: WorldShape {
        var s = WorldShape(named: shape)!
        if let n = shipmentsPerEntity { s.shipmentsPerEntity = n }
        if let n = extraItems { s.extraItems = n }
        if longText { s.longText = true }
        if sparseOptional { s.sparseOptional = true }
        if shuffled { s.shuffled = true }
        if quotedCells { s.quotedCells = true }
        return s
    }

    func run() throws {
        try reportingErrors {
            let started = Date()
            let show = !quiet && isatty(2) != 0
            let configuration = WorldConfiguration(shipments: shipments, seed: seed, profile: WorldProfile(rawValue: profile)!,
                                                   shape: worldShape)
            let truth = try WorldGenerator(configuration)
                .write(to: out, progress: { n in
                    if show { FileHandle.standardError.write(Data("\r\u{1B}[K  \(n) shipments".utf8)) }
                })
            if show { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let shapeNote = truth.worldShape.map { ", shape \($0), \(truth.items ?? 0) items" } ?? ""
            print("\(out): \(shipments) shipments\(shapeNote), \(truth.entities) parties, \(truth.schemes.count) schemes, \(truth.decoys.count) decoys in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
