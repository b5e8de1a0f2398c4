import DiversionGraph
import DiversionRules
import Foundation

/// Builds small graphs for tests in a few lines.
///
///     var f = GraphFixture()
///     f.entity("acme-sg", "SG", role: .forwarder)
///     f.item("gpu", origin: "US", eccn: "3A090.a", value: 25_000, tpp: 15_832, die: 814)
///     let g = try f.graph()
public struct GraphFixture {
    public var document = GraphDocument(name: "fixture")
    private var shipmentCounter = 0

    public init() {}

    public mutating func entity(_ id: String, _ country: String, role: PartyRole? = nil, headquarters: String? = nil) {
        document.entities.append(Entity(id: id, name: id.uppercased(), country: CountryCode(country)!, role: role,
                                        headquarters: headquarters.map { CountryCode($0)! }))
    }

    public mutating func item(_ id: String, origin: String, eccn: String? = nil, hs: String? = nil, maker: String? = nil,
                              value: Double? = nil, tpp: Double? = nil, tops: Double? = nil, bits: Double? = nil,
                              die: Double? = nil, interconnect: Double? = nil) {
        document.items.append(Item(id: id, description: nil, eccn: eccn, hsCode: hs, origin: CountryCode(origin)!,
                                   maker: maker, unitValue: value, tpp: tpp, tops: tops, bitLength: bits,
                                   dieAreaMM2: die, interconnectGBps: interconnect))
    }

    public mutating func component(_ assembly: String, _ part: String, _ quantity: Double, value: Double? = nil) {
        document.components.append(Component(assembly: assembly, component: part, quantity: quantity, unitValue: value))
    }

    public mutating func provenance(_ item: String, _ kind: ProvenanceKind = .technology, _ eccn: String, origin: String = "US") {
        document.provenance.append(Provenance(item: item, kind: kind, eccn: eccn, origin: CountryCode(origin)!))
    }

    public mutating func equipment(_ plant: String, _ item: String) {
        document.equipment.append(Equipment(plant: plant, item: item, quantity: 1))
    }

    public mutating func listing(_ entity: String, _ list: String = "entity-list", footnote: Int? = nil,
                                 since: String? = nil, until: String? = nil) {
        document.listings.append(Listing(entity: entity, list: list, footnote: footnote, since: since.flatMap { Day($0) },
                                         until: until.flatMap { Day($0) }))
    }

    public mutating func ownership(_ owner: String, _ owned: String, _ share: Double, since: String? = nil, until: String? = nil) {
        document.ownership.append(Ownership(owner: owner, owned: owned, share: share, since: since.flatMap { Day($0) },
                                            until: until.flatMap { Day($0) }))
    }

    @discardableResult
    public mutating func shipment(_ from: String, _ to: String, _ item: String, _ quantity: Double, on date: String,
                                  id: String? = nil, value: Double? = nil, endUser: String? = nil,
                                  license: String? = nil) -> String {
        shipmentCounter += 1
        let sid = id ?? "s\(shipmentCounter)"
        document.shipments.append(Shipment(id: sid, date: Day(date)!, from: from, to: to, item: item, quantity: quantity,
                                           value: value, declaredEndUser: endUser, license: license, reference: nil))
        return sid
    }

    public func graph() throws -> ShipmentGraph { try ShipmentGraph.build(from: document) }
}

/// The rule data shipped with the package, loaded once for all tests.
public let bundledRules: RuleBook = {
    do { return try RuleBook.bundled() } catch { fatalError("bundled rule data does not load: \(error)") }
}()

/// A fresh temporary folder, removed by the caller with `cleanUp`.
public func temporaryFolder(_ label: String = "diversion-test") -> String {
    let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

public func cleanUp(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// The package's root folder (for Graphs/ and Scenarios/).
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Writes `text` to `path`, creating folders.
public func write(_ text: String, to path: String) {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}
