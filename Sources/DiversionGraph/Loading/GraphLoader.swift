import CProcessor
import Foundation

/// Reads a shipment graph from a `.json` document or a folder of CSV tables, validates every row against
/// the rules of the interchange format, and hands the rows to a ``GraphSink``.
///
/// Every problem is reported with its file, row and field; up to ``maximumDiagnostics`` are collected
/// before the load gives up, so a user can fix several at once. The CSV form is never copied into memory as
/// text: clean entities and shipments tables are mapped from the file and parsed in slices on all cores
/// (``BulkEntityReader``, ``BulkShipmentReader``), every other table (and either of those two with anything
/// unusual) is streamed row by row.
///
///     var sink = DocumentSink()
///     try GraphLoader().load(path: "Graphs/sample-network.json", into: &sink)
///
/// - Complexity: O(rows + bytes); memory O(entities + items + shipments × 16 bytes) for the id checks.
public struct GraphLoader {
    public static let maximumDiagnostics = 50
    public static let formatName = "diversion-graph/1"

    /// Called every so many rows while loading.
    public var progress: (@Sendable (LoadProgress) -> Void)?

    /// Whether a clean `shipments.csv` may be read in bulk on all cores (off only to test that both paths
    /// give the same result).
    var readsInBulk = true
    /// Bytes per slice of the bulk reader (small in tests, to cut small files into many slices).
    var bulkSliceSize = BulkShipmentReader.sliceSize

    public init(progress: (@Sendable (LoadProgress) -> Void)? = nil) { self.progress = progress }

    /// Large loads allocate and free many blocks of a few hundred kilobytes on worker threads (each slice's
    /// identifiers and texts, joined into the table's columns as they are released). With the C library's
    /// default, a freed block of that size stays with the thread that allocated it and still counts in the
    /// process's memory; from 128 KiB up, blocks are given back to the system when freed. Set once per process,
    /// by the first load into a sink that holds every shipment (a load for one analysis holds a few per cent of
    /// them, and its blocks are better reused than mapped afresh).
    static let returnsFreedMemory: Void = diversion_return_freed_blocks(128 << 10)

    /// Loads the graph at `path` into `sink`; throws ``GraphLoadError`` with every problem found.
    @discardableResult
    public func load(path: String, into sink: inout some GraphSink) throws -> LoadSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GraphLoadError([GraphDiagnostic(SourceLocation(file: path), "no such file or folder")])
        }
        if sink.holdsEveryShipment { _ = GraphLoader.returnsFreedMemory }
        var state = LoadState(progress: progress)
        state.readsInBulk = readsInBulk
        state.bulkSliceSize = bulkSliceSize
        if isDirectory.boolValue {
            try state.loadCSVFolder(path, into: &sink)
        } else if path.lowercased().hasSuffix(".json") {
            try state.loadJSON(path, into: &sink)
        } else {
            throw GraphLoadError([GraphDiagnostic(SourceLocation(file: path),
                "not a graph: give a .json document or a folder of CSV tables (see Graphs/FORMAT.md)")])
        }
        return state.summary
    }

    /// Loads a small graph into memory as a ``GraphDocument``.
    public static func document(at path: String) throws -> GraphDocument {
        var sink = DocumentSink()
        try GraphLoader().load(path: path, into: &sink)
        return sink.document
    }
}

// MARK: - Field access shared by both forms

enum FieldValue {
    case absent
    case text(String)
    case number(Double)
    case other(String)
}

protocol RowSource {
    var row: SourceLocation.Row { get }
    /// Whether the field has a value (cheap: no text is made).
    func isPresent(_ field: Int) -> Bool
    func value(_ field: Int) -> FieldValue
    /// Calls `body` with the UTF-8 bytes of a text field; `nil` when absent or not text.
    func withText<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R?
}

struct LoadState {
    var progress: (@Sendable (LoadProgress) -> Void)?
    var readsInBulk = true
    var bulkSliceSize = BulkShipmentReader.sliceSize
    var diagnostics: [GraphDiagnostic] = []
    var isTruncated = false
    /// Set when a problem makes checking the rest of the input pointless.
    var isStopped = false
    var summary = LoadSummary()

