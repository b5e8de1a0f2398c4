import DiversionGraph
import Foundation
import Yams

/// How to read one customs or bill-of-lading extract: which column holds each field, how dates are written,
/// whether a row is a shipment or a container line, and which goods to watch.
///
/// Written as a YAML file (`Graphs/real-data/bol-mapping.yaml`; `Graphs/FORMAT.md`, "Real data", documents
/// every key):
///
///     rows: container-line          # or shipment (the default)
///     date_format: [MM/DD/YYYY]     # default YYYY-MM-DD; the first layout that fits a cell wins
///     weight_unit: kg               # kg (default), lb or t
///     columns: {date: arrival_date, shipper: shipper_name, consignee: consignee_name, quantity: qty, reference: bol_number}
///     watch:
///       hs_codes: {"8542.31": 3A090, "8471.50": 4A090}
///       keywords: {H100: 3A090.a}
public struct ShipmentMapping: Sendable, Hashable {
    /// What one row of the extract is.
    public enum RowKind: String, Sendable, Hashable, CaseIterable {
        /// One row per shipment.
        case shipment
        /// One row per container line: lines with the same bill of lading (`reference`) are one shipment.
        case containerLine = "container-line"
    }

    /// The unit of the weight column.
    public enum WeightUnit: String, Sendable, Hashable, CaseIterable {
        case kg, lb, t
        var kilograms: Double {
            switch self {
            case .kg: 1
            case .lb: 0.45359237
            case .t: 1000
            }
        }
    }

    /// The fields a mapping can name a column for (`columns.<field>` in the YAML).
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case id, date
        case shipper, shipperAddress = "shipper_address", shipperCountry = "shipper_country"
        case consignee, consigneeAddress = "consignee_address", consigneeCountry = "consignee_country"
        case notify, notifyAddress = "notify_address", notifyCountry = "notify_country"
        case hsCode = "hs_code", description, quantity, weight, value
        case originCountry = "origin_country", reference, container
        case portOfLoading = "port_of_loading", portOfDischarge = "port_of_discharge"

