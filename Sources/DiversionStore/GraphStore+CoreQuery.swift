import DiversionGraph
import Foundation
import GRDB
import GRDBSQLite

extension GraphStore {
    /// The core path query (see `CoreRouteQuery` in DiversionAnalysis) written as one SQLite recursive query
    /// over the stored tables, for comparison: the number of chains and the same order-independent checksum.
    ///
    /// - Parameters:
    ///   - watchedItems: keys of the items that carry watched goods.
    ///   - containment: `(assembly key, part key)` pairs: the assembly contains the part at some depth.
    public func coreRouteCount(graph name: String?, watchedItems: [String], containment: [(String, String)],
                               tier2: [String], tier3: [String], window: Int, maxHops: Int) throws -> (count: Int, checksum: UInt64) {
        let (g, _) = try resolveGraph(name)
        try ensureShipmentPartyIndex()
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS q_watched(item_id INTEGER PRIMARY KEY);
                CREATE TEMP TABLE IF NOT EXISTS q_contains(assembly INTEGER, part INTEGER, PRIMARY KEY (assembly, part)) WITHOUT ROWID;
                CREATE TEMP TABLE IF NOT EXISTS q_tier(country TEXT PRIMARY KEY, tier INTEGER) WITHOUT ROWID;
                DELETE FROM q_watched; DELETE FROM q_contains; DELETE FROM q_tier;
                """)
            for key in watchedItems {
                try db.execute(sql: "INSERT OR IGNORE INTO q_watched SELECT id FROM item WHERE graph_id = ? AND key = ?", arguments: [g, key])
            }
            for (a, p) in containment {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO q_contains SELECT a.id, p.id FROM item a, item p
                    WHERE a.graph_id = ? AND a.key = ? AND p.graph_id = ? AND p.key = ?
                    """, arguments: [g, a, g, p])
            }
            for c in tier2 { try db.execute(sql: "INSERT INTO q_tier VALUES (?, 2)", arguments: [c]) }
            for c in tier3 { try db.execute(sql: "INSERT INTO q_tier VALUES (?, 3)", arguments: [c]) }
            let statement = try db.makeStatement(sql: """
                WITH RECURSIVE
                  party(id, tier) AS (SELECT e.id, t.tier FROM entity e JOIN q_tier t ON t.country = e.country WHERE e.graph_id = ?1),
                  chain(head_from, head_day, head_item, path, parties, hops, has_t2) AS (
                    SELECT s.from_id, s.day, s.item_id, s.key || ',', ',' || s.to_id || ',' || s.from_id || ',', 1, 0
                    FROM shipment s
                    JOIN party t3 ON t3.id = s.to_id AND t3.tier = 3
                    WHERE s.id BETWEEN ?2 AND ?3 AND s.item_id IN (SELECT item_id FROM q_watched)
                    UNION ALL
                    SELECT p.from_id, p.day, p.item_id, p.key || ',' || c.path, c.parties || p.from_id || ',', c.hops + 1,
                           c.has_t2 OR EXISTS (SELECT 1 FROM party x WHERE x.id = c.head_from AND x.tier = 2)
                    FROM chain c
                    JOIN shipment p ON p.to_id = c.head_from AND p.day <= c.head_day AND p.day >= c.head_day - ?4
                    WHERE c.hops < ?5
                      AND p.item_id IN (SELECT item_id FROM q_watched)
                      AND (p.item_id = c.head_item OR EXISTS (SELECT 1 FROM q_contains k WHERE k.assembly = c.head_item AND k.part = p.item_id))
                      AND instr(c.parties, ',' || p.from_id || ',') = 0
                  )
                SELECT path FROM chain WHERE hops >= 2 AND has_t2
                """)
            let range = try Row.fetchOne(db, sql: "SELECT first_shipment, last_shipment FROM graph WHERE id = ?", arguments: [g])
            let first: Int64 = range?[0] ?? 0, last: Int64 = range?[1] ?? -1
            let s = statement.sqliteStatement
            sqlite3_bind_int64(s, 1, g)
            sqlite3_bind_int64(s, 2, first)
            sqlite3_bind_int64(s, 3, last)
            sqlite3_bind_int64(s, 4, Int64(window))
            sqlite3_bind_int64(s, 5, Int64(maxHops))
            defer { sqlite3_reset(s) }
            var count = 0
            var checksum: UInt64 = 0
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))) }
                var h: UInt64 = 0xcbf29ce484222325
                if let p = sqlite3_column_text(s, 0) {
                    let n = Int(sqlite3_column_bytes(s, 0))
                    for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100000001b3 }
                }
                checksum &+= h
                count += 1
            }
            return (count, checksum)
        }
    }
}