    var entities = IdTable()
    var items = IdTable()
    var shipments = IdTable()
    var entityRows: [SourceLocation.Row] = []
    var itemRows: [SourceLocation.Row] = []
    var componentEdges: [(assembly: Int32, part: Int32, row: SourceLocation.Row)] = []
    var minDay = Int32.max
    var maxDay = Int32.min
    /// The entities' hash table for checking the shipments a sink does not hold, built on another thread while
    /// the tables after `entities.csv` are read (``IdentifierHashes/building(_:)``).
    var partyHashes: Background<IdentifierHashes>?

    var file = ""
    var table = GraphTable.entities
    var fields: [String] = []

    init(progress: (@Sendable (LoadProgress) -> Void)?) { self.progress = progress }

    var isClean: Bool { diagnostics.isEmpty }

    mutating func report(_ row: SourceLocation.Row, _ field: String?, _ message: String) {
        if diagnostics.count >= GraphLoader.maximumDiagnostics { isTruncated = true; return }
        diagnostics.append(GraphDiagnostic(SourceLocation(file: file, row: row, field: field), message))
    }

    var isFull: Bool { diagnostics.count >= GraphLoader.maximumDiagnostics }

    func fail() -> GraphLoadError { GraphLoadError(diagnostics, isTruncated: isTruncated) }

    // MARK: typed field readers

    mutating func text(_ src: some RowSource, _ f: Int) -> String? {
        switch src.value(f) {
        case .absent: 
            if table.requiredFields.contains(fields[f]) { report(src.row, fields[f], "is required") }
            return nil
        case .text(let s): return s
        case .number(let d):
            // NB: JSON writers often emit numeric codes (a footnote, an HS code) as numbers; accept them as text.
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .other(let s):
            report(src.row, fields[f], "expected text, found \(s)")
            return nil
        }
    }

    mutating func number(_ src: some RowSource, _ f: Int) -> Double? {
        // Fast path: parse the bytes in place; the slow path below only runs for problems and JSON numbers.
        if let parsed = src.withText(f, { parseDecimal($0) }), let v = parsed { return v }
        switch src.value(f) {
        case .absent:
            if table.requiredFields.contains(fields[f]) { report(src.row, fields[f], "is required") }
            return nil
        case .number(let d):
            guard d.isFinite else { report(src.row, fields[f], "must be a finite number"); return nil }
            return d
        case .text(let s):
            if let d = parseDecimal(s) { return d }
            report(src.row, fields[f], "must be a finite number, found \"\(s)\"")
            return nil
        case .other(let s):
            report(src.row, fields[f], "must be a number, found \(s)")
            return nil
        }
    }

    mutating func nonNegative(_ src: some RowSource, _ f: Int) -> Double? {
        guard let v = number(src, f) else { return nil }
        if v < 0 { report(src.row, fields[f], "must not be negative, found \(formatNumber(v))"); return nil }
        return v
    }

    mutating func positive(_ src: some RowSource, _ f: Int) -> Double? {
        guard let v = number(src, f) else { return nil }
        if v <= 0 { report(src.row, fields[f], "must be greater than 0, found \(formatNumber(v))"); return nil }
        return v
    }

    mutating func country(_ src: some RowSource, _ f: Int) -> CountryCode? {
        guard let s = text(src, f) else { return nil }
        if let c = CountryCode(s) { return c }
        if let c = CountryCode(s.uppercased()) {
            report(src.row, fields[f], "country codes are upper case: write \"\(c.code)\" instead of \"\(s)\"")
        } else {
            report(src.row, fields[f], "unknown country code \"\(s)\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")")
        }
        return nil
    }

    mutating func date(_ src: some RowSource, _ f: Int) -> Day? {
        if let parsed = src.withText(f, { Day(asciiBytes: $0) }), let d = parsed { return d }
        guard let s = text(src, f) else { return nil }
        if let d = Day(s) { return d }
        report(src.row, fields[f], "not a real calendar date in the form YYYY-MM-DD: \"\(s)\"")
        return nil
    }

