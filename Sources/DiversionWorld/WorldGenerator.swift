import DiversionGraph
import Foundation

/// Writes a seeded synthetic world: the eight CSV tables of the interchange format and `ground-truth.json`.
///
/// A world is background trade (parties in Tier-1, Tier-2 and Tier-3 countries, power-law volumes, EAR99
/// goods everywhere, controlled chips and servers only among clean Tier-1/Tier-2 parties) plus injected
/// diversion schemes and look-alike decoys, listed in the ground truth. The same configuration always
/// gives byte-identical files.
///
///     let truth = try WorldGenerator(WorldConfiguration(shipments: 100_000, seed: 7)).write(to: "/tmp/world")
///     truth.schemes.count  // 10
///
/// - Complexity: O(shipments) time; memory O(parties + schemes), never O(shipments): shipments are
///   generated and written row by row.
public struct WorldGenerator: Sendable {
    public let configuration: WorldConfiguration

    public init(_ configuration: WorldConfiguration) {
        self.configuration = configuration
    }

    /// The random streams of a world; each part draws from its own so that parts do not shift each other.
    enum Stream: UInt64 {
        case parties = 1, pools, injection, publicIds, background
        /// The shape's streams, drawn from only when its option is on.
        case items, sparse, shuffle, sparseItems
    }

    /// Writes the eight CSV tables into `directory` (created if needed) and `directory/ground-truth.json`;
    /// returns the ground truth.
    ///
    /// - Parameter progress: called with the number of shipment rows written so far, every 65,536 rows and
    ///   at the end.
    public func write(to directory: String, progress: (@Sendable (Int) -> Void)? = nil) throws -> GroundTruth {
        let c = configuration
        guard WorldConfiguration.shipmentRange.contains(c.shipments) else {
            throw WorldGenerationError("a world has 1,000 to 100,000,000 shipments, not \(c.shipments)")
        }
        guard WorldShape.shipmentsPerEntityRange.contains(c.shape.shipmentsPerEntity) else {
            throw WorldGenerationError("a world has one party per 10 to 100 shipments, not per \(c.shape.shipmentsPerEntity)")
        }
        guard WorldShape.extraItemsRange.contains(c.shape.extraItems) else {
            throw WorldGenerationError("a world has 0 to 60,000 extra items, not \(c.shape.extraItems)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WorldGenerationError("\(directory): the folder cannot be created")
        }
        let model = WorldModel(c)
        var r = SeededRandom(seed: c.seed, stream: Stream.parties.rawValue)
        model.populateBackground(&r)
        r = SeededRandom(seed: c.seed, stream: Stream.pools.rawValue)
        model.buildPools(&r)
        var planner = InjectionPlanner(model: model, random: SeededRandom(seed: c.seed, stream: Stream.injection.rawValue))
        planner.plan()
        precondition(planner.shipments.count < c.shipments, "injected shipments exceed the world")

        let ids = PublicIds(model: model, shipments: c.shipments,
                            random: SeededRandom(seed: c.seed, stream: Stream.publicIds.rawValue))
        try writeEntities(model, ids, to: directory)
        try writeReferenceTables(model, ids, to: directory)
        let injectedIds = try writeShipments(model, planner.shipments, ids, to: directory, progress: progress)

        func names(_ list: [Int]) -> [String] { list.map { ids.shipment(injectedIds[$0]) } }
        let truth = GroundTruth(
            seed: c.seed, profile: c.profile.rawValue, worldShape: c.shape == .default ? nil : c.shape.name,
            shipments: c.shipments, entities: model.parties.count, items: c.shape == .default ? nil : model.items.items.count,
            schemes: planner.schemes.enumerated().map { k, s in
                GroundTruth.Scheme(id: "scheme-" + zeroPadded(k + 1, 4), shape: s.shape.rawValue,
                                   shipments: names(s.shipments), finalParty: ids.party(s.finalParty),
                                   tier3Reason: s.reason.rawValue, expect: s.finding.expectation.rawValue,
                                   violationHop: s.finding.hop)
            },
            decoys: planner.decoys.enumerated().map { k, d in
                GroundTruth.Decoy(id: "decoy-" + zeroPadded(k + 1, 4), breaks: d.breaks.rawValue, shipments: names(d.shipments))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let path = directory + "/ground-truth.json"
        do {
            var data = try encoder.encode(truth)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw WorldGenerationError("\(path): cannot be written")
        }
        return truth
    }
}

/// The public ids of a world: parties numbered in a shuffled order (so that a party's number tells nothing
/// about its role in the world), shipments in file order.
struct PublicIds {
    /// `number[p]`: the public number (from 1) of internal party `p`.
    let number: [Int32]
    /// `party[n - 1]`: the internal party with public number `n`.
    let party: [Int32]
    let partyWidth: Int
    let shipmentWidth: Int

    init(model: WorldModel, shipments: Int, random: SeededRandom) {
        var r = random
        let total = model.parties.count
        var order = (0..<Int32(total)).map { $0 }
        r.shuffle(&order)
        var number = [Int32](repeating: 0, count: total)
        for (k, p) in order.enumerated() { number[Int(p)] = Int32(k + 1) }
        self.number = number
        self.party = order
        partyWidth = max(7, String(total).count)
        shipmentWidth = max(8, String(shipments).count)
    }

    func party(_ p: Int32) -> String { "p" + zeroPadded(Int(number[Int(p)]), partyWidth) }
    func shipment(_ k: Int) -> String { "s" + zeroPadded(k, shipmentWidth) }
}

/// `v` in decimal, with leading zeros up to `width` digits.
func zeroPadded(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}
