import DiversionGraph
import Foundation

/// One CSL row's values, the same for the CSV and the JSON form.
struct CSLFields {
    var id: String?
    var entityNumber: String?
    var source: String?
    var type: String?
    var programs: [String] = []
    var name: String?
    /// Each address's text and the country it names (CSV: the last comma-separated part; JSON: `country`).
    var addresses: [(text: String, country: String?)] = []
    var country: String?
    var federalRegisterNotice: String?
    var startDate: String?
    var endDate: String?
    var licenseRequirement: String?
    var licensePolicy: String?
    var remarks: String?
    var altNames: [String] = []
    /// Fields whose value had the wrong JSON type (already reported; not also "is required").
    var mistyped: Set<String> = []
}

extension ListReader {
    /// The columns of the CSL CSV download, in its order.
    static let cslColumns = [
        "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
        "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
        "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
        "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
    ]

    // MARK: - CSV

    static func readCSLCSV(path: String, text: TextLines) throws -> ListImport {
        var problems = Problems(file: path)
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            problems.report(.none, nil, "cannot be opened for reading")
            throw problems.failure()
        }
        var entries: [ListEntry] = []
        var firstLine: [String: Int] = [:]
        do {
            guard try reader.next() else {
                problems.report(.line(1), nil, "is empty: the first line must be the CSL header row (\(cslColumns.joined(separator: ",")))")
                throw problems.failure()
            }
            let header = (0..<reader.fieldCount).map { reader.string($0).trimmingCharacters(in: .whitespaces) }
            var column: [String: Int] = [:]
            for (c, name) in header.enumerated() {
                if column[name] != nil { problems.report(.line(reader.line), name, "the header names this column twice") }
                column[name] = c
                // NB: other columns are ignored, not rejected: the CSL is a machine export whose columns trade.gov
                // has changed before; a missing column we read is reported below.
            }
            for name in ["source", "name"] where column[name] == nil {
                problems.report(.line(reader.line), name, "required column is missing from the header")
            }
            if column["_id"] == nil && column["entity_number"] == nil {
                problems.report(.line(reader.line), "_id", "required column is missing from the header (or entity_number)")
            }
            try problems.throwIfAny()
            let width = header.count
            while try reader.next() {
                if problems.isFull { problems.markTruncated(); break }
                let line = reader.line
                let span = 1 + reader.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                let sourceRow = text.text(lines: line, through: line + span - 1)
                if reader.fieldCount != width {
                    problems.report(.line(line), nil, "has \(reader.fieldCount) fields, the header has \(width)")
                    continue
                }
                func cell(_ name: String) -> String? {
                    guard let c = column[name], !reader.isEmpty(c) else { return nil }
                    return TextValues.trimmed(reader.string(c))
                }
                var f = CSLFields()
                f.id = cell("_id"); f.entityNumber = cell("entity_number"); f.source = cell("source"); f.type = cell("type")
                f.programs = TextValues.split(cell("programs")); f.name = cell("name")
                f.addresses = TextValues.split(cell("addresses")).map { a in
                    let last = a.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
                    return (a, last)
                }
                f.federalRegisterNotice = cell("federal_register_notice"); f.startDate = cell("start_date"); f.endDate = cell("end_date")
                f.licenseRequirement = cell("license_requirement"); f.licensePolicy = cell("license_policy")
                f.remarks = cell("remarks"); f.altNames = TextValues.split(cell("alt_names"))
                let id = f.id ?? f.entityNumber
                if let id {
                    if let first = firstLine[id] {
                        problems.report(.line(line), f.id != nil ? "_id" : "entity_number", "duplicate id \"\(id)\" (first at line \(first))")
                        continue
                    }
                    firstLine[id] = line
                }
                if let e = entry(f, row: .line(line), index: line, sourceRow: sourceRow, addressesFromCSV: true, problems: &problems) {
                    entries.append(contentsOf: e)
                }
            }
        } catch let problem as CSVReader.Problem {
            problems.report(problem)
        }
        try problems.throwIfAny()
        return ListImport(file: path, format: .csl, entries: entries)
    }

    // MARK: - JSON

    static func readCSLJSON(path: String, text: TextLines) throws -> ListImport {
        var problems = Problems(file: path)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.bytes), options: [.fragmentsAllowed]) } catch {
            problems.report(.none, nil, "is not valid JSON (\(jsonSyntaxDetail(error, text.bytes)))")
            throw problems.failure()
        }
        guard let top = object as? [String: Any], let results = top["results"] as? [Any],
              let spans = JSONSpans.elements(of: "results", in: text.bytes), spans.count == results.count else {
            let hasResults = (object as? [String: Any])?["results"] != nil
            problems.report(.none, hasResults ? "results" : nil, hasResults
                ? "must be a list of objects"
                : "the document must be a JSON object with \"results\": [...] (the Consolidated Screening List's JSON form)")
            throw problems.failure()
        }
        var entries: [ListEntry] = []
        var firstIndex: [String: Int] = [:]
        for (i, value) in results.enumerated() {
            if problems.isFull { problems.markTruncated(); break }
            let row = SourceLocation.Row.index(table: "results", i)
            let sourceRow = String(decoding: text.bytes[spans[i]], as: UTF8.self)
            guard let o = value as? [String: Any] else {
                problems.report(row, nil, "must be an object, found \(describeJSON(value))")
                continue
            }
            var mistyped: Set<String> = []
            func textValue(_ key: String) -> String? {
                switch o[key] {
                case nil, is NSNull: return nil
                case let s as String: return TextValues.trimmed(s)
                case let n as NSNumber where String(cString: n.objCType) != "c": return n.stringValue
                case let v?:
                    problems.report(row, key, "expected text, found \(describeJSON(v))")
                    mistyped.insert(key)
                    return nil
                }
            }
            func listValue(_ key: String) -> [String] {
                switch o[key] {
                case nil, is NSNull: return []
                case let s as String: return TextValues.split(s)
                case let a as [Any]:
                    var out: [String] = []
                    for v in a {
                        guard let s = v as? String else { problems.report(row, key, "must be a list of text, found \(describeJSON(v)) in it"); return [] }
                        if let t = TextValues.trimmed(s) { out.append(t) }
                    }
                    return out
                case let v?: problems.report(row, key, "must be a list of text, found \(describeJSON(v))"); return []
                }
            }
            var f = CSLFields()
            f.id = textValue("_id"); f.entityNumber = textValue("entity_number"); f.source = textValue("source")
            f.type = textValue("type"); f.programs = listValue("programs"); f.name = textValue("name")
            f.country = textValue("country")
            switch o["addresses"] {
            case nil, is NSNull: break
            case let a as [Any]:
                for v in a {
                    if let s = v as? String {
                        f.addresses.append((s, s.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }))
                    } else if let ao = v as? [String: Any] {
                        let parts = ["address", "city", "state", "postal_code", "country"].compactMap { ao[$0] as? String }
                            .compactMap { TextValues.trimmed($0) }
                        f.addresses.append((parts.joined(separator: ", "), (ao["country"] as? String).flatMap { TextValues.trimmed($0) }))
                    } else {
                        problems.report(row, "addresses", "must be a list of address objects, found \(describeJSON(v)) in it")
                    }
                }
            case let v?: problems.report(row, "addresses", "must be a list of address objects, found \(describeJSON(v))")
            }
            f.federalRegisterNotice = textValue("federal_register_notice"); f.startDate = textValue("start_date")
            f.endDate = textValue("end_date"); f.licenseRequirement = textValue("license_requirement")
            f.licensePolicy = textValue("license_policy"); f.remarks = textValue("remarks"); f.altNames = listValue("alt_names")
            f.mistyped = mistyped
            if let id = f.id ?? f.entityNumber {
                if let first = firstIndex[id] {
                    problems.report(row, f.id != nil ? "_id" : "entity_number", "duplicate id \"\(id)\" (first at results[\(first)])")
                    continue
                }
                firstIndex[id] = i
            }
            if let e = entry(f, row: row, index: i, sourceRow: sourceRow, addressesFromCSV: false, problems: &problems) {
                entries.append(contentsOf: e)
            }
        }
        try problems.throwIfAny()
        return ListImport(file: path, format: .csl, entries: entries)
    }

    // MARK: - One row

    /// The entry of one CSL row, or `nil` (with the problems reported) when the row is malformed.
    static func entry(_ f: CSLFields, row: SourceLocation.Row, index: Int, sourceRow: String, addressesFromCSV: Bool,
                      problems: inout Problems) -> [ListEntry]? {
        let before = problems.diagnostics.count
        let id = f.id ?? f.entityNumber
        if id == nil, f.mistyped.isDisjoint(with: ["_id", "entity_number"]) {
            problems.report(row, "_id", "is required (the row has neither _id nor entity_number)")
        }
        if f.source == nil, !f.mistyped.contains("source") { problems.report(row, "source", "is required") }
        if f.name == nil, !f.mistyped.contains("name") { problems.report(row, "name", "is required") }
        var list: String?
        if let s = f.source {
            list = ListKinds.list(forCSLSource: s)
            if list == nil {
                problems.report(row, "source", "unknown list \"\(s)\" (expected a CSL source such as \"Entity List (EL) - Bureau of Industry and Security\", whose abbreviation in parentheses names the list)")
            }
        }
        var country: CountryCode?
        if let c = f.country {
            country = TextValues.country(c)
            if country == nil { problems.report(row, "country", "unknown country \"\(c)\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")") }
        }
        for a in f.addresses {
            guard let c = a.country else { continue }
            if let code = TextValues.country(c) {
                if country == nil { country = code }
            } else if !addressesFromCSV || TextValues.looksLikeCode(c) {
                // NB: a CSV address's last part is a country only when it is written as one; "Dubai" is a city.
                problems.report(row, "addresses", "unknown country code \"\(c)\" in \"\(a.text)\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")")
            }
        }
        func day(_ s: String?, _ field: String) -> Day? {
            guard let s else { return nil }
            if let d = Day(s) { return d }
            problems.report(row, field, "not a real calendar date in the form YYYY-MM-DD: \"\(s)\"")
            return nil
        }
        let since = day(f.startDate, "start_date"), until = day(f.endDate, "end_date")
        if let s = since, let u = until, u < s { problems.report(row, "end_date", "ends (\(u)) before it starts (\(s))") }
        var footnotes: [Int] = []
        if list == "entity-list" {
            // NB: footnotes are read only on Entity List rows: supplement no. 4 to part 744 is where they live.
            for (field, value) in [("license_requirement", f.licenseRequirement), ("license_policy", f.licensePolicy), ("remarks", f.remarks)] {
                guard let value else { continue }
                let read = ListKinds.footnotes(in: value)
                footnotes.append(contentsOf: read.footnotes)
                for n in read.unknown { problems.report(row, field, "Entity List footnotes are 1, 3, 4 or 5, found \(n)") }
            }
            footnotes = Array(Set(footnotes)).sorted()
        }
        guard problems.diagnostics.count == before, let id, let name = f.name, let list, let source = f.source else { return nil }
        return [ListEntry(
            sourceID: id, name: name, aliases: f.altNames, country: country, addresses: f.addresses.map(\.text), list: list,
            footnote: footnotes.first, footnotes: footnotes, since: since, until: until, citation: f.federalRegisterNotice,
            source: source, programs: f.programs, sourceRow: sourceRow, line: index, isPerson: f.type == "Individual")]
    }
}