    mutating func window(_ src: some RowSource, _ sinceField: Int, _ untilField: Int) -> (Day?, Day?, Bool) {
        let hasSince = !isAbsent(src, sinceField), hasUntil = !isAbsent(src, untilField)
        let since = hasSince ? date(src, sinceField) : nil
        let until = hasUntil ? date(src, untilField) : nil
        var ok = (!hasSince || since != nil) && (!hasUntil || until != nil)
        if let s = since, let u = until, u < s {
            report(src.row, fields[untilField], "ends (\(u)) before it starts (\(s))")
            ok = false
        }
        return (since, until, ok)
    }

    func isAbsent(_ src: some RowSource, _ f: Int) -> Bool { !src.isPresent(f) }

    mutating func reference(_ src: some RowSource, _ f: Int, in ids: IdTable, kind: String) -> Int32? {
        if let id = src.withText(f, { ids.lookup($0) }) {
            if let id { return id }
            let s = text(src, f) ?? ""
            report(src.row, fields[f], "no \(kind) \"\(s)\"")
            return nil
        }
        _ = text(src, f)  // reports "is required" or a wrong type
        return nil
    }

    mutating func newID(_ src: some RowSource, _ f: Int, isEntity: Bool) -> Bool {
        guard let s = text(src, f) else { return false }
        if s.isEmpty { report(src.row, fields[f], "is required"); return false }
        let (id, inserted) = isEntity ? entities.insert(s) : items.insert(s)
        if inserted {
            if isEntity { entityRows.append(src.row) } else { itemRows.append(src.row) }
            return true
        }
        let first = isEntity ? entityRows[Int(id)] : itemRows[Int(id)]
        report(src.row, fields[f], "duplicate \(isEntity ? "entity" : "item") id \"\(s)\" (first at \(describe(first)))")
        return false
    }

    func describe(_ row: SourceLocation.Row) -> String {
        switch row {
        case .line(let n): return "line \(n)"
        case .index(let t, let i): return "\(t)[\(i)]"
        case .none: return "an earlier row"
        }
    }

    // MARK: rows of each table

