import DiversionGraph
import Foundation
import GRDB
import GRDBSQLite

extension GraphStore {
    /// Streams one graph out of the database in the interchange format.
    /// - Complexity: O(rows); memory O(entities + items) for the key maps.
    public func export(graph name: String?, form: GraphWriter.Form, to destination: String) throws {
        let (graphID, graphName) = try resolveGraph(name)
        try queue.read { db in
            let title = try String.fetchOne(db, sql: "SELECT title FROM graph WHERE id = ?", arguments: [graphID])
            let writer = try GraphWriter(form: form, destination: destination, name: title ?? graphName)
            for t in GraphTable.allCases { try writer.touch(t); try exportTable(db, t, graphID, writer) }
            try writer.close()
        }
    }

    private func exportTable(_ db: Database, _ t: GraphTable, _ g: Int64, _ w: GraphWriter) throws {
        func day(_ s: String?) -> Day? { s.flatMap { Day($0) } }
        func cc(_ s: String?) -> CountryCode? { s.flatMap { CountryCode($0) } }
        switch t {
        case .entities:
            let rows = try Row.fetchCursor(db, sql: "SELECT key, name, country, role, headquarters FROM entity WHERE graph_id = ? ORDER BY id", arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Entity(id: r[0], name: r[1], country: cc(r[2]) ?? CountryCode("US")!,
                                                    role: (r[3] as String?).flatMap(PartyRole.init), headquarters: cc(r[4]))))
            }
        case .ownership:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.key, b.key, o.share, o.since, o.until FROM ownership o
                JOIN entity a ON a.id = o.owner_id JOIN entity b ON b.id = o.owned_id WHERE o.graph_id = ? ORDER BY o.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Ownership(owner: r[0], owned: r[1], share: r[2], since: day(r[3]), until: day(r[4]))))
            }
        case .listings:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT e.key, l.list, l.footnote, l.since, l.until FROM listing l JOIN entity e ON e.id = l.entity_id
                WHERE l.graph_id = ? ORDER BY l.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Listing(entity: r[0], list: r[1], footnote: r[2], since: day(r[3]), until: day(r[4]))))
            }
        case .items:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT i.key, i.description, i.eccn, i.hs_code, i.origin, m.key, i.unit_value, i.tpp, i.tops, i.bit_length,
                       i.die_area_mm2, i.interconnect_gbps
                FROM item i LEFT JOIN entity m ON m.id = i.maker_id WHERE i.graph_id = ? ORDER BY i.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Item(id: r[0], description: r[1], eccn: r[2], hsCode: r[3],
                                                  origin: cc(r[4]) ?? CountryCode("US")!, maker: r[5], unitValue: r[6],
                                                  tpp: r[7], tops: r[8], bitLength: r[9], dieAreaMM2: r[10],
                                                  interconnectGBps: r[11])))
            }
        case .components:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.key, p.key, c.quantity, c.unit_value FROM component c JOIN item a ON a.id = c.assembly_id
                JOIN item p ON p.id = c.component_id WHERE c.graph_id = ? ORDER BY c.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Component(assembly: r[0], component: r[1], quantity: r[2], unitValue: r[3])))
            }
        case .provenance:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT i.key, p.kind, p.eccn, p.origin FROM provenance p JOIN item i ON i.id = p.item_id
                WHERE p.graph_id = ? ORDER BY p.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Provenance(item: r[0], kind: ProvenanceKind(rawValue: r[1]) ?? .technology,
                                                        eccn: r[2], origin: cc(r[3]) ?? CountryCode("US")!)))
            }
        case .equipment:
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.key, i.key, e.quantity FROM equipment e JOIN entity p ON p.id = e.plant_id
                JOIN item i ON i.id = e.item_id WHERE e.graph_id = ? ORDER BY e.id
                """, arguments: [g])
            while let r = try rows.next() {
                try w.write(t, GraphCells.of(Equipment(plant: r[0], item: r[1], quantity: r[2])))
            }
        case .shipments:
            let keys = try entityKeys(db, g), items = try itemKeys(db, g)
            try forEachShipment(db, g) { s in
                try w.write(t, GraphCells.of(Shipment(
                    id: s.id, date: s.date, from: keys.names[Int(s.from)], to: keys.names[Int(s.to)],
                    item: items.names[Int(s.item)], quantity: s.quantity, value: s.value,
                    declaredEndUser: s.declaredEndUser.map { keys.names[Int($0)] }, license: s.license,
                    reference: s.reference)))
            }
        }
    }

    struct KeyMap { var base: Int64; var names: [String] }
    /// The tables whose rows other tables refer to by row id (a fixed set: never user input in SQL).
    enum KeyTable: String { case entity, item }

    /// The first row id of graph `g` in `table` (`entity` or `item`): rows of one graph are numbered from it.
    func base(_ db: Database, _ table: KeyTable, _ g: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT min(id) FROM \(table.rawValue) WHERE graph_id = ?", arguments: [g]) ?? 0
    }

    /// The keys of graph `g`'s rows in `table`, in row order, with the base that numbers them.
    func keys(_ db: Database, _ table: KeyTable, _ g: Int64) throws -> KeyMap {
        KeyMap(base: try base(db, table, g),
               names: try String.fetchAll(db, sql: "SELECT key FROM \(table.rawValue) WHERE graph_id = ? ORDER BY id", arguments: [g]))
    }

    func entityKeys(_ db: Database, _ g: Int64) throws -> KeyMap { try keys(db, .entity, g) }
    func itemKeys(_ db: Database, _ g: Int64) throws -> KeyMap { try keys(db, .item, g) }

    /// Calls `body` with each shipment of graph `g`, in import order, with entity and item numbers relative
    /// to the graph (0-based, as a loader numbers them). Reads columns through the C API: this is the hot
    /// path of building a ten-million-shipment graph.
    func forEachShipment(_ db: Database, _ g: Int64, _ body: (ShipmentRow) throws -> Void) throws {
        let entityBase = try base(db, .entity, g), itemBase = try base(db, .item, g)
        guard let r = try Row.fetchOne(db, sql: "SELECT first_shipment, last_shipment FROM graph WHERE id = ?", arguments: [g]),
              let first = r[0] as Int64?, let last = r[1] as Int64? else { return }
        let statement = try db.makeStatement(sql: """
            SELECT key, day, from_id, to_id, item_id, quantity, value, declared_end_user_id, license, reference
            FROM shipment WHERE id BETWEEN ? AND ? ORDER BY id
            """)
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, first)
        sqlite3_bind_int64(s, 2, last)
        defer { sqlite3_reset(s) }
        func text(_ c: Int32) -> String? {
            guard sqlite3_column_type(s, c) != SQLITE_NULL, let p = sqlite3_column_text(s, c) else { return nil }
            let n = Int(sqlite3_column_bytes(s, c))
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))) }
            let row = ShipmentRow(
                id: text(0) ?? "", date: Day(rawValue: Int32(sqlite3_column_int64(s, 1))),
                from: Int32(sqlite3_column_int64(s, 2) - entityBase), to: Int32(sqlite3_column_int64(s, 3) - entityBase),
                item: Int32(sqlite3_column_int64(s, 4) - itemBase), quantity: sqlite3_column_double(s, 5),
                value: sqlite3_column_type(s, 6) == SQLITE_NULL ? nil : sqlite3_column_double(s, 6),
                declaredEndUser: sqlite3_column_type(s, 7) == SQLITE_NULL ? nil : Int32(sqlite3_column_int64(s, 7) - entityBase),
                license: text(8), reference: text(9))
            try body(row)
        }
    }

    /// Builds the compact in-memory graph of one graph in the database.
    public func loadGraph(_ name: String? = nil) throws -> ShipmentGraph {
        let (g, graphName) = try resolveGraph(name)
        return try queue.read { db in
            var sink = GraphBuilder()
            let title = try String.fetchOne(db, sql: "SELECT title FROM graph WHERE id = ?", arguments: [g])
            sink.begin(name: title ?? graphName)
            try replayRecords(db, g, into: &sink)
            try forEachShipment(db, g) { sink.add(shipment: $0) }
            return sink.build()
        }
    }

    /// Feeds the non-shipment tables of graph `g` to a sink, with graph-relative numbering.
    func replayRecords(_ db: Database, _ g: Int64, into sink: inout GraphBuilder) throws {
        let entities = try entityKeys(db, g), items = try itemKeys(db, g)
        func day(_ s: String?) -> Day? { s.flatMap { Day($0) } }
        func cc(_ s: String?) -> CountryCode { s.flatMap { CountryCode($0) } ?? CountryCode("US")! }
        func e(_ id: Int64) -> Int32 { Int32(id - entities.base) }
        func i(_ id: Int64) -> Int32 { Int32(id - items.base) }
        for r in try Row.fetchAll(db, sql: "SELECT key, name, country, role, headquarters FROM entity WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            sink.add(entity: Entity(id: r[0], name: r[1], country: cc(r[2]), role: (r[3] as String?).flatMap(PartyRole.init),
                                    headquarters: (r[4] as String?).flatMap { CountryCode($0) }))
        }
        for r in try Row.fetchAll(db, sql: """
            SELECT key, description, eccn, hs_code, origin, maker_id, unit_value, tpp, tops, bit_length, die_area_mm2,
                   interconnect_gbps FROM item WHERE graph_id = ? ORDER BY id
            """, arguments: [g]) {
            let maker = (r[5] as Int64?).map(e)
            sink.add(item: Item(id: r[0], description: r[1], eccn: r[2], hsCode: r[3], origin: cc(r[4]),
                                maker: maker.map { entities.names[Int($0)] }, unitValue: r[6], tpp: r[7], tops: r[8],
                                bitLength: r[9], dieAreaMM2: r[10], interconnectGBps: r[11]), maker: maker)
        }
        for r in try Row.fetchAll(db, sql: "SELECT owner_id, owned_id, share, since, until FROM ownership WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            let a = e(r[0]), b = e(r[1])
            sink.add(ownership: Ownership(owner: entities.names[Int(a)], owned: entities.names[Int(b)], share: r[2],
                                          since: day(r[3]), until: day(r[4])), owner: a, owned: b)
        }
        for r in try Row.fetchAll(db, sql: "SELECT entity_id, list, footnote, since, until FROM listing WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            let a = e(r[0])
            sink.add(listing: Listing(entity: entities.names[Int(a)], list: r[1], footnote: r[2], since: day(r[3]),
                                      until: day(r[4])), entity: a)
        }
        for r in try Row.fetchAll(db, sql: "SELECT assembly_id, component_id, quantity, unit_value FROM component WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            let a = i(r[0]), p = i(r[1])
            sink.add(component: Component(assembly: items.names[Int(a)], component: items.names[Int(p)], quantity: r[2],
                                          unitValue: r[3]), assembly: a, part: p)
        }
        for r in try Row.fetchAll(db, sql: "SELECT item_id, kind, eccn, origin FROM provenance WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            let a = i(r[0])
            sink.add(provenance: Provenance(item: items.names[Int(a)], kind: ProvenanceKind(rawValue: r[1]) ?? .technology,
                                            eccn: r[2], origin: cc(r[3])), item: a)
        }
        for r in try Row.fetchAll(db, sql: "SELECT plant_id, item_id, quantity FROM equipment WHERE graph_id = ? ORDER BY id", arguments: [g]) {
            let p = e(r[0]), a = i(r[1])
            sink.add(equipment: Equipment(plant: entities.names[Int(p)], item: items.names[Int(a)], quantity: r[2]),
                     plant: p, item: a)
        }
        try replayMatches(db, g, entities: entities, into: &sink)
    }
}

/// What `diversion stats` reports.
public struct GraphStatistics: Sendable, Codable {
    public struct CountryRow: Sendable, Codable {
        public var country: String
        public var entities: Int
        public var shipmentsOut: Int
        public var shipmentsIn: Int
    }
    public var graph: String
    public var source: String
    public var importedAt: String
    public var tables: [String: Int]
    public var countries: [CountryRow]
    public var firstDate: String?
    public var lastDate: String?
}

extension GraphStore {
    public func statistics(graph name: String?) throws -> GraphStatistics {
        let (g, graphName) = try resolveGraph(name)
        return try queue.read { db in
            var tables: [String: Int] = [:]
            for (label, table) in [("entities", "entity"), ("ownership", "ownership"), ("listings", "listing"),
                                   ("items", "item"), ("components", "component"), ("provenance", "provenance"),
                                   ("equipment", "equipment")] {
                tables[label] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE graph_id = ?", arguments: [g]) ?? 0
            }
            let r = try Row.fetchOne(db, sql: "SELECT source, imported_at, first_shipment, last_shipment FROM graph WHERE id = ?", arguments: [g])!
            let first: Int64? = r[2], last: Int64? = r[3]
            var countries: [String: GraphStatistics.CountryRow] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT country, count(*) FROM entity WHERE graph_id = ? GROUP BY country", arguments: [g]) {
                countries[row[0]] = .init(country: row[0], entities: row[1], shipmentsOut: 0, shipmentsIn: 0)
            }
            var firstDate: String?, lastDate: String?
            if let first, let last {
                tables["shipments"] = Int(last - first + 1)
                // NB: counting through the entity join would cost a lookup per shipment; group by id first.
                for (column, isOut) in [("from_id", true), ("to_id", false)] {
                    for row in try Row.fetchAll(db, sql: """
                        SELECT e.country, sum(n) FROM (SELECT \(column) AS id, count(*) AS n FROM shipment
                        WHERE id BETWEEN ? AND ? GROUP BY \(column)) c JOIN entity e ON e.id = c.id GROUP BY e.country
                        """, arguments: [first, last]) {
                        let c: String = row[0], n: Int = row[1]
                        if isOut { countries[c, default: .init(country: c, entities: 0, shipmentsOut: 0, shipmentsIn: 0)].shipmentsOut = n }
                        else { countries[c, default: .init(country: c, entities: 0, shipmentsOut: 0, shipmentsIn: 0)].shipmentsIn = n }
                    }
                }
                if let d = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM shipment WHERE id BETWEEN ? AND ?", arguments: [first, last]),
                   let lo = d[0] as Int64?, let hi = d[1] as Int64? {
                    firstDate = Day(rawValue: Int32(lo)).description
                    lastDate = Day(rawValue: Int32(hi)).description
                }
            } else {
                tables["shipments"] = 0
            }
            return GraphStatistics(graph: graphName, source: r[0], importedAt: r[1], tables: tables,
                                   countries: countries.values.sorted { $0.country < $1.country },
                                   firstDate: firstDate, lastDate: lastDate)
        }
    }
}
