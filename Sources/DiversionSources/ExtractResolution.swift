import Foundation
import DiversionGraph
import DiversionMatching

/// A party made from the free-text names of a customs extract: the spellings merged into it and how sure the
/// merge is.
public struct ResolvedParty: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var country: CountryCode
    /// Every spelling the extract used for it, in file order.
    public var spellings: [String]
    /// The lowest score between two of its spellings (nil for a single spelling).
    public var lowestScore: Double?
    /// Placeholders ("TO ORDER", "SAME AS CONSIGNEE", blank) name no one: each becomes a party of its own.
    public var isPlaceholder: Bool
}

/// A customs extract turned into a shipment graph: parties resolved from free text, items from HS codes and
/// the mapping's watch list, one shipment per row (container lines already grouped by the reader).
public struct ResolvedExtract: Sendable {
    public var document: GraphDocument
    public var parties: [ResolvedParty]
    /// Rows left out, with why (their shipper and consignee resolve to one party).
    public var skipped: [(line: Int, reason: String)]
}

public enum ExtractResolver {
    /// Resolves the parties of `rows` and builds the graph `name`.
    ///
    /// Names that the matcher scores at or above its threshold (transitively) are one party; placeholders
    /// are never merged. Items are keyed by HS code and the ECCN the mapping's watch list gives; an item's
    /// origin is the row's country of origin, or `ZZ` (unknown) when the extract has none, so the analysis
    /// asks for it rather than assuming it.
    public static func resolve(_ rows: [ExtractRow], mapping: ShipmentMapping, name: String,
                               matcher: NameMatcher = NameMatcher(), threads: Int = 2) -> ResolvedExtract {
        // Distinct spellings (name and country), in file order.
        struct Spelling: Hashable { var name: String; var country: CountryCode? }
        var order: [Spelling] = []
        var index: [Spelling: Int] = [:]
        var address: [Int: String] = [:]
        var uses: [Int: Int] = [:]
        func mention(_ m: PartyMention) -> Int? {
            let name = m.name.trimmingCharacters(in: .whitespaces)
            guard !m.isPlaceholder else { return nil }
            let s = Spelling(name: name, country: m.country)
            let k = index[s] ?? { order.append(s); index[s] = order.count - 1; return order.count - 1 }()
            if address[k] == nil, let a = m.address, !a.isEmpty { address[k] = a }
            uses[k, default: 0] += 1
            return k
        }
        var rowParties: [(shipper: Int?, consignee: Int?)] = []
        for r in rows { rowParties.append((mention(r.shipper), mention(r.consignee))) }

        let candidates = order.enumerated().map { k, s in
            MatchCandidate(id: String(k), name: s.name, country: s.country, address: address[k])
        }
        var group = Array(0..<order.count)
        for cluster in matcher.clusters(candidates, threads: threads) {
            let members = cluster.compactMap(Int.init)
            guard let first = members.min() else { continue }
            for m in members { group[m] = first }
        }
        // One party per group: named by its most used spelling (the first in the file on a tie).
        var parties: [ResolvedParty] = []
        var partyOf: [Int: Int] = [:]
        var usedIDs = Set<String>()
        func uniqueID(_ base: String) -> String {
            var id = base, n = 2
            while usedIDs.contains(id) { id = "\(base)-\(n)"; n += 1 }
            usedIDs.insert(id)
            return id
        }
        for k in order.indices where group[k] == k {
            let members = order.indices.filter { group[$0] == k }
            let best = members.max { (uses[$0] ?? 0, -$0) < (uses[$1] ?? 0, -$1) }!
            let countries = members.compactMap { order[$0].country }
            let country = countries.max { a, b in countries.filter { $0 == a }.count < countries.filter { $0 == b }.count } ?? .unknown
            var lowest: Double?
            for (i, a) in members.enumerated() {
                for b in members[(i + 1)...] {
                    let s = matcher.compare(candidates[a], candidates[b]).score
                    lowest = min(lowest ?? s, s)
                }
            }
            partyOf[k] = parties.count
            parties.append(ResolvedParty(id: uniqueID(slug(order[best].name)), name: order[best].name, country: country,
                                         spellings: members.map { order[$0].name }, lowestScore: lowest, isPlaceholder: false))
        }

        var document = GraphDocument(name: name)
        var skipped: [(Int, String)] = []
        var placeholderParties: [ResolvedParty] = []
        var items: [String: Item] = [:]
        for (r, (s, c)) in zip(rows, rowParties) {
            func party(_ k: Int?, _ m: PartyMention, role: String) -> String {
                if let k { return parties[partyOf[group[k]]!].id }
                let written = m.name.trimmingCharacters(in: .whitespaces)
                let p = ResolvedParty(id: uniqueID("unnamed-\(r.line)-\(role)"),
                                      name: "\(written.isEmpty ? "(blank)" : written) (line \(r.line), \(role))",
                                      country: m.country ?? .unknown, spellings: [written], lowestScore: nil, isPlaceholder: true)
                placeholderParties.append(p)
                return p.id
            }
            let from = party(s, r.shipper, role: "shipper"), to = party(c, r.consignee, role: "consignee")
            guard from != to else {
                skipped.append((r.line, "shipper and consignee are the same party (\(from))"))
                continue
            }
            let eccn = ShipmentExtractReader.eccn(for: r, mapping: mapping)
            let itemID = [eccn, r.hsCode ?? "unclassified"].compactMap { $0 }.joined(separator: "-")
            if items[itemID] == nil {
                items[itemID] = Item(id: itemID, description: r.description, eccn: eccn, hsCode: r.hsCode,
                                     origin: r.originCountry ?? .unknown)
            }
            document.shipments.append(Shipment(id: r.id, date: r.date, from: from, to: to, item: itemID, quantity: r.quantity,
                                               value: r.value, declaredEndUser: nil, license: nil, reference: r.reference))
        }
        parties += placeholderParties
        document.entities = parties.map { Entity(id: $0.id, name: $0.name, country: $0.country) }
        document.items = items.keys.sorted().map { items[$0]! }
        return ResolvedExtract(document: document, parties: parties, skipped: skipped)
    }

    /// A readable id from a name: lower case ASCII letters and digits joined by hyphens, at most 40 characters.
    static func slug(_ name: String) -> String {
        let folded = name.applyingTransform(.stripDiacritics, reverse: false) ?? name
        var out = ""
        var hyphen = false
        for ch in folded.lowercased().unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) { out.unicodeScalars.append(ch); hyphen = false }
            else if !hyphen, !out.isEmpty { out += "-"; hyphen = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "party" : String(out.prefix(40))
    }
}
