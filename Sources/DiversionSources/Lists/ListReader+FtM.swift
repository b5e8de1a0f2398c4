import DiversionGraph
import Foundation

extension ListReader {
    /// The FollowTheMoney schemata read as parties; every other schema but `Ownership` (Sanction, Address,
    /// Vessel, Directorship, …) is skipped.
    static let ftmPartySchemata: Set<String> = ["LegalEntity", "Organization", "Company", "PublicBody", "Person"]

    static func readFtM(path: String, text: TextLines) throws -> ListImport {
        var problems = Problems(file: path)
        var entries: [ListEntry] = []
        var ownership: [ListOwnership] = []
        var withoutShare: [Int] = []
        var firstLine: [String: Int] = [:]
        for line in 1...max(1, text.count) where line <= text.count {
            if problems.isFull { problems.markTruncated(); break }
            let bytes = text.lineBytes(line)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let row = SourceLocation.Row.line(line)
            guard String(validating: bytes, as: UTF8.self) != nil else { problems.report(row, nil, "is not valid UTF-8 text"); continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) } catch {
                problems.report(row, nil, "is not valid JSON (each line of a FollowTheMoney export is one entity object)")
                continue
            }
            guard let o = object as? [String: Any] else {
                problems.report(row, nil, "must be a JSON object (a FollowTheMoney entity), found \(describeJSON(object))")
                continue
            }
            let before = problems.diagnostics.count
            func topText(_ key: String) -> String? {
                switch o[key] {
                case nil, is NSNull: return nil
                case let s as String: return TextValues.trimmed(s)
                case let v?: problems.report(row, key, "expected text, found \(describeJSON(v))"); return nil
                }
            }
            func topList(_ key: String) -> [String] {
                switch o[key] {
                case nil, is NSNull: return []
                case let a as [Any] where a.allSatisfy({ $0 is String }): return a.compactMap { TextValues.trimmed($0 as? String) }
                case let v?: problems.report(row, key, "must be a list of text, found \(describeJSON(v))"); return []
                }
            }
            let id = topText("id"), schema = topText("schema")
            if id == nil { problems.report(row, "id", "is required") }
            if schema == nil { problems.report(row, "schema", "is required (such as \"Company\", \"Person\" or \"Ownership\")") }
            let datasets = topList("datasets")
            var properties: [String: Any] = [:]
            switch o["properties"] {
            case nil, is NSNull: break
            case let p as [String: Any]: properties = p
            case let v?: problems.report(row, "properties", "must be an object of lists, found \(describeJSON(v))")
            }
            // NB: every FollowTheMoney property is a list of strings; a bare string is the commonest hand-made
            // mistake, so it is named.
            func property(_ key: String) -> [String] {
                switch properties[key] {
                case nil, is NSNull: return []
                case let a as [Any] where a.allSatisfy({ $0 is String }): return a.compactMap { TextValues.trimmed($0 as? String) }
                case let v?:
                    problems.report(row, "properties.\(key)", "must be a list of text (every FollowTheMoney property is), found \(describeJSON(v))")
                    return []
                }
            }
            let rowText = String(decoding: bytes, as: UTF8.self)
            // NB: a row with an error still defines its id, so a later duplicate is named (as the graph loader does).
            if let id {
                if let first = firstLine[id] {
                    problems.report(row, "id", "duplicate id \"\(id)\" (first at line \(first))")
                    continue
                }
                firstLine[id] = line
            }
            guard let schema else { continue }
            if schema == "Ownership" {
                let owner = property("owner").first, asset = property("asset").first
                if owner == nil { problems.report(row, "properties.owner", "is required: the id of the owning entity") }
                if asset == nil { problems.report(row, "properties.asset", "is required: the id of the entity owned") }
                var share: Double?
                if let p = property("percentage").first {
                    share = ownershipShare(p)
                    if share == nil {
                        problems.report(row, "properties.percentage", "not a percentage greater than 0 and at most 100: \"\(p)\" (write 60, 60.5, 60% or a range 50-75)")
                    }
                }
                let since = ftmDate(property("startDate").first, isEnd: false, row: row, field: "properties.startDate", &problems)
                let until = ftmDate(property("endDate").first, isEnd: true, row: row, field: "properties.endDate", &problems)
                if let s = since, let u = until, u < s { problems.report(row, "properties.endDate", "ends (\(u)) before it starts (\(s))") }
                guard problems.diagnostics.count == before, let owner, let asset else { continue }
                if owner == asset { problems.report(row, "properties.asset", "an entity cannot own itself"); continue }
                if let share {
                    ownership.append(ListOwnership(owner: owner, asset: asset, share: share, since: since, until: until, line: line))
                } else {
                    withoutShare.append(line)
                }
                continue
            }
            guard ftmPartySchemata.contains(schema) else { continue }
            let names = property("name")
            let aliases = property("alias") + property("weakAlias") + property("previousName")
            let countries = property("country") + property("jurisdiction")
            let addresses = property("address")
            let topics = property("topics")
            let notes = property("notes")
            let programs = property("program")
            let caption = topText("caption")
            guard problems.diagnostics.count == before, let id else { continue }
            guard let name = names.first ?? caption else {
                problems.report(row, "properties.name", "is required: a party needs a name")
                continue
            }
            // NB: OpenSanctions writes codes in lower case and uses a few that ISO does not assign (xk, suhh,
            // ge-ab): those give no country rather than an error.
            let country = countries.lazy.compactMap { CountryCode($0.uppercased()) }.first
            var lists: [String] = []
            for d in datasets { if let l = ListKinds.ftmDatasets[d], !lists.contains(l) { lists.append(l) } }
            if lists.isEmpty { for t in topics { if let l = ListKinds.ftmTopics[t], !lists.contains(l) { lists.append(l) } } }
            if lists.isEmpty { lists = [""] }
            var footnotes: [Int] = []
            if lists.contains("entity-list") {
                for n in notes {
                    let read = ListKinds.footnotes(in: n)
                    footnotes.append(contentsOf: read.footnotes)
                    for u in read.unknown { problems.report(row, "properties.notes", "Entity List footnotes are 1, 3, 4 or 5, found \(u)") }
                }
                footnotes = Array(Set(footnotes)).sorted()
            }
            if problems.diagnostics.count != before { continue }
            for l in lists {
                let fn = l == "entity-list" ? footnotes : []
                entries.append(ListEntry(
                    sourceID: id, name: name, aliases: Array(names.dropFirst()) + aliases, country: country, addresses: addresses,
                    list: l, footnote: fn.first, footnotes: fn, source: datasets.joined(separator: ","), programs: programs,
                    sourceRow: rowText, line: line, isPerson: schema == "Person"))
            }
        }
        try problems.throwIfAny()
        return ListImport(file: path, format: .ftm, entries: entries, ownership: ownership, ownershipWithoutShare: withoutShare)
    }

    static func ftmDate(_ s: String?, isEnd: Bool, row: SourceLocation.Row, field: String, _ problems: inout Problems) -> Day? {
        guard let s else { return nil }
        if let d = TextValues.partialDate(s, isEnd: isEnd) { return d }
        problems.report(row, field, "not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: \"\(s)\"")
        return nil
    }

    /// A FollowTheMoney `percentage` as a share (0 < share ≤ 1).
    ///
    /// The property is a percentage: `60`, `60.0`, `60%`, `60 %` are 0.6; `100` is 1. A range such as `50-75` or
    /// `50-75%` (company registers give bands) takes its lower bound. NB: `0.6` is read as 0.6%, not 60%: the
    /// property is a percentage, and reading small values as fractions would turn a 1% holding into a 100% one.
    static func ownershipShare(_ s: String) -> Double? {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        if let dash = t.dropFirst().firstIndex(of: "-") {
            let low = t[..<dash].trimmingCharacters(in: .whitespaces)
            var high = t[t.index(after: dash)...].trimmingCharacters(in: .whitespaces)
            if high.hasSuffix("%") { high.removeLast() }
            guard let l = parseDecimal(low), let h = parseDecimal(high), l <= h, h <= 100 else { return nil }
            t = low
        }
        guard let v = parseDecimal(t), v > 0, v <= 100 else { return nil }
        return v / 100
    }
}
