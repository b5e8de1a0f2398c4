import DiversionGraph
import DiversionWorld
import Foundation
import Testing

/// Each option of ``WorldShape`` does what it says to the tables, and changes nothing else: a shaped world is
/// compared with the default world of the same seed where the option promises to keep it.
@Suite struct WorldShapeTests {
    private let shipments = 40_000

    private func world(_ shape: WorldShape, seed: UInt64 = 4, profile: WorldProfile = .typical) throws -> GeneratedWorld {
        try GeneratedWorld(WorldConfiguration(shipments: shipments, seed: seed, profile: profile, shape: shape))
    }

    private func lines(_ world: GeneratedWorld, _ table: String) throws -> [Substring] {
        try String(contentsOfFile: world.folder + "/" + table, encoding: .utf8).split(separator: "\n").dropFirst().map { $0 }
    }

    /// One party per N shipments, from 10 to 100; the ground truth counts them.
    @Test(arguments: [10, 25, 40, 100])
    func partiesFollowShipmentsPerEntity(perEntity: Int) throws {
        let w = try world(WorldShape(shipmentsPerEntity: perEntity))
        defer { w.remove() }
        let expected = Double(shipments / perEntity)
        #expect(w.document.entities.count == w.truth.entities)
        #expect(abs(Double(w.document.entities.count) - expected) <= 0.1 * expected,
                "\(w.document.entities.count) parties for one per \(perEntity) shipments")
        #expect(Set(w.document.entities.compactMap(\.role)) == Set(PartyRole.allCases))
    }

    /// Extra items: the catalogue and N more with fresh ids, one in twenty a controlled variant (a server
    /// variant holding its base's catalogue chip); background trade ships many of them, schemes and decoys
    /// none.
    @Test func extraItemsAreBackgroundGoods() throws {
        let plain = try world(.default), w = try world(WorldShape(extraItems: 6_000))
        defer { plain.remove(); w.remove() }
        let catalogue = Set(plain.document.items.map(\.id))
        let extra = w.document.items.filter { !catalogue.contains($0.id) }
        #expect(w.document.items.count == catalogue.count + 6_000 && extra.count == 6_000)
        #expect(w.truth.items == w.document.items.count)
        let variants = extra.filter { w.isWatched($0.id) }
        #expect(variants.count == 300)
        #expect(extra.filter { $0.eccn == "EAR99" }.count > 2_500 && extra.filter { $0.eccn == nil && $0.hsCode != nil }.count > 1_500)
        for v in variants where v.eccn == "4A090.a" {
            #expect(w.contents[v.id]?.contains { catalogue.contains($0.key) && w.items[$0.key]?.eccn == "3A090.a" } == true, "\(v.id)")
        }
        let shipped = Set(w.document.shipments.map(\.item))
        #expect(extra.filter { shipped.contains($0.id) }.count >= 1_000)
        #expect(variants.contains { shipped.contains($0.id) })
        let injected = w.truth.schemes.flatMap(\.shipments) + w.truth.decoys.flatMap(\.shipments)
        #expect(injected.allSatisfy { catalogue.contains(w.shipments[$0]!.item) })
        // The schemes are those of the unshaped world: the same chains of the same goods.
        #expect(w.truth.schemes.map { $0.shipments.map { w.shipments[$0]!.item } }
                    == plain.truth.schemes.map { $0.shipments.map { plain.shipments[$0]!.item } })
    }

    /// Long text: names of 40 to 120 characters, each with commas (so quoted in the file), some with a
    /// quoted alias (quotes doubled in the file); descriptions of 100 to 250 characters. The rest of the world
    /// is the unshaped one.
    @Test func longTextIsLongAndQuoted() throws {
        let plain = try world(.default), w = try world(WorldShape(longText: true))
        defer { plain.remove(); w.remove() }
        #expect(w.document.entities.allSatisfy { (40...120).contains($0.name.utf8.count) && $0.name.contains(",") })
        #expect(w.document.entities.filter { $0.name.contains("\"") }.count * 10 >= w.document.entities.count)
        #expect(w.document.items.allSatisfy { (100...250).contains($0.description?.utf8.count ?? 0) })
        let entityLines = try lines(w, "entities.csv")
        #expect(entityLines.allSatisfy { $0.split(separator: ",", maxSplits: 1)[1].hasPrefix("\"") })
        #expect(entityLines.contains { $0.contains("\"\"") })
        for (a, b) in zip(plain.document.entities, w.document.entities) {
            #expect(a.id == b.id && b.name.hasPrefix(a.name) && a.country == b.country && a.role == b.role)
        }
        #expect(try lines(plain, "shipments.csv") == lines(w, "shipments.csv"))
    }

    /// Sparse optional cells: about half of each optional shipment cell is emptied, never anything else,
    /// never an injected shipment's licence; half the roles and descriptions go; no headquarters does.
    @Test func sparseOptionalEmptiesHalfTheOptionalCells() throws {
        let plain = try world(.default), w = try world(WorldShape(sparseOptional: true))
        defer { plain.remove(); w.remove() }
        let injected = Set(w.truth.schemes.flatMap(\.shipments) + w.truth.decoys.flatMap(\.shipments))
        #expect(plain.document.shipments.count == w.document.shipments.count)
        var values = 0, licences = 0, licencesKept = 0
        for (a, b) in zip(plain.document.shipments, w.document.shipments) {
            #expect(a.id == b.id && a.date == b.date && a.from == b.from && a.to == b.to && a.item == b.item && a.quantity == b.quantity)
            #expect(b.value == nil || b.value == a.value)
            #expect(b.declaredEndUser == nil || b.declaredEndUser == a.declaredEndUser)
            #expect(b.reference == nil || b.reference == a.reference)
            #expect(b.license == nil || b.license == a.license)
            if injected.contains(a.id) { #expect(b.license == a.license, "\(a.id): an injected licence emptied") }
            if b.value == nil { values += 1 }
            if a.license != nil && !injected.contains(a.id) {
                licences += 1
                if b.license != nil { licencesKept += 1 }
            }
        }
        let share = Double(values) / Double(shipments)
        #expect((0.45...0.55).contains(share), "\(share) of values empty")
        #expect((0.4...0.6).contains(Double(licencesKept) / Double(max(licences, 1))), "\(licencesKept) of \(licences) licences kept")
        let roles = Double(w.document.entities.filter { $0.role == nil }.count) / Double(w.document.entities.count)
        #expect((0.4...0.6).contains(roles), "\(roles) of roles empty")
        #expect(zip(plain.document.entities, w.document.entities).allSatisfy { $0.headquarters == $1.headquarters && $0.name == $1.name })
        let descriptions = Double(w.document.items.filter { $0.description == nil }.count) / Double(w.document.items.count)
        #expect((0.25...0.75).contains(descriptions), "\(descriptions) of descriptions empty")
        #expect(zip(plain.document.items, w.document.items).allSatisfy { $0.eccn == $1.eccn && $0.unitValue == $1.unitValue && $0.maker == $1.maker })
    }

    /// Shuffled rows: the same rows as the unshaped world, in no date or id order, except that the rows of one
    /// day keep their order (the analysis reads a day's rows in file order).
    /// Quoted references: the same world but each reference written `"BL…, ORIGINAL"`, which the loader reads
    /// back as that text (and the analysis finds the same schemes: DetectionTests runs the messy shape).
    @Test func quotedCellsQuoteTheReferences() throws {
        let plain = try world(.default), w = try world(WorldShape(quotedCells: true))
        defer { plain.remove(); w.remove() }
        let text = try lines(w, "shipments.csv")
        #expect(text.contains { $0.hasSuffix(", ORIGINAL\"") })
        var quoted = 0
        for (a, b) in zip(plain.document.shipments, w.document.shipments) {
            #expect(a.id == b.id && a.value == b.value && a.license == b.license)
            #expect(b.reference == a.reference.map { $0 + ", ORIGINAL" })
            if b.reference != nil { quoted += 1 }
        }
        #expect(quoted > 100)
    }

    @Test func shuffledRowsAreTheSameRowsOutOfOrder() throws {
        let plain = try world(.default), w = try world(WorldShape(shuffled: true))
        defer { plain.remove(); w.remove() }
        let a = try lines(plain, "shipments.csv"), b = try lines(w, "shipments.csv")
        #expect(a.sorted() == b.sorted() && a != b)
        let dates = b.map { $0.split(separator: ",")[1] }
        let descents = zip(dates, dates.dropFirst()).filter { $0 > $1 }.count
        #expect(descents > b.count / 3, "\(descents) of \(b.count) rows dated before the row above")
        var lastOfDay: [Substring: Substring] = [:]
        for line in b {
            let cells = line.split(separator: ",", maxSplits: 2)
            if let last = lastOfDay[cells[1]] { #expect(last < cells[0], "\(cells[0]) after \(last) on \(cells[1])") }
            lastOfDay[cells[1]] = cells[0]
        }
        let ea = try lines(plain, "entities.csv"), eb = try lines(w, "entities.csv")
        #expect(ea.sorted() == eb.sorted() && ea != eb)
        #expect(w.truth.schemes == plain.truth.schemes && w.truth.decoys == plain.truth.decoys)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// A world of more than one part (2^20 rows each) still holds every row once, each day's rows in order.
    @Test func shuffledRowsSpanSeveralParts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diversion-parts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try WorldGenerator(WorldConfiguration(shipments: 1_200_000, seed: 2, shape: WorldShape(shuffled: true))).write(to: folder)
        let rows = try String(contentsOfFile: folder + "/shipments.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 1_200_000)
        var ids = Set<Substring>()
        var lastOfDay: [Substring: Substring] = [:]
        var ordered = true
        for line in rows {
            let cells = line.split(separator: ",", maxSplits: 2)
            ids.insert(cells[0])
            if let last = lastOfDay[cells[1]], last >= cells[0] { ordered = false }
            lastOfDay[cells[1]] = cells[0]
        }
        #expect(ids.count == 1_200_000 && ordered)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func namedShapesAndLimits() throws {
        #expect(WorldShape(named: "default") == .default && WorldShape(named: "wide")?.shipmentsPerEntity == 40)
        #expect(WorldShape(named: "catalogue").map { $0.extraItems >= 6_000 && $0.longText } == true)
        #expect(WorldShape(named: "messy").map { $0.shipmentsPerEntity == 100 && $0.longText && $0.sparseOptional && $0.shuffled } == true)
        #expect(WorldShape(named: "tidy") == nil)
        #expect(WorldShape(shipmentsPerEntity: 40, longText: true).name == "shipments-per-entity=40,long-text")
        for shape in [WorldShape(shipmentsPerEntity: 9), WorldShape(shipmentsPerEntity: 101), WorldShape(extraItems: 60_001)] {
            #expect(throws: WorldGenerationError.self) {
                _ = try WorldGenerator(WorldConfiguration(shipments: 2_000, seed: 1, shape: shape)).write(to: "/nonexistent/never-written")
            }
        }
    }
}
