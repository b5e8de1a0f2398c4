import DiversionGraph
import DiversionMatching
import DiversionRules
import DiversionSources
import Foundation
import GRDB

/// What `import-list` stored.
public struct ListImportSummary: Sendable, Codable {
    public var graph: String
    public var file: String
    public var format: String
    public var entries: Int
    public var listings: [String: Int]
    public var ownership: Int
}

/// A proposed match as stored, with the analyst's decision and whether it feeds the analysis.
public struct StoredMatch: Sendable, Codable, Hashable {
    /// `M-` and twelve hex digits, stable across imports (from the list entry's source key and the party's id).
    public var id: String
    public var party: String
    public var partyName: String
    public var entry: String
    public var entryName: String
    public var matchedName: String
    public var list: String
    public var footnote: Int?
    public var source: String
    public var score: Double
    public var evidence: [String]
    /// The entry's row as the list file has it, and where (file and line).
    public var sourceRow: String
    public var sourceFile: String
    public var sourceLine: Int
    /// `accepted` or `rejected` by an analyst, or nil.
    public var decision: String?
    public var decisionNote: String?
    /// Accepted, or undecided with a score at or above ``GraphStore/autoAcceptScore``: the party takes on the
    /// entry's listings and holdings in the analysis.
    public var isEffective: Bool
}

extension GraphStore {
    /// Matches at or above this score feed the analysis without an analyst's decision; below it (and at or
    /// above the matcher's threshold) they wait for `diversion decide M-… --accept`.
    public static let autoAcceptScore = 0.95

    /// The stable id of the match between a list entry (a source's key on one list: a party on two lists is
    /// two entries) and a graph party.
    static func matchKey(format: String, entry: String, list: String, party: String) -> String {
        "M-" + String(InputDigest.of(bytes: Array("\(format):\(entry):\(list)|\(party)".utf8)).prefix(12))
    }

