import DiversionGraph
import Foundation
import GRDB
import GRDBSQLite

/// What to do when a graph of the same name is already in the database.
public enum ImportMode: String, Sendable, CaseIterable {
    /// Refuse a different graph under an existing name (the default). Re-importing identical input is a
    /// no-op, so running the same import twice never duplicates anything.
    case refuse
    /// Delete the graph of that name and import the new one, in the same transaction.
    case replace
}

public enum ImportOutcome: Sendable, Equatable {
    case imported(LoadSummary)
    case replaced(LoadSummary)
    /// The same input (same digest) was already imported under this name; nothing changed.
    case unchanged(name: String)
}

extension LoadSummary: @retroactive Equatable {}

extension GraphStore {
    /// The graph name a path imports under when no name is given: the file or folder name without `.json`.
    public static func defaultGraphName(for path: String) -> String {
        var url = URL(fileURLWithPath: path)
        if url.lastPathComponent.isEmpty { url = url.deletingLastPathComponent() }
        let last = url.lastPathComponent
        return last.lowercased().hasSuffix(".json") ? String(last.dropLast(5)) : last
    }

    /// Imports the graph at `path` in one transaction.
    ///
    /// Rejected input (``GraphLoadError``) or any failure rolls everything back; an interrupted process
    /// leaves SQLite's journal to roll back on the next open.
    ///
    /// NB: the loader checks every reference before it hands a row on, so the import runs with SQLite's
    /// foreign-key enforcement off (it would repeat those checks row by row, and make replacing a graph scan
    /// the shipment table once per deleted item); enforcement is back on for every other write.
    public func importGraph(path: String, name: String? = nil, mode: ImportMode = .refuse,
                            progress: (@Sendable (LoadProgress) -> Void)? = nil) throws -> ImportOutcome {
        let name = name ?? GraphStore.defaultGraphName(for: path)
        let digest = InputDigest.of(path: path)
        var outcome: ImportOutcome = .unchanged(name: name)
        do {
            try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            try db.inTransaction(.immediate) {
                var replaced = false
                if let row = try Row.fetchOne(db, sql: "SELECT id, digest FROM graph WHERE name = ?", arguments: [name]) {
                    let existing: Int64 = row["id"]
                    if (row["digest"] as String) == digest && mode == .refuse {
                        return .commit
                    }
                    guard mode == .replace else { throw StoreError.alreadyImported(name: name, path: self.path) }
                    try GraphStore.deleteGraph(db, id: existing)
                    replaced = true
                }
                try db.execute(
                    sql: "INSERT INTO graph (name, source, digest, imported_at) VALUES (?, ?, ?, ?)",
                    arguments: [name, path, digest, ISO8601DateFormatter().string(from: Date())])
                let graphID = db.lastInsertedRowID
                var sink = try StoreSink(db: db, graphID: graphID)
                let summary = try PipelinedLoad.load(path: path, into: &sink, progress: progress)
                try db.execute(sql: "UPDATE graph SET title = ?, first_shipment = ?, last_shipment = ? WHERE id = ?",
                               arguments: [sink.title, sink.firstShipment, sink.lastShipment, graphID])
                outcome = replaced ? .replaced(summary) : .imported(summary)
                return .commit
            }
            }
        } catch let e as DatabaseError {
            throw StoreError.database(e.message ?? "\(e.resultCode)")
        }
        return outcome
    }

    static func deleteGraph(_ db: Database, id: Int64) throws {
        // NB: children first, so that foreign-key checks find nothing left to point at the rows we delete.
        if let r = try Row.fetchOne(db, sql: "SELECT first_shipment, last_shipment FROM graph WHERE id = ?", arguments: [id]),
           let a = r["first_shipment"] as Int64?, let b = r["last_shipment"] as Int64? {
            try db.execute(sql: "DELETE FROM shipment WHERE id BETWEEN ? AND ?", arguments: [a, b])
        }
        // Screening lists imported for the graph and their matches go with it (decisions, keyed by the
        // match, stay for the next import).
        try db.execute(sql: "DELETE FROM match WHERE graph_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM list_source WHERE graph_id = ?", arguments: [id])
        for table in ["equipment", "provenance", "component", "listing", "ownership"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE graph_id = ?", arguments: [id])
        }
        try db.execute(sql: "UPDATE item SET maker_id = NULL WHERE graph_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM item WHERE graph_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM entity WHERE graph_id = ?", arguments: [id])
        try db.execute(sql: "UPDATE run SET graph_id = NULL WHERE graph_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM graph WHERE id = ?", arguments: [id])
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Writes validated rows into the tables with prepared statements bound through the SQLite C API
/// (the hot path of a ten-million-row import).
struct StoreSink: GraphSink {
    let db: Database
    let graphID: Int64
    let entityBase: Int64
    let itemBase: Int64
    var entityCount: Int64 = 0
    var itemCount: Int64 = 0
    var title: String?
    var firstShipment: Int64?
    var lastShipment: Int64?
    let entityStatement, itemStatement, ownershipStatement, listingStatement: Statement
    let componentStatement, provenanceStatement, equipmentStatement, shipmentStatement: Statement
    /// One statement inserting `batchSize` shipments: a multi-row INSERT runs the statement machinery once
    /// per batch instead of once per row.
    let batchStatement: Statement
    static let batchSize = 64
    var pending: [ShipmentRow] = []

    init(db: Database, graphID: Int64) throws {
        self.db = db
        self.graphID = graphID
        entityBase = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM entity") ?? 0) + 1
        itemBase = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM item") ?? 0) + 1
        entityStatement = try db.makeStatement(sql: "INSERT INTO entity VALUES (?,?,?,?,?,?,?)")
        itemStatement = try db.makeStatement(sql: "INSERT INTO item VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        ownershipStatement = try db.makeStatement(sql: "INSERT INTO ownership VALUES (NULL,?,?,?,?,?,?)")
        listingStatement = try db.makeStatement(sql: "INSERT INTO listing VALUES (NULL,?,?,?,?,?,?)")
        componentStatement = try db.makeStatement(sql: "INSERT INTO component VALUES (NULL,?,?,?,?,?)")
        provenanceStatement = try db.makeStatement(sql: "INSERT INTO provenance VALUES (NULL,?,?,?,?,?)")
        equipmentStatement = try db.makeStatement(sql: "INSERT INTO equipment VALUES (NULL,?,?,?,?)")
        shipmentStatement = try db.makeStatement(sql: "INSERT INTO shipment VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)")
        let row = "(NULL,?,?,?,?,?,?,?,?,?,?,?)"
        batchStatement = try db.makeStatement(
            sql: "INSERT INTO shipment VALUES " + Array(repeating: row, count: StoreSink.batchSize).joined(separator: ","))
        pending.reserveCapacity(StoreSink.batchSize)
    }

    @inline(__always)
    func bind(_ s: OpaquePointer, _ i: Int32, _ v: Int64) { sqlite3_bind_int64(s, i, v) }
    @inline(__always)
    func bind(_ s: OpaquePointer, _ i: Int32, _ v: Double?) {
        if let v { sqlite3_bind_double(s, i, v) } else { sqlite3_bind_null(s, i) }
    }
    @inline(__always)
    func bind(_ s: OpaquePointer, _ i: Int32, _ v: String?) {
        guard var v else { sqlite3_bind_null(s, i); return }
        v.withUTF8 { p in
            _ = p.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(s, i, $0.baseAddress, Int32($0.count), transient) }
        }
    }
    @inline(__always)
    func bind(_ s: OpaquePointer, _ i: Int32, _ v: Day?) { bind(s, i, v?.description) }

    func step(_ statement: Statement) throws {
        let s = statement.sqliteStatement
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        if rc != SQLITE_DONE {
            throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
        }
    }

    mutating func begin(name: String?) { title = name }

    mutating func add(entity e: Entity) throws {
        let s = entityStatement.sqliteStatement
        bind(s, 1, entityBase + entityCount); bind(s, 2, graphID); bind(s, 3, e.id); bind(s, 4, e.name)
        bind(s, 5, e.country.code); bind(s, 6, e.role?.rawValue); bind(s, 7, e.headquarters?.code)
        try step(entityStatement)
        entityCount += 1
    }

    mutating func add(item i: Item, maker: Int32?) throws {
        let s = itemStatement.sqliteStatement
        bind(s, 1, itemBase + itemCount); bind(s, 2, graphID); bind(s, 3, i.id); bind(s, 4, i.description)
        bind(s, 5, i.eccn); bind(s, 6, i.hsCode); bind(s, 7, i.origin.code)
        if let m = maker { bind(s, 8, entityBase + Int64(m)) } else { sqlite3_bind_null(s, 8) }
        bind(s, 9, i.unitValue); bind(s, 10, i.tpp); bind(s, 11, i.tops); bind(s, 12, i.bitLength)
        bind(s, 13, i.dieAreaMM2); bind(s, 14, i.interconnectGBps)
        try step(itemStatement)
        itemCount += 1
    }

    mutating func add(ownership o: Ownership, owner: Int32, owned: Int32) throws {
        let s = ownershipStatement.sqliteStatement
        bind(s, 1, graphID); bind(s, 2, entityBase + Int64(owner)); bind(s, 3, entityBase + Int64(owned))
        bind(s, 4, o.share); bind(s, 5, o.since); bind(s, 6, o.until)
        try step(ownershipStatement)
    }

    mutating func add(listing l: Listing, entity: Int32) throws {
        let s = listingStatement.sqliteStatement
        bind(s, 1, graphID); bind(s, 2, entityBase + Int64(entity)); bind(s, 3, l.list)
        if let f = l.footnote { bind(s, 4, Int64(f)) } else { sqlite3_bind_null(s, 4) }
        bind(s, 5, l.since); bind(s, 6, l.until)
        try step(listingStatement)
    }

    mutating func add(component c: Component, assembly: Int32, part: Int32) throws {
        let s = componentStatement.sqliteStatement
        bind(s, 1, graphID); bind(s, 2, itemBase + Int64(assembly)); bind(s, 3, itemBase + Int64(part))
        bind(s, 4, c.quantity); bind(s, 5, c.unitValue)
        try step(componentStatement)
    }

    mutating func add(provenance p: Provenance, item: Int32) throws {
        let s = provenanceStatement.sqliteStatement
        bind(s, 1, graphID); bind(s, 2, itemBase + Int64(item)); bind(s, 3, p.kind.rawValue); bind(s, 4, p.eccn)
        bind(s, 5, p.origin.code)
        try step(provenanceStatement)
    }

    mutating func add(equipment e: Equipment, plant: Int32, item: Int32) throws {
        let s = equipmentStatement.sqliteStatement
        bind(s, 1, graphID); bind(s, 2, entityBase + Int64(plant)); bind(s, 3, itemBase + Int64(item))
        bind(s, 4, e.quantity)
        try step(equipmentStatement)
    }

    mutating func add(shipment r: ShipmentRow) throws {
        pending.append(r)
        if pending.count == StoreSink.batchSize { try flush() }
    }

    /// Binds one shipment's fields at parameters `offset + 1 ... offset + 11` of `s`.
    func bindShipment(_ s: OpaquePointer, at offset: Int32, id: UnsafeBufferPointer<UInt8>, day: Int32, from: Int32,
                      to: Int32, item: Int32, quantity: Double, value: Double?, endUser: Int32?, license: String?,
                      reference: String?) {
        bind(s, offset + 1, graphID)
        _ = id.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(s, offset + 2, $0.baseAddress, Int32($0.count), transient) }
        bind(s, offset + 3, Int64(day))
        bind(s, offset + 4, entityBase + Int64(from)); bind(s, offset + 5, entityBase + Int64(to))
        bind(s, offset + 6, itemBase + Int64(item)); bind(s, offset + 7, quantity); bind(s, offset + 8, value)
        if let u = endUser { bind(s, offset + 9, entityBase + Int64(u)) } else { sqlite3_bind_null(s, offset + 9) }
        bind(s, offset + 10, license); bind(s, offset + 11, reference)
    }

    func bindShipment(_ s: OpaquePointer, _ r: ShipmentRow, at offset: Int32) {
        var id = r.id
        id.withUTF8 {
            bindShipment(s, at: offset, id: $0, day: r.date.rawValue, from: r.from, to: r.to, item: r.item,
                         quantity: r.quantity, value: r.value, endUser: r.declaredEndUser, license: r.license,
                         reference: r.reference)
        }
    }

    /// Binds row `k` of a batch straight from its columns (no intermediate row value or identifier string).
    func bindShipment(_ s: OpaquePointer, _ b: ShipmentBatch, _ k: Int, at offset: Int32,
                      endUser: Int32?, license: String?, reference: String?) {
        let v = b.value[k]
        b.withID(k) { id in
            bindShipment(s, at: offset, id: id, day: b.day[k], from: b.from[k], to: b.to[k], item: b.item[k],
                         quantity: b.quantity[k], value: v.isNaN ? nil : v, endUser: endUser, license: license,
                         reference: reference)
        }
    }

    mutating func add(shipments b: ShipmentBatch) throws {
        try flush()
        var e = 0, l = 0, r = 0
        var k = 0
        let n = b.count
        func sparse(_ k: Int) -> (Int32?, String?, String?) {
            let row = Int32(k)
            var u: Int32?, lic: String?, ref: String?
            if e < b.endUsers.count, b.endUsers[e].row == row { u = b.endUsers[e].entity; e += 1 }
            if l < b.licenses.count, b.licenses.rows[l] == row { lic = b.licenses.text(at: l); l += 1 }
            if r < b.references.count, b.references.rows[r] == row { ref = b.references.text(at: r); r += 1 }
            return (u, lic, ref)
        }
        while k + StoreSink.batchSize <= n {
            let s = batchStatement.sqliteStatement
            for j in 0..<StoreSink.batchSize {
                let (u, lic, ref) = sparse(k + j)
                bindShipment(s, b, k + j, at: Int32(j * 11), endUser: u, license: lic, reference: ref)
            }
            try step(batchStatement)
            k += StoreSink.batchSize
        }
        while k < n {
            let (u, lic, ref) = sparse(k)
            bindShipment(shipmentStatement.sqliteStatement, b, k, at: 0, endUser: u, license: lic, reference: ref)
            try step(shipmentStatement)
            k += 1
        }
        guard n > 0 else { return }
        let last = sqlite3_last_insert_rowid(db.sqliteConnection)
        if firstShipment == nil { firstShipment = last - Int64(n) + 1 }
        lastShipment = last
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        if pending.count == StoreSink.batchSize {
            let s = batchStatement.sqliteStatement
            for (k, r) in pending.enumerated() { bindShipment(s, r, at: Int32(k * 11)) }
            try step(batchStatement)
        } else {
            for r in pending {
                bindShipment(shipmentStatement.sqliteStatement, r, at: 0)
                try step(shipmentStatement)
            }
        }
        let last = sqlite3_last_insert_rowid(db.sqliteConnection)
        if firstShipment == nil { firstShipment = last - Int64(pending.count) + 1 }
        lastShipment = last
        pending.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws { try flush() }

}
