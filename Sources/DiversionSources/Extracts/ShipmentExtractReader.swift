import DiversionGraph
import Foundation

/// Reads a customs or bill-of-lading extract (CSV) through a ``ShipmentMapping``.
///
/// All or nothing: any malformed row, or a mapped column the extract's header lacks, throws a
/// ``GraphLoadError`` with every located problem, and nothing of the file is returned. Cells are trimmed (free
/// text from customs systems carries stray spaces); columns the mapping does not name are ignored.
public enum ShipmentExtractReader {
    /// Reads the whole extract at `path`.
    ///
    /// With `rows: container-line`, lines with the same `reference` (bill of lading) are one shipment, in the
    /// order of their first line: quantities added; weights and values added when every line gives one (else
    /// `nil`); the HS code, origin and ports of the first line that gives them; distinct descriptions joined
    /// with `; `. The lines must agree on the date and the shipper, consignee and notify names.
    ///
    /// - Throws: ``GraphLoadError``; problems with a column name are located in the mapping file.
    /// - Complexity: O(n) in the size of the file.
    public static func read(path: String, mapping: ShipmentMapping) throws -> [ExtractRow] {
        var problems = Problems(file: path)
        guard let text = TextLines(path: path) else {
            problems.report(.none, nil, FileManager.default.fileExists(atPath: path) ? "cannot be opened for reading" : "no such file")
            throw problems.failure()
        }
        _ = text
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            problems.report(.none, nil, "cannot be opened for reading")
            throw problems.failure()
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var rows: [ExtractRow] = []
        do {
            guard try reader.next() else {
                problems.report(.line(1), nil, "is empty: the first line must be the header row")
                throw problems.failure()
            }
            let header = (0..<reader.fieldCount).map { reader.string($0).trimmingCharacters(in: .whitespaces) }
            var column: [ShipmentMapping.Field: Int] = [:]
            for f in ShipmentMapping.Field.allCases {
                guard let name = mapping.columns[f] else { continue }
                if let c = header.firstIndex(of: name) { column[f] = c; continue }
                problems.report(
                    in: mapping.file.isEmpty ? path : mapping.file, .line(mapping.columnLines[f] ?? 1), "columns.\(f.rawValue)",
                    "no column \"\(name)\" in the header of \(path)\(didYouMean(name, among: header)); its columns are \(header.joined(separator: ", "))")
            }
            try problems.throwIfAny()
            let width = header.count
            while try reader.next() {
                if problems.isFull { problems.markTruncated(); break }
                let line = reader.line
                if reader.fieldCount != width {
                    problems.report(.line(line), nil, "has \(reader.fieldCount) fields, the header has \(width)")
                    continue
                }
                let before = problems.diagnostics.count
                func cell(_ f: ShipmentMapping.Field) -> String? {
                    guard let c = column[f], !reader.isEmpty(c) else { return nil }
                    return TextValues.trimmed(reader.string(c))
                }
                func name(_ f: ShipmentMapping.Field) -> String { header[column[f]!] }
                func required(_ f: ShipmentMapping.Field) -> String? {
                    if let v = cell(f) { return v }
                    problems.report(.line(line), name(f), "is required")
                    return nil
                }
                func number(_ f: ShipmentMapping.Field, positive: Bool) -> Double? {
                    guard let s = cell(f) else { return nil }
                    guard let v = TextValues.number(s), v.isFinite else {
                        problems.report(.line(line), name(f), "must be a finite number, found \"\(s)\"")
                        return nil
                    }
                    if positive, v <= 0 { problems.report(.line(line), name(f), "must be greater than 0, found \(s)"); return nil }
                    if v < 0 { problems.report(.line(line), name(f), "must not be negative, found \(s)"); return nil }
                    return v
                }
                func country(_ f: ShipmentMapping.Field) -> CountryCode? {
                    guard let s = cell(f) else { return nil }
                    if let c = TextValues.country(s) { return c }
                    problems.report(.line(line), name(f), "unknown country \"\(s)\" (expected an ISO 3166-1 alpha-2 code such as \"SG\" or an English name such as \"Singapore\")")
                    return nil
                }
                func party(_ n: ShipmentMapping.Field, _ a: ShipmentMapping.Field, _ c: ShipmentMapping.Field) -> PartyMention {
                    PartyMention(name: cell(n) ?? "", address: cell(a), country: country(c))
                }
                var date: Day?
                if let s = required(.date) {
                    date = mapping.dateFormats.lazy.compactMap { $0.day(s) }.first
                    if date == nil {
                        let forms = mapping.dateFormats.map(\.pattern)
                        problems.report(.line(line), name(.date), "not a real date in \(forms.count == 1 ? "the form " + forms[0] : "any of the forms " + forms.joined(separator: ", ")): \"\(s)\"")
                    }
                }
                let shipper = party(.shipper, .shipperAddress, .shipperCountry)
                let consignee = party(.consignee, .consigneeAddress, .consigneeCountry)
                var notify: PartyMention?
                if column[.notify] != nil || column[.notifyAddress] != nil || column[.notifyCountry] != nil {
                    let p = party(.notify, .notifyAddress, .notifyCountry)
                    if !(p.name.isEmpty && p.address == nil && p.country == nil) { notify = p }
                }
                var hs: String?
                if let s = cell(.hsCode) {
                    hs = TextValues.hsCode(s)
                    if hs == nil { problems.report(.line(line), name(.hsCode), "not an HS code: \"\(s)\" (6 to 10 digits, dots allowed, such as 8542.31)") }
                }
                var quantity: Double?
                if cell(.quantity) == nil { _ = required(.quantity) } else { quantity = number(.quantity, positive: true) }
                let weight = number(.weight, positive: false).map { $0 * mapping.weightUnit.kilograms }
                let value = number(.value, positive: false)
                let origin = country(.originCountry)
                let reference = cell(.reference)
                if mapping.rows == .containerLine, reference == nil, column[.reference] != nil {
                    problems.report(.line(line), name(.reference), "is required: container lines are grouped by their bill of lading")
                }
                guard problems.diagnostics.count == before, let date, let quantity else { continue }
                rows.append(ExtractRow(
                    line: line, id: cell(.id) ?? "\(stem)-\(line)", date: date, shipper: shipper, consignee: consignee, notify: notify,
                    hsCode: hs, description: cell(.description), quantity: quantity, weightKg: weight, value: value,
                    originCountry: origin, reference: reference, containers: cell(.container).map { [$0] } ?? [],
                    portOfLoading: cell(.portOfLoading), portOfDischarge: cell(.portOfDischarge)))
            }
        } catch let problem as CSVReader.Problem {
            problems.report(problem)
        }
        try problems.throwIfAny()
        guard mapping.rows == .containerLine else { return rows }
        let grouped = group(rows, mapping: mapping, problems: &problems)
        try problems.throwIfAny()
        return grouped
    }