    /// Stores a screening list for a graph, in one transaction: every entry with its source row, and the
    /// holdings between entries. A list already imported from a file with the same digest is refused.
    public func importList(_ list: ListImport, graph name: String?, digest: String) throws -> ListImportSummary {
        let (g, graphName) = try resolveGraph(name)
        return try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM list_source WHERE graph_id = ? AND digest = ?)", arguments: [g, digest]) == true {
                throw StoreError.database("\(list.file) is already imported for graph \"\(graphName)\" (same content); `diversion matches` shows its matches")
            }
            try db.execute(sql: "INSERT INTO list_source (graph_id, file, format, digest, imported_at, entries) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [g, list.file, list.format.rawValue, digest, timestamp(), list.entries.count])
            let source = db.lastInsertedRowID
            var counts: [String: Int] = [:]
            for e in list.entries {
                try db.execute(sql: """
                    INSERT INTO list_entry (source_id, key, name, aliases, country, addresses, list, footnote, since, until,
                                            citation, source_list, source_row, line, is_person)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [source, e.sourceID, e.name, try encodeJSON(e.aliases, pretty: false), e.country?.code,
                                     try encodeJSON(e.addresses, pretty: false), e.list, e.footnote, e.since?.description,
                                     e.until?.description, e.citation, e.source, e.sourceRow, e.line, e.isPerson])
                if !e.list.isEmpty { counts[e.list, default: 0] += 1 }
            }
            for o in list.ownership {
                try db.execute(sql: "INSERT INTO list_ownership (source_id, owner_key, asset_key, share, since, until) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [source, o.owner, o.asset, o.share, o.since?.description, o.until?.description])
            }
            return ListImportSummary(graph: graphName, file: list.file, format: list.format.rawValue, entries: list.entries.count,
                                     listings: counts, ownership: list.ownership.count)
        }
    }

    /// The list entries of a graph (id: the entry's row id) and its parties (id: the party's key), as
    /// candidates for the matcher. People on lists are left out: shipment parties are firms.
    public func matchCandidates(graph name: String?) throws -> (entries: [MatchCandidate], parties: [MatchCandidate]) {
        let (g, _) = try resolveGraph(name)
        return try queue.read { db in
            let entries = try Row.fetchAll(db, sql: """
                SELECT e.id, e.name, e.aliases, e.country, e.addresses FROM list_entry e JOIN list_source s ON s.id = e.source_id
                WHERE s.graph_id = ? AND e.is_person = 0 ORDER BY e.id
                """, arguments: [g]).map { r -> MatchCandidate in
                let aliases = (try? JSONDecoder().decode([String].self, from: Data((r[2] as String).utf8))) ?? []
                let addresses = (try? JSONDecoder().decode([String].self, from: Data((r[4] as String).utf8))) ?? []
                return MatchCandidate(id: String(r[0] as Int64), name: r[1], aliases: aliases,
                                      country: (r[3] as String?).flatMap { CountryCode($0) },
                                      address: addresses.isEmpty ? nil : addresses.joined(separator: "; "))
            }
            let parties = try Row.fetchAll(db, sql: "SELECT key, name, country FROM entity WHERE graph_id = ? ORDER BY id", arguments: [g]).map {
                MatchCandidate(id: $0[0], name: $0[1], country: ($0[2] as String?).flatMap { CountryCode($0) })
            }
            return (entries, parties)
        }
    }

    /// Replaces the graph's proposed matches with `matches` (list entry row id → party key), in one
    /// transaction. Decisions are kept: they belong to the match's stable id.
    public func saveMatches(_ matches: [ProposedMatch], graph name: String?) throws -> Int {
        let (g, _) = try resolveGraph(name)
        return try queue.write { db in
            try db.execute(sql: "DELETE FROM match WHERE graph_id = ?", arguments: [g])
            let entities = try entityKeys(db, g)
            var byKey: [String: Int64] = [:]
            for (k, name) in entities.names.enumerated() { byKey[name] = entities.base + Int64(k) }
            var stored = 0
            for m in matches {
                guard let entryID = Int64(m.listID), let entity = byKey[m.partyID],
                      let r = try Row.fetchOne(db, sql: "SELECT e.key, s.format, e.list FROM list_entry e JOIN list_source s ON s.id = e.source_id WHERE e.id = ?", arguments: [entryID])
                else { continue }
                let key = GraphStore.matchKey(format: r[1], entry: r[0], list: r[2], party: m.partyID)
                try db.execute(sql: """
                    INSERT OR REPLACE INTO match (graph_id, key, entry_id, entity_id, score, matched_name, party_name, evidence)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [g, key, entryID, entity, m.score, m.matchedName, m.partyName, try encodeJSON(m.evidence, pretty: false)])
                stored += 1
            }
            return stored
        }
    }

    /// Matches every list entry of a graph against its parties (blocking, both cores) and stores the
    /// proposals; returns how many were proposed and how many feed the analysis.
    public func rematch(graph name: String?, threshold: Double = NameMatcher.defaultThreshold, threads: Int = 2) throws -> (proposed: Int, effective: Int) {
        let (entries, parties) = try matchCandidates(graph: name)
        let proposed = try saveMatches(NameMatcher(threshold: threshold).match(entries, against: parties, threads: threads), graph: name)
        return (proposed, try matches(graph: name).filter(\.isEffective).count)
    }

    /// The graph's matches, best first, with their decisions.
    public func matches(graph name: String?) throws -> [StoredMatch] {
        let (g, _) = try resolveGraph(name)
        return try queue.read { db in try storedMatches(db, g) }
    }

    func storedMatches(_ db: Database, _ g: Int64) throws -> [StoredMatch] {
        try Row.fetchAll(db, sql: """
            SELECT m.key, p.key, p.name, e.key, e.name, m.matched_name, e.list, e.footnote, e.source_list, m.score,
                   m.evidence, d.verdict, d.note, e.source_row, s.file, e.line
            FROM match m JOIN entity p ON p.id = m.entity_id JOIN list_entry e ON e.id = m.entry_id
            JOIN list_source s ON s.id = e.source_id
            LEFT JOIN match_decision d ON d.key = m.key
            WHERE m.graph_id = ? ORDER BY m.score DESC, m.key
            """, arguments: [g]).map { r in
            let verdict: String? = r[11]
            let score: Double = r[9]
            return StoredMatch(id: r[0], party: r[1], partyName: r[2], entry: r[3], entryName: r[4], matchedName: r[5],
                               list: r[6], footnote: r[7], source: r[8], score: score,
                               evidence: (try? JSONDecoder().decode([String].self, from: Data((r[10] as String).utf8))) ?? [],
                               sourceRow: r[13], sourceFile: r[14], sourceLine: r[15], decision: verdict, decisionNote: r[12],
                               isEffective: verdict == "accepted" || (verdict == nil && score >= GraphStore.autoAcceptScore))
        }
    }

    /// Records an analyst's decision on a match; it holds for every later import that proposes the same match.
    public func decideMatch(id: String, accept: Bool, note: String) throws {
        try queue.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM match WHERE key = ?)", arguments: [id]) == true else {
                throw StoreError.noMatch(id)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO match_decision (key, verdict, note, decided_at) VALUES (?, ?, ?, ?)",
                           arguments: [id, accept ? "accepted" : "rejected", note, timestamp()])
        }
    }

    /// Gives each party of graph `g` that an effective match ties to a list entry the entry's listings and
    /// holdings (with the owners up the chain, as parties of their own after the graph's), each saying which
    /// match it came through.
    func replayMatches(_ db: Database, _ g: Int64, entities: KeyMap, into sink: inout GraphBuilder) throws {
        let effective = try storedMatches(db, g).filter(\.isEffective)
        guard !effective.isEmpty else { return }
        var index: [String: Int32] = [:]
        for (k, name) in entities.names.enumerated() { index[name] = Int32(k) }
        func day(_ s: String?) -> Day? { s.flatMap { Day($0) } }
        struct Entry { var row: Int64; var source: Int64; var key: String; var name: String; var country: String?; var list: String; var footnote: Int?; var since: String?; var until: String? }
        func entries(_ sql: String, _ args: StatementArguments) throws -> [Entry] {
            try Row.fetchAll(db, sql: "SELECT id, source_id, key, name, country, list, footnote, since, until FROM list_entry WHERE \(sql) ORDER BY id", arguments: args).map {
                Entry(row: $0[0], source: $0[1], key: $0[2], name: $0[3], country: $0[4], list: $0[5], footnote: $0[6], since: $0[7], until: $0[8])
            }
        }
        var added: [String: Int32] = [:]  // "source:key" of an owner up a chain → its party in the graph
        var next = Int32(entities.names.count)
        /// The owners of `asset` in its source, added as parties (once each) with their listings, up the chain.
        var holdingsAdded = Set<String>()  // "source:key>party": a party matched to two entries of one key gets its holdings once
        func addOwners(of asset: Entry, to party: Int32, via: String?, depth: Int) throws {
            guard depth < 8, holdingsAdded.insert("\(asset.source):\(asset.key)>\(party)").inserted else { return }
            for r in try Row.fetchAll(db, sql: "SELECT owner_key, share, since, until FROM list_ownership WHERE source_id = ? AND asset_key = ? ORDER BY id",
                                       arguments: [asset.source, asset.key]) {
                // A party on several lists is several entries with one key: one owner, each of its listings.
                let rows = try entries("source_id = ? AND key = ?", [asset.source, r[0] as String])
                guard let owner = rows.first else { continue }
                let ownerID = "list:\(owner.source):\(owner.key)"
                let ownerParty: Int32
                if let p = added[ownerID] { ownerParty = p } else {
                    ownerParty = next
                    next += 1
                    added[ownerID] = ownerParty
                    let country = owner.country.flatMap { CountryCode($0) } ?? .unknown
                    sink.add(entity: Entity(id: ownerID, name: owner.name, country: country))
                    for l in rows where !l.list.isEmpty {
                        sink.add(listing: Listing(entity: ownerID, list: l.list, footnote: l.footnote,
                                                  since: day(l.since), until: day(l.until)), entity: ownerParty)
                    }
                    try addOwners(of: owner, to: ownerParty, via: nil, depth: depth + 1)
                }
                sink.add(ownership: Ownership(owner: "list:\(owner.source):\(owner.key)", owned: asset.name, share: r[1],
                                              since: day(r[2]), until: day(r[3]), via: via), owner: ownerParty, owned: party)
            }
        }
        for m in effective {
            guard let party = index[m.party],
                  let e = try entries("id IN (SELECT entry_id FROM match WHERE key = ? AND graph_id = ?)", [m.id, g]).first else { continue }
            let how = m.decision == "accepted" ? "accepted by an analyst" : "at or above the \(formatDecimal(GraphStore.autoAcceptScore)) auto-accept level"
            let via = "match \(m.id): \"\(m.partyName)\" is the \(m.source) entry \"\(m.entryName)\" (score \(formatDecimal((m.score * 100).rounded() / 100)), \(how))"
            if !e.list.isEmpty {
                sink.add(listing: Listing(entity: m.party, list: e.list, footnote: e.footnote, since: day(e.since), until: day(e.until), via: via),
                         entity: party)
            }
            try addOwners(of: e, to: party, via: via, depth: 0)
        }
    }
}

private func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
