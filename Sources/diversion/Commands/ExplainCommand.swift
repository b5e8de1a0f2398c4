import ArgumentParser
import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionStore
import Foundation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain whether an item is subject to the EAR and needs a license, step by step.",
        discussion: """
            Either name an item and a destination, a shipment of a loaded graph, or a whole path:
              diversion explain --item chip-tw --to CN --date 2024-05-01 --graph Graphs/sample-network.json
              diversion explain --shipment a4 --graph Graphs/sample-network.json
              diversion explain --path h1,h2 --graph Graphs/path-judgment.json
            --path judges every hop of a path (shipment ids in order, each leaving from the previous consignee) \
            under its date's rules against where the goods went in the end, as the analysis does when a path's \
            last shipment is not subject on its own: it names the hop that carries the violation, or the facts \
            the data lacks (a lead). An alert's hops are its variants' shipments (`diversion alert ID`).
            Each step cites its paragraph of 15 CFR; --format json gives the same for machines.
            """)

    @Option(help: "Item id.") var item: String?
    @Option(help: "Destination country (ISO code).") var to: String?
    @Option(help: "Consignee entity id.") var consignee: String?
    @Option(name: .customLong("end-user"), help: "Declared end user entity id.") var endUser: String?
    @Option(help: "Shipper entity id (an item shipped from the US is in the US).") var from: String?
    @Option(help: "Date YYYY-MM-DD (default: today).") var date: String?
    @Option(help: "Shipment id in the graph.") var shipment: String?
    @Option(help: ArgumentHelp("A path of shipment ids, comma-separated, in order: judged as a whole.", valueName: "ID,ID,...")) var path: String?
    @Flag(help: "Explain every shipment of the graph, in date order.") var all = false
    @Option(help: "Judge the shipment under the rules of this date instead of its own.") var asOf: String?
    @Option(help: "A graph file or CSV folder to read (no database).") var graph: String?
    @Option(help: "The SQLite database to read instead of a file.") var db: String?
    @Option(name: .customLong("graph-name"), help: "Which stored graph (with --db).") var graphName: String?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @OptionGroup var rules: RulesOption

    func validate() throws {
        if (graph == nil) == (db == nil) { throw ValidationError("give exactly one of --graph PATH or --db FILE") }
        if shipment == nil && path == nil && !all && (item == nil || to == nil) {
            throw ValidationError("give --shipment ID, --path ID,ID,..., --all, or --item ID with --to COUNTRY")
        }
        if let path, path.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }).contains(where: \.isEmpty) {
            throw ValidationError("--path: shipment ids separated by commas, with none empty (e.g. --path h1,h2)")
        }
        if let to, CountryCode(to) == nil { throw ValidationError("--to: unknown country code \"\(to)\"") }
        for (name, value) in [("--date", date), ("--as-of", asOf)] {
            if let v = value, Day(v) == nil { throw ValidationError("\(name) must be a real date YYYY-MM-DD, not \"\(v)\"") }
        }
    }

    func run() throws {
        try reportingErrors {
            let book = try rules.load()
            let g: ShipmentGraph = try graph.map { try ShipmentGraph.load(path: $0) }
                ?? GraphStore(path: db!, readOnly: true).loadGraph(graphName)
            let engine = JurisdictionEngine(rules: book, graph: g)
            if all {
                let order = (0..<g.shipmentCount).sorted { (g.shipmentDay[$0], g.shipmentID($0)) < (g.shipmentDay[$1], g.shipmentID($1)) }
                var out: [String] = []
                for p in order {
                    var q = TransactionQuery.forShipment(at: p, in: g)
                    if let asOf { q.date = Day(asOf)! }
                    let d = engine.determine(q)
                    out.append(format == .json ? try encodeJSON(d, pretty: false) : "shipment \(g.shipmentID(p)): " + d.text + "\n")
                }
                print(out.joined(separator: "\n"))
                return
            }
            if let path {
                var positions: [Int] = []
                for id in path.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    guard let p = g.shipment(named: id) else { throw CommandError("--path: no shipment \"\(id)\" in the graph") }
                    positions.append(p)
                }
                if let why = PathJudgment.discontinuity(positions, graph: g) { throw CommandError("--path: \(why)") }
                let judged = PathJudgment.judge(positions, graph: g, rules: book, asOf: asOf.flatMap { Day($0) })
                if format == .json {
                    print(try encodeJSON(PathReport(judged, graph: g)))
                } else {
                    print(judged.text(graph: g))
                }
                return
            }
            let query: TransactionQuery
            if let shipment {
                guard let p = g.shipment(named: shipment) else { throw CommandError("no shipment \"\(shipment)\" in the graph") }
                var q = TransactionQuery.forShipment(at: p, in: g)
                if let asOf { q.date = Day(asOf)! }
                query = q
            } else {
                guard let i = g.item(named: item!) else { throw CommandError("no item \"\(item!)\" in the graph") }
                func entity(_ id: String?, _ flag: String) throws -> Int32? {
                    guard let id else { return nil }
                    guard let e = g.entity(named: id) else { throw CommandError("\(flag): no entity \"\(id)\" in the graph") }
                    return e
                }
                query = TransactionQuery(item: i, destination: CountryCode(to!)!, consignee: try entity(consignee, "--consignee"),
                                         endUser: try entity(endUser, "--end-user"), shipper: try entity(from, "--from"),
                                         date: date.flatMap { Day($0) } ?? Day.today)
            }
            let d = engine.determine(query)
            print(format == .json ? try encodeJSON(d) : d.text)
        }
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// `explain --path --format json`: the verdict and each hop's determination.
struct PathReport: Encodable {
    struct Hop: Encodable {
        var hop: Int
        var shipment: String
        var isViolation: Bool
        var determination: Determination
    }
    var shipments: [String]
    var verdict: String
    var violationHop: Int?
    var hops: [Hop]

    init(_ j: PathJudgment, graph: ShipmentGraph) {
        shipments = j.hops.map { graph.shipmentID($0.shipment) }
        switch j.verdict {
        case .violation(let h): verdict = "violation"; violationHop = h + 1
        case .lead: verdict = "lead"; violationHop = nil
        case .clear: verdict = "clear"; violationHop = nil
        }
        hops = j.hops.enumerated().map { Hop(hop: $0 + 1, shipment: graph.shipmentID($1.shipment), isViolation: $1.isViolation, determination: $1.determination) }
    }
}