    /// Folds container lines into shipments by bill of lading.
    static func group(_ lines: [ExtractRow], mapping: ShipmentMapping, problems: inout Problems) -> [ExtractRow] {
        var order: [String] = []
        var byReference: [String: ExtractRow] = [:]
        var complete: [String: (weight: Bool, value: Bool)] = [:]
        var descriptions: [String: [String]] = [:]
        for r in lines {
            guard let ref = r.reference else { continue }  // a line without one was reported
            guard var g = byReference[ref] else {
                order.append(ref)
                byReference[ref] = r
                complete[ref] = (r.weightKg != nil, r.value != nil)
                descriptions[ref] = r.description.map { [$0] } ?? []
                continue
            }
            func differs(_ field: ShipmentMapping.Field, _ a: String, _ b: String) {
                problems.report(.line(r.line), mapping.columns[field] ?? field.rawValue,
                                "differs from line \(g.line) of the same bill of lading \"\(ref)\" (\"\(b)\" there, \"\(a)\" here)")
            }
            if r.date != g.date { differs(.date, r.date.description, g.date.description) }
            if r.shipper.name != g.shipper.name { differs(.shipper, r.shipper.name, g.shipper.name) }
            if r.consignee.name != g.consignee.name { differs(.consignee, r.consignee.name, g.consignee.name) }
            if (r.notify?.name ?? "") != (g.notify?.name ?? "") { differs(.notify, r.notify?.name ?? "", g.notify?.name ?? "") }
            g.lines.append(r.line)
            g.quantity += r.quantity
            var c = complete[ref]!
            if let w = r.weightKg, c.weight { g.weightKg = (g.weightKg ?? 0) + w } else { c.weight = false; g.weightKg = nil }
            if let v = r.value, c.value { g.value = (g.value ?? 0) + v } else { c.value = false; g.value = nil }
            complete[ref] = c
            if g.hsCode == nil { g.hsCode = r.hsCode }
            if g.originCountry == nil { g.originCountry = r.originCountry }
            if g.portOfLoading == nil { g.portOfLoading = r.portOfLoading }
            if g.portOfDischarge == nil { g.portOfDischarge = r.portOfDischarge }
            for k in r.containers where !g.containers.contains(k) { g.containers.append(k) }
            if let d = r.description, !descriptions[ref]!.contains(d) { descriptions[ref]!.append(d) }
            byReference[ref] = g
        }
        return order.map { ref in
            var g = byReference[ref]!
            let d = descriptions[ref]!
            g.description = d.isEmpty ? nil : d.joined(separator: "; ")
            return g
        }
    }

    /// The ECCN the mapping's watch gives a row, or `nil`.
    ///
    /// A description keyword first (case-insensitive, as a whole word: `H100` matches "GPU SERVER 8X H100" and
    /// "H100-SXM" but not "H1000"; the longest keyword that matches wins), then the longest HS code prefix that the
    /// row's code starts with.
    ///
    /// - Complexity: O(k × d) for k keywords and a description of length d.
    public static func eccn(for row: ExtractRow, mapping: ShipmentMapping) -> String? {
        if let d = row.description?.uppercased() {
            var best: ShipmentMapping.WatchRule?
            for k in mapping.keywords where containsWord(d, k.match.uppercased()) {
                if best == nil || k.match.count > best!.match.count { best = k }
            }
            if let best { return best.eccn }
        }
        guard let hs = row.hsCode?.filter({ $0 != "." }) else { return nil }
        var best: ShipmentMapping.WatchRule?
        for h in mapping.hsCodes where hs.hasPrefix(h.match) {
            if best == nil || h.match.count > best!.match.count { best = h }
        }
        return best?.eccn
    }

    /// Whether `word` occurs in `text` with no letter or digit right before or after it.
    static func containsWord(_ text: String, _ word: String) -> Bool {
        guard !word.isEmpty else { return false }
        var search = text[...]
        while let r = search.range(of: word) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before?.isLetter ?? false) && !(before?.isNumber ?? false) && !(after?.isLetter ?? false) && !(after?.isNumber ?? false) {
                return true
            }
            search = text[text.index(after: r.lowerBound)...]
        }
        return false
    }
}