        /// The fields every mapping must name.
        public static let required: [Field] = [.date, .shipper, .consignee, .quantity]
    }

    /// An HS code prefix (normalised digits, no dots) or a description keyword, and the ECCN it gives.
    public struct WatchRule: Sendable, Hashable {
        public var match: String
        public var eccn: String
        public init(match: String, eccn: String) { self.match = match; self.eccn = eccn }
    }

    /// The mapping file, for messages (empty for a mapping built in code).
    public var file: String
    public var rows: RowKind
    public var dateFormats: [DateFormat]
    public var weightUnit: WeightUnit
    /// The extract's column name for each mapped field.
    public var columns: [Field: String]
    /// The mapping file's line of each `columns` entry, so that a column missing from the extract is reported there.
    public var columnLines: [Field: Int]
    /// HS code prefixes (digits only, at least 4) to ECCNs, in file order.
    public var hsCodes: [WatchRule]
    /// Description keywords to ECCNs, in file order.
    public var keywords: [WatchRule]

    public init(
        file: String = "", rows: RowKind = .shipment, dateFormats: [DateFormat] = [.iso], weightUnit: WeightUnit = .kg,
        columns: [Field: String], columnLines: [Field: Int] = [:], hsCodes: [WatchRule] = [], keywords: [WatchRule] = []
    ) {
        self.file = file; self.rows = rows; self.dateFormats = dateFormats; self.weightUnit = weightUnit
        self.columns = columns; self.columnLines = columnLines; self.hsCodes = hsCodes; self.keywords = keywords
    }

    static let topKeys = ["rows", "date_format", "weight_unit", "columns", "watch"]
    static let watchKeys = ["hs_codes", "keywords"]

    /// Reads a mapping file.
    ///
    /// - Throws: ``GraphLoadError`` with every problem, located at its line: not valid YAML, unknown keys and
    ///   fields (with a did-you-mean hint), a missing required column, bad `rows`, `date_format`, `weight_unit`,
    ///   HS codes or ECCNs. Whether the columns exist is checked when an extract is read
    ///   (``ShipmentExtractReader/read(path:mapping:)``).
    public static func load(path: String) throws -> ShipmentMapping {
        var problems = Problems(file: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.report(.none, nil, FileManager.default.fileExists(atPath: path) ? "cannot be opened for reading" : "no such file")
            throw problems.failure()
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.report(.none, nil, "is not valid UTF-8 text")
            throw problems.failure()
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let e as YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                problems.report(.line(mark.line), nil, "not valid YAML: \(problem)")
            default:
                problems.report(.line(1), nil, "not valid YAML: \(e)")
            }
            throw problems.failure()
        } catch {
            problems.report(.line(1), nil, "not valid YAML: \(error)")
            throw problems.failure()
        }
        var m = ShipmentMapping(file: path, columns: [:])
        func line(_ n: Node) -> SourceLocation.Row { .line(n.mark?.line ?? 1) }
        func pairs(_ n: Node, _ what: String?) -> [(key: String, keyNode: Node, value: Node)]? {
            guard let map = n.mapping else {
                problems.report(line(n), what, what == nil ? "must be a YAML mapping of keys to values (rows:, columns:, …)" : "must be a mapping of keys to values")
                return nil
            }
            var out: [(String, Node, Node)] = []
            for (k, v) in map {
                guard let key = k.string else { problems.report(line(k), what, "keys must be text"); continue }
                out.append((key, k, v))
            }
            return out
        }
        func scalar(_ n: Node, _ field: String) -> String? {
            guard let s = n.scalar?.string, !s.isEmpty else {
                problems.report(line(n), field, "must be text, found \(n.sequence != nil ? "a list" : n.mapping != nil ? "a mapping" : "nothing")")
                return nil
            }
            return s
        }
        guard let node, let top = pairs(node, nil) else {
            if problems.isEmpty { problems.report(.line(1), nil, "is empty; a mapping needs at least `columns:` with \(Field.required.map(\.rawValue).joined(separator: ", "))") }
            throw problems.failure()
        }
        var columnsNode: Node?
        for e in top {
            switch e.key {
            case "rows":
                guard let s = scalar(e.value, "rows") else { continue }
                if let r = RowKind(rawValue: s) { m.rows = r } else {
                    problems.report(line(e.value), "rows", "must be \"shipment\" or \"container-line\", found \"\(s)\"\(didYouMean(s, among: RowKind.allCases.map(\.rawValue)))")
                }
            case "date_format":
                var formats: [DateFormat] = []
                let items = e.value.sequence.map(Array.init) ?? [e.value]
                for item in items {
                    guard let s = scalar(item, "date_format") else { continue }
                    do { formats.append(try DateFormat(s)) } catch { problems.report(line(item), "date_format", error.message) }
                }
                if !formats.isEmpty { m.dateFormats = formats }
            case "weight_unit":
                guard let s = scalar(e.value, "weight_unit") else { continue }
                if let u = WeightUnit(rawValue: s) { m.weightUnit = u } else {
                    problems.report(line(e.value), "weight_unit", "must be kg, lb or t, found \"\(s)\"")
                }
            case "columns":
                columnsNode = e.value
                guard let cols = pairs(e.value, "columns") else { continue }
                for c in cols {
                    guard let f = Field(rawValue: c.key) else {
                        problems.report(line(c.keyNode), "columns.\(c.key)", "unknown field\(didYouMean(c.key, among: Field.allCases.map(\.rawValue))); the fields are \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
                        continue
                    }
                    guard let name = scalar(c.value, "columns.\(c.key)") else { continue }
                    m.columns[f] = name.trimmingCharacters(in: .whitespaces)
                    m.columnLines[f] = c.value.mark?.line ?? 1
                }
            case "watch":
                guard let w = pairs(e.value, "watch") else { continue }
                for x in w {
                    guard watchKeys.contains(x.key) else {
                        problems.report(line(x.keyNode), "watch.\(x.key)", "unknown key\(didYouMean(x.key, among: watchKeys)); watch has hs_codes and keywords")
                        continue
                    }
                    guard let rules = pairs(x.value, "watch.\(x.key)") else { continue }
                    for r in rules {
                        let field = "watch.\(x.key).\(r.key)"
                        guard let eccn = scalar(r.value, field) else { continue }
                        guard ECCNSyntax.isValid(eccn) else {
                            problems.report(line(r.value), field, "not an ECCN: \"\(eccn)\" (expected a form such as 3A090.a, 4A090, 3E001 or EAR99)")
                            continue
                        }
                        if x.key == "hs_codes" {
                            let digits = r.key.filter { $0 != "." }
                            guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                                problems.report(line(r.keyNode), field, "not an HS code or prefix: \"\(r.key)\" (at least 4 digits, dots allowed, such as 8542.31)")
                                continue
                            }
                            m.hsCodes.append(WatchRule(match: digits, eccn: eccn))
                        } else {
                            m.keywords.append(WatchRule(match: r.key, eccn: eccn))
                        }
                    }
                }
            default:
                problems.report(line(e.keyNode), e.key, "unknown key\(didYouMean(e.key, among: topKeys)); the mapping's keys are \(topKeys.joined(separator: ", "))")
            }
        }
        if let columnsNode {
            if columnsNode.mapping != nil {
                for f in Field.required where m.columns[f] == nil {
                    problems.report(line(columnsNode), "columns", "missing \"\(f.rawValue)\": every extract needs a column for \(Field.required.map(\.rawValue).joined(separator: ", "))")
                }
            }
        } else {
            problems.report(.line(node.mark?.line ?? 1), "columns", "is required: name the extract's column for \(Field.required.map(\.rawValue).joined(separator: ", ")) (and any of the others)")
        }
        if m.rows == .containerLine, m.columns[.reference] == nil, columnsNode?.mapping != nil,
           let r = top.first(where: { $0.key == "rows" }) {
            problems.report(line(r.value), "rows", "container-line needs columns.reference (the bill of lading number) to group the lines of one shipment")
        }
        try problems.throwIfAny()
        return m
    }
}
