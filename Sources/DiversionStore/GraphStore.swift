import DiversionGraph
import Foundation
import GRDB

/// The SQLite database that keeps imported graphs, analysis runs, alerts and analysts' decisions.
///
/// A database holds any number of graphs, each under a unique name. Every import runs in one transaction:
/// a rejected or interrupted import leaves the database exactly as it was. The schema is built by named
/// migrations that are only ever appended.
public final class GraphStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Where the database lives when no `--db` is given: `$DIVERSION_DB`, else
    /// `$XDG_DATA_HOME/diversion/diversion.sqlite`, else `~/.local/share/diversion/diversion.sqlite`.
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["DIVERSION_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return base + "/diversion/diversion.sqlite"
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !readOnly && !FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw StoreError.cannotOpen(path, "its folder cannot be created")
            }
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError.cannotOpen(path, "no database there (import a graph first, or name one with --db)")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.label = "diversion"
        config.prepareDatabase { db in
            // NB: a large page cache keeps index inserts of big imports in memory.
            try db.execute(sql: "PRAGMA cache_size = -524288")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // NB: lets SQLite sort index entries on a second core when an import builds its indexes.
            try db.execute(sql: "PRAGMA threads = 2")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            if !readOnly { try GraphStore.migrator.migrate(queue) }
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path, e.message ?? "\(e.resultCode)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: graphs") { db in
            try db.execute(sql: """
                CREATE TABLE graph (
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL UNIQUE,
                  title TEXT,
                  source TEXT NOT NULL,
                  digest TEXT NOT NULL,
                  imported_at TEXT NOT NULL,
                  first_shipment INTEGER,
                  last_shipment INTEGER
                );
                CREATE TABLE entity (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  key TEXT NOT NULL,
                  name TEXT NOT NULL,
                  country TEXT NOT NULL,
                  role TEXT,
                  headquarters TEXT,
                  UNIQUE (graph_id, key)
                );
                CREATE TABLE item (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  key TEXT NOT NULL,
                  description TEXT,
                  eccn TEXT,
                  hs_code TEXT,
                  origin TEXT NOT NULL,
                  maker_id INTEGER REFERENCES entity(id),
                  unit_value REAL,
                  tpp REAL,
                  tops REAL,
                  bit_length REAL,
                  die_area_mm2 REAL,
                  interconnect_gbps REAL,
                  UNIQUE (graph_id, key)
                );
                CREATE INDEX item_maker ON item(maker_id) WHERE maker_id IS NOT NULL;
                CREATE TABLE ownership (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  owner_id INTEGER NOT NULL REFERENCES entity(id),
                  owned_id INTEGER NOT NULL REFERENCES entity(id),
                  share REAL NOT NULL CHECK (share > 0 AND share <= 1),
                  since TEXT,
                  until TEXT
                );
                CREATE INDEX ownership_owner ON ownership(owner_id);
                CREATE INDEX ownership_owned ON ownership(owned_id);
                CREATE TABLE listing (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  entity_id INTEGER NOT NULL REFERENCES entity(id),
                  list TEXT NOT NULL,
                  footnote INTEGER,
                  since TEXT,
                  until TEXT
                );
                CREATE INDEX listing_entity ON listing(entity_id);
                CREATE TABLE component (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  assembly_id INTEGER NOT NULL REFERENCES item(id),
                  component_id INTEGER NOT NULL REFERENCES item(id),
                  quantity REAL NOT NULL CHECK (quantity > 0),
                  unit_value REAL
                );
                CREATE INDEX component_assembly ON component(assembly_id);
                CREATE INDEX component_part ON component(component_id);
                CREATE TABLE provenance (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  item_id INTEGER NOT NULL REFERENCES item(id),
                  kind TEXT NOT NULL CHECK (kind IN ('technology', 'software')),
                  eccn TEXT NOT NULL,
                  origin TEXT NOT NULL
                );
                CREATE INDEX provenance_item ON provenance(item_id);
                CREATE TABLE equipment (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  plant_id INTEGER NOT NULL REFERENCES entity(id),
                  item_id INTEGER NOT NULL REFERENCES item(id),
                  quantity REAL
                );
                CREATE INDEX equipment_plant ON equipment(plant_id);
                CREATE INDEX equipment_item ON equipment(item_id);
                -- Shipment dates are day numbers since 1970-01-01 (see shipment_view for ISO dates).
                CREATE TABLE shipment (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  key TEXT NOT NULL,
                  day INTEGER NOT NULL,
                  from_id INTEGER NOT NULL REFERENCES entity(id),
                  to_id INTEGER NOT NULL REFERENCES entity(id),
                  item_id INTEGER NOT NULL REFERENCES item(id),
                  quantity REAL NOT NULL CHECK (quantity > 0),
                  value REAL,
                  declared_end_user_id INTEGER REFERENCES entity(id),
                  license TEXT,
                  reference TEXT
                );
                CREATE VIEW shipment_view AS
                  SELECT s.id, g.name AS graph, s.key AS shipment, date(s.day * 86400, 'unixepoch') AS date,
                         f.key AS "from", t.key AS "to", i.key AS item, s.quantity, s.value,
                         u.key AS declared_end_user, s.license, s.reference
                  FROM shipment s JOIN graph g ON g.id = s.graph_id
                  JOIN entity f ON f.id = s.from_id JOIN entity t ON t.id = s.to_id JOIN item i ON i.id = s.item_id
                  LEFT JOIN entity u ON u.id = s.declared_end_user_id;
                """)
            try db.execute(sql: "CREATE INDEX shipment_from ON shipment(from_id, day); CREATE INDEX shipment_to ON shipment(to_id, day)")
        }
        m.registerMigration("v1b: shipment indexes for queries only") { db in
            // Imports check every reference themselves and run with foreign-key enforcement off (see
            // importGraph), so the shipment table needs indexes only for the queries that read it.
            try db.execute(sql: "DROP INDEX IF EXISTS shipment_item; DROP INDEX IF EXISTS shipment_end_user;")
        }
        m.registerMigration("v2: runs, alerts and decisions") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER REFERENCES graph(id) ON DELETE SET NULL,
                  graph_name TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  parameters TEXT NOT NULL,
                  rules TEXT NOT NULL,
                  input_digest TEXT NOT NULL,
                  started_at TEXT NOT NULL,
                  seconds REAL NOT NULL,
                  alert_count INTEGER NOT NULL
                );
                CREATE TABLE alert (
                  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                  alert_id TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  severity TEXT NOT NULL,
                  score REAL NOT NULL,
                  evidence_digest TEXT NOT NULL,
                  body TEXT NOT NULL,
                  PRIMARY KEY (run_id, alert_id)
                );
                CREATE INDEX alert_by_id ON alert(alert_id);
                CREATE TABLE decision (
                  id INTEGER PRIMARY KEY,
                  alert_id TEXT NOT NULL,
                  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
                  note TEXT NOT NULL,
                  evidence_digest TEXT NOT NULL,
                  decided_at TEXT NOT NULL
                );
                CREATE INDEX decision_alert ON decision(alert_id);
                """)
        }
        m.registerMigration("v3: shipment indexes built on demand") { db in
            // NB: building the two (party, day) indexes took 37 s of a 60 s import of ten million shipments,
            // and nothing but the core path query in SQL reads shipments by party: that query builds the one
            // it needs (see ensureShipmentPartyIndex).
            try db.execute(sql: GraphStore.dropShipmentIndexSQL)
        }
        m.registerMigration("v4: screening lists and entity-resolution matches") { db in
            // NB: list entries are not rows of `entity`: a graph's entities are numbered from one base row id
            // (see `keys`), and lists come after the graph. They join the in-memory graph only through matches.
            try db.execute(sql: """
                CREATE TABLE list_source (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  file TEXT NOT NULL,
                  format TEXT NOT NULL,
                  digest TEXT NOT NULL,
                  imported_at TEXT NOT NULL,
                  entries INTEGER NOT NULL
                );
                CREATE TABLE list_entry (
                  id INTEGER PRIMARY KEY,
                  source_id INTEGER NOT NULL REFERENCES list_source(id) ON DELETE CASCADE,
                  key TEXT NOT NULL,
                  name TEXT NOT NULL,
                  aliases TEXT NOT NULL,
                  country TEXT,
                  addresses TEXT NOT NULL,
                  list TEXT NOT NULL,
                  footnote INTEGER,
                  since TEXT,
                  until TEXT,
                  citation TEXT,
                  source_list TEXT NOT NULL,
                  source_row TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  is_person INTEGER NOT NULL,
                  UNIQUE (source_id, key, list)
                );
                CREATE TABLE list_ownership (
                  id INTEGER PRIMARY KEY,
                  source_id INTEGER NOT NULL REFERENCES list_source(id) ON DELETE CASCADE,
                  owner_key TEXT NOT NULL,
                  asset_key TEXT NOT NULL,
                  share REAL NOT NULL CHECK (share > 0 AND share <= 1),
                  since TEXT,
                  until TEXT
                );
                CREATE INDEX list_ownership_asset ON list_ownership(source_id, asset_key);
                CREATE TABLE match (
                  id INTEGER PRIMARY KEY,
                  graph_id INTEGER NOT NULL REFERENCES graph(id) ON DELETE CASCADE,
                  key TEXT NOT NULL,
                  entry_id INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,
                  entity_id INTEGER NOT NULL REFERENCES entity(id),
                  score REAL NOT NULL,
                  matched_name TEXT NOT NULL,
                  party_name TEXT NOT NULL,
                  evidence TEXT NOT NULL,
                  UNIQUE (graph_id, key)
                );
                CREATE TABLE match_decision (
                  key TEXT PRIMARY KEY,
                  verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
                  note TEXT NOT NULL,
                  decided_at TEXT NOT NULL
                );
                """)
        }
        return m
    }

    static let dropShipmentIndexSQL = """
        DROP INDEX IF EXISTS shipment_from; DROP INDEX IF EXISTS shipment_to;
        """

    /// Builds the index of shipments by consignee and day, when it is missing, for queries that walk the
    /// shipment table backwards by party. Imports do not build it (they would pay for it on every import);
    /// the first query that needs it does, once.
    public func ensureShipmentPartyIndex() throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS shipment_consignee ON shipment(to_id, day)")
        }
    }

    /// The names of the graphs in the database, oldest first.
    public func graphNames() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM graph ORDER BY id") }
    }

    /// Resolves which graph a command means: the named one, or the only/most recent one.
    public func resolveGraph(_ name: String?) throws -> (id: Int64, name: String) {
        try queue.read { db in
            if let name {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM graph WHERE name = ?", arguments: [name]) else {
                    let names = try String.fetchAll(db, sql: "SELECT name FROM graph ORDER BY id")
                    throw StoreError.noGraph(name, names)
                }
                return (id, name)
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT id, name FROM graph ORDER BY id DESC LIMIT 1") else {
                throw StoreError.empty(path)
            }
            return (row["id"], row["name"])
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict ("ok" when sound).
    public func integrityCheck() throws -> String {
        try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}

/// Problems with the database, written as sentences for the user.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String, String)
    case alreadyImported(name: String, path: String)
    case noGraph(String, [String])
    case empty(String)
    case noAlert(String)
    case noMatch(String)
    case database(String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let why): return "\(p): cannot open the database: \(why)"
        case .alreadyImported(let n, let p):
            return "a different graph named \"\(n)\" is already in \(p); use --replace to replace it, or --name to import this one under another name"
        case .noGraph(let n, let names):
            return "no graph named \"\(n)\" in the database" + (names.isEmpty ? " (it is empty)" : "; it has: \(names.joined(separator: ", "))")
        case .empty(let p): return "\(p) holds no graph yet; import one with `diversion import PATH`"
        case .noAlert(let id): return "no alert \"\(id)\" in the database; `diversion analyze` lists the alert ids"
        case .noMatch(let id): return "no match \"\(id)\" in the database; `diversion matches` lists the match ids"
        case .database(let m): return "database error: \(m)"
        }
    }
}

extension GraphStore {
    /// A digest of every row of every table, to show that a failed operation changed nothing.
    package func contentFingerprint() throws -> String {
        try queue.read { db in
            var bytes: [UInt8] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for t in tables {
                bytes += Array("table \(t)\n".utf8)
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(t)\" ORDER BY rowid")
                while let r = try rows.next() { bytes += Array(r.description.utf8) }
            }
            return InputDigest.of(bytes: bytes)
        }
    }
}