    mutating func readRow(_ src: some RowSource, into sink: inout some GraphSink) throws {
        let before = diagnostics.count
        switch table {
        case .entities:
            let okID = newID(src, 0, isEntity: true)
            let name = text(src, 1)
            if name == "" { report(src.row, "name", "is required") }
            let location = country(src, 2)
            var role: PartyRole?
            if let r = isAbsent(src, 3) ? nil : text(src, 3) {
                role = PartyRole(rawValue: r)
                if role == nil {
                    report(src.row, "role", "unknown role \"\(r)\" (one of \(PartyRole.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            let hq = isAbsent(src, 4) ? nil : country(src, 4)
            if okID, diagnostics.count == before, isClean, let name, let location, let id = text(src, 0) {
                try sink.add(entity: Entity(id: id, name: name, country: location, role: role, headquarters: hq))
            }
        case .items:
            let okID = newID(src, 0, isEntity: false)
            let description = isAbsent(src, 1) ? nil : text(src, 1)
            var eccn: String?
            if !isAbsent(src, 2), let e = text(src, 2) {
                if ECCNSyntax.isValid(e) { eccn = e } else {
                    report(src.row, "eccn", "not an ECCN: \"\(e)\" (expected a form such as 3A090.a, 4A090, 3E001 or EAR99)")
                }
            }
            var hs: String?
            if !isAbsent(src, 3), let h = text(src, 3) {
                let digits = h.filter { $0 != "." }
                if digits.count >= 6, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { hs = h } else {
                    report(src.row, "hs_code", "not an HS code: \"\(h)\" (6 to 10 digits, dots allowed, such as 8542.31)")
                }
            }
            let origin = country(src, 4)
            let maker = isAbsent(src, 5) ? nil : reference(src, 5, in: entities, kind: "entity")
            let unitValue = isAbsent(src, 6) ? nil : nonNegative(src, 6)
            let tpp = isAbsent(src, 7) ? nil : nonNegative(src, 7)
            let tops = isAbsent(src, 8) ? nil : nonNegative(src, 8)
            let bits = isAbsent(src, 9) ? nil : positive(src, 9)
            let area = isAbsent(src, 10) ? nil : positive(src, 10)
            let interconnect = isAbsent(src, 11) ? nil : nonNegative(src, 11)
            if okID, diagnostics.count == before, isClean, let origin, let id = text(src, 0) {
                try sink.add(item: Item(id: id, description: description, eccn: eccn, hsCode: hs, origin: origin,
                                        maker: maker.map { entities[$0] }, unitValue: unitValue, tpp: tpp, tops: tops,
                                        bitLength: bits, dieAreaMM2: area, interconnectGBps: interconnect), maker: maker)
            }
        case .ownership:
            let owner = reference(src, 0, in: entities, kind: "entity")
            let owned = reference(src, 1, in: entities, kind: "entity")
            var share = number(src, 2)
            if let s = share, !(s > 0 && s <= 1) {
                report(src.row, "share", "must be a fraction greater than 0 and at most 1, found \(formatNumber(s))")
                share = nil
            }
            if let a = owner, let b = owned, a == b { report(src.row, "owned", "an entity cannot own itself") }
            let (since, until, okWindow) = window(src, 3, 4)
            if diagnostics.count == before, isClean, okWindow, let owner, let owned, let share {
                try sink.add(ownership: Ownership(owner: entities[owner], owned: entities[owned], share: share,
                                                  since: since, until: until), owner: owner, owned: owned)
            }
        case .listings:
            let entity = reference(src, 0, in: entities, kind: "entity")
            let list = text(src, 1)
            if list == "" { report(src.row, "list", "is required") }
            var footnote: Int?
            if !isAbsent(src, 2), let f = number(src, 2) {
                if [1.0, 3, 4, 5].contains(f) { footnote = Int(f) } else {
                    report(src.row, "footnote", "Entity List footnotes are 1, 3, 4 or 5, found \(formatNumber(f))")
                }
            }
            let (since, until, okWindow) = window(src, 3, 4)
            if diagnostics.count == before, isClean, okWindow, let entity, let list {
                try sink.add(listing: Listing(entity: entities[entity], list: list, footnote: footnote, since: since,
                                              until: until), entity: entity)
            }
        case .components:
            let assembly = reference(src, 0, in: items, kind: "item")
            let part = reference(src, 1, in: items, kind: "item")
            let quantity = positive(src, 2)
            let unitValue = isAbsent(src, 3) ? nil : nonNegative(src, 3)
            if let a = assembly, let p = part {
                if a == p { report(src.row, "component", "an item cannot be a component of itself") }
                else { componentEdges.append((a, p, src.row)) }
            }
            if diagnostics.count == before, isClean, let assembly, let part, let quantity {
                try sink.add(component: Component(assembly: items[assembly], component: items[part], quantity: quantity,
                                                  unitValue: unitValue), assembly: assembly, part: part)
            }
        case .provenance:
            let item = reference(src, 0, in: items, kind: "item")
            var kind: ProvenanceKind?
            if let k = text(src, 1) {
                kind = ProvenanceKind(rawValue: k)
                if kind == nil { report(src.row, "kind", "must be \"technology\" or \"software\", found \"\(k)\"") }
            }
            var eccn: String?
            if let e = text(src, 2) {
                if ECCNSyntax.isValid(e) { eccn = e } else {
                    report(src.row, "eccn", "not an ECCN: \"\(e)\" (expected a form such as 3E001 or 3D001)")
                }
            }
            let origin = country(src, 3)
            if diagnostics.count == before, isClean, let item, let kind, let eccn, let origin {
                try sink.add(provenance: Provenance(item: items[item], kind: kind, eccn: eccn, origin: origin), item: item)
            }
        case .equipment:
            let plant = reference(src, 0, in: entities, kind: "entity")
            let item = reference(src, 1, in: items, kind: "item")
            let quantity = isAbsent(src, 2) ? nil : positive(src, 2)
            if diagnostics.count == before, isClean, let plant, let item {
                try sink.add(equipment: Equipment(plant: entities[plant], item: items[item], quantity: quantity),
                             plant: plant, item: item)
            }
        case .shipments:
            try readShipment(src, into: &sink, before: before)
        }
    }

    mutating func readShipment(_ src: some RowSource, into sink: inout some GraphSink, before: Int) throws {
        var id: String?
        if let s = text(src, 0) {
            if s.isEmpty { report(src.row, "id", "is required") } else {
                let (_, inserted) = shipments.insert(s)
                if inserted { id = s } else { report(src.row, "id", "duplicate shipment id \"\(s)\"") }
            }
        }
        let date = date(src, 1)
        let from = reference(src, 2, in: entities, kind: "entity")
        let to = reference(src, 3, in: entities, kind: "entity")
        let item = reference(src, 4, in: items, kind: "item")
        let quantity = positive(src, 5)
        let value = isAbsent(src, 6) ? nil : nonNegative(src, 6)
        let endUser = isAbsent(src, 7) ? nil : reference(src, 7, in: entities, kind: "entity")
        let license = isAbsent(src, 8) ? nil : text(src, 8)
        let reference = isAbsent(src, 9) ? nil : text(src, 9)
        if let f = from, let t = to, f == t { report(src.row, "to", "a shipment cannot go from a party to itself") }
        guard diagnostics.count == before, isClean, let id, let date, let from, let to, let item, let quantity else { return }
        minDay = min(minDay, date.rawValue)
        maxDay = max(maxDay, date.rawValue)
        try sink.add(shipment: ShipmentRow(id: id, date: date, from: from, to: to, item: item, quantity: quantity,
                                           value: value, declaredEndUser: endUser, license: license,
                                           reference: reference))
    }

    /// Bills of materials must not loop: "any depth" has to end.
    mutating func checkComponentCycles() {
        guard !componentEdges.isEmpty else { return }
        let n = items.count
        var adjacency = [[(Int32, SourceLocation.Row)]](repeating: [], count: n)
        for e in componentEdges { adjacency[Int(e.assembly)].append((e.part, e.row)) }
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on stack, 2 done
        for start in 0..<n where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                if top.next < adjacency[top.node].count {
                    stack[stack.count - 1].next += 1
                    let (child, row) = adjacency[top.node][top.next]
                    let c = Int(child)
                    if state[c] == 1 {
                        let cycleStart = stack.firstIndex { $0.node == c } ?? 0
                        let names = stack[cycleStart...].map { items[Int32($0.node)] } + [items[child]]
                        report(row, "component", "the bill of materials loops: \(names.joined(separator: " → "))")
                        return
                    }
                    if state[c] == 0 { state[c] = 1; stack.append((c, 0)) }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }

    mutating func finishTable(_ t: GraphTable, rows: Int) {
        summary.rows[t] = rows
        if t == .components { checkComponentCycles() }
    }

    mutating func finish(into sink: inout some GraphSink) throws {
        if !diagnostics.isEmpty { throw fail() }
        if minDay <= maxDay { summary.dateRange = Day(rawValue: minDay)...Day(rawValue: maxDay) }
        sink.adopt(entityIDs: entities)
        try sink.finish()
    }
}

func formatNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String(v)
}

/// The shape of an Export Control Classification Number: `EAR99`, or a digit, a letter A–E, three digits,
/// then optional `.`-separated sub-paragraphs (`3A090.a`, `3B001.f.1`, `4A003.z`).
public enum ECCNSyntax {
    public static func isValid(_ s: String) -> Bool {
        if s == "EAR99" { return true }
        let u = Array(s.utf8)
        guard u.count >= 5 else { return false }
        guard (0x30...0x39).contains(u[0]), (0x41...0x45).contains(u[1]),
              u[2...4].allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        if u.count == 5 { return true }
        guard u[5] == 0x2E else { return false }
        var segmentLength = 0
        for c in u[6...] {
            if c == 0x2E { if segmentLength == 0 { return false }; segmentLength = 0; continue }
            let isAlnum = (0x30...0x39).contains(c) || (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c)
            guard isAlnum else { return false }
            segmentLength += 1
        }
        return segmentLength > 0
    }
}
