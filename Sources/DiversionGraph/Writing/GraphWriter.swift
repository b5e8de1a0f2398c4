#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A cell of an output row: text, a number, or nothing ("not known").
public enum Cell: Sendable, Hashable {
    case text(String)
    case number(Double)
    case empty
}

extension Cell {
    init(_ s: String?) { self = s.map(Cell.text) ?? .empty }
    init(_ d: Double?) { self = d.map(Cell.number) ?? .empty }
    init(_ d: Day?) { self = d.map { .text($0.description) } ?? .empty }
}

/// The cells of each record type, in ``GraphTable/fields`` order. Loaders, writers and the store agree here.
public enum GraphCells {
    public static func of(_ e: Entity) -> [Cell] {
        [.text(e.id), .text(e.name), .text(e.country.code), Cell(e.role?.rawValue), Cell(e.headquarters?.code)]
    }
    public static func of(_ o: Ownership) -> [Cell] {
        [.text(o.owner), .text(o.owned), .number(o.share), Cell(o.since), Cell(o.until)]
    }
    public static func of(_ l: Listing) -> [Cell] {
        [.text(l.entity), .text(l.list), Cell(l.footnote.map(Double.init)), Cell(l.since), Cell(l.until)]
    }
    public static func of(_ i: Item) -> [Cell] {
        [.text(i.id), Cell(i.description), Cell(i.eccn), Cell(i.hsCode), .text(i.origin.code), Cell(i.maker),
         Cell(i.unitValue), Cell(i.tpp), Cell(i.tops), Cell(i.bitLength), Cell(i.dieAreaMM2),
         Cell(i.interconnectGBps)]
    }
    public static func of(_ c: Component) -> [Cell] {
        [.text(c.assembly), .text(c.component), .number(c.quantity), Cell(c.unitValue)]
    }
    public static func of(_ p: Provenance) -> [Cell] {
        [.text(p.item), .text(p.kind.rawValue), .text(p.eccn), .text(p.origin.code)]
    }
    public static func of(_ e: Equipment) -> [Cell] { [.text(e.plant), .text(e.item), Cell(e.quantity)] }
    public static func of(_ s: Shipment) -> [Cell] {
        [.text(s.id), .text(s.date.description), .text(s.from), .text(s.to), .text(s.item), .number(s.quantity),
         Cell(s.value), Cell(s.declaredEndUser), Cell(s.license), Cell(s.reference)]
    }
}

/// Formats a number the shortest way that reads back to the same value (`25000`, `0.6`, `19.45`).
public func formatDecimal(_ v: Double) -> String { formatNumber(v) }

/// Writes a graph in the interchange format, table by table and row by row, so that an export of tens of
/// millions of shipments streams to disk.
///
/// Rows must come in ``GraphTable/loadOrder``-compatible order: all rows of a table together. For JSON,
/// tables are written in the order they are begun; for CSV, each table is its own file.
public final class GraphWriter {
    public enum Form: Sendable { case json, csv }
    public enum Problem: Error, CustomStringConvertible {
        case cannotWrite(String)
        public var description: String {
            switch self { case .cannotWrite(let p): return "\(p): cannot be written" }
        }
    }

    let form: Form
    let destination: String
    private var out: UnsafeMutablePointer<FILE>?
    private var current: GraphTable?
    private var rowsInTable = 0
    private var buffer: [UInt8] = []
    private var isStandardOutput: Bool

    /// - Parameters:
    ///   - destination: for JSON, a file path or `-` for standard output; for CSV, a folder (created).
    public init(form: Form, destination: String, name: String?) throws {
        self.form = form
        self.destination = destination
        self.isStandardOutput = destination == "-"
        buffer.reserveCapacity(1 << 16)
        switch form {
        case .json:
            if isStandardOutput { out = fdopen(1, "wb") } else {
                guard let f = fopen(destination, "wb") else { throw Problem.cannotWrite(destination) }
                out = f
            }
            append("{\n  \"format\": \"\(GraphLoader.formatName)\"")
            if let name { append(",\n  \"name\": "); appendJSONString(name) }
        case .csv:
            do {
                try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            } catch { throw Problem.cannotWrite(destination) }
        }
    }

    private func append(_ s: String) { buffer.append(contentsOf: s.utf8); if buffer.count > 1 << 16 { flush() } }

    private func flush() {
        guard let out, !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, out) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendJSONString(_ s: String) {
        buffer.append(0x22)
        for u in s.unicodeScalars {
            switch u {
            case "\"": buffer.append(contentsOf: [0x5C, 0x22])
            case "\\": buffer.append(contentsOf: [0x5C, 0x5C])
            case "\n": buffer.append(contentsOf: [0x5C, 0x6E])
            case "\r": buffer.append(contentsOf: [0x5C, 0x72])
            case "\t": buffer.append(contentsOf: [0x5C, 0x74])
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    buffer.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    buffer.append(contentsOf: String(u).utf8)
                }
            }
        }
        buffer.append(0x22)
    }

    private func appendCSVField(_ s: String) {
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            buffer.append(0x22)
            for c in s.utf8 { if c == 0x22 { buffer.append(0x22) }; buffer.append(c) }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: s.utf8)
        }
    }

    private func beginTable(_ t: GraphTable) throws {
        try endTable()
        current = t
        rowsInTable = 0
        switch form {
        case .json:
            append(",\n  \"\(t.rawValue)\": [")
        case .csv:
            let path = "\(destination)/\(t.fileName)"
            guard let f = fopen(path, "wb") else { throw Problem.cannotWrite(path) }
            out = f
            append(t.fields.joined(separator: ",") + "\n")
        }
    }

    private func endTable() throws {
        guard let t = current else { return }
        switch form {
        case .json:
            append(rowsInTable == 0 ? "]" : "\n  ]")
        case .csv:
            flush()
            if let out, fclose(out) != 0 { throw Problem.cannotWrite("\(destination)/\(t.fileName)") }
            out = nil
        }
        current = nil
    }

    /// Writes every table in `tables` even when empty, so a CSV folder always has all eight files.
    public func write(_ table: GraphTable, _ cells: [Cell]) throws {
        if current != table { try beginTable(table) }
        let fields = table.fields
        switch form {
        case .json:
            append(rowsInTable == 0 ? "\n    {" : ",\n    {")
            var first = true
            for (f, cell) in zip(fields, cells) {
                switch cell {
                case .empty: continue
                case .text(let s):
                    append(first ? "\"\(f)\": " : ", \"\(f)\": "); appendJSONString(s)
                case .number(let d):
                    append(first ? "\"\(f)\": " : ", \"\(f)\": "); append(formatNumber(d))
                }
                first = false
            }
            append("}")
        case .csv:
            for (k, cell) in cells.enumerated() {
                if k > 0 { buffer.append(0x2C) }
                switch cell {
                case .empty: break
                case .text(let s): appendCSVField(s)
                case .number(let d): buffer.append(contentsOf: formatNumber(d).utf8)
                }
            }
            buffer.append(0x0A)
            if buffer.count > 1 << 16 { flush() }
        }
        rowsInTable += 1
    }

    /// Starts `table` with no rows (so that it appears in the output).
    public func touch(_ table: GraphTable) throws {
        if current != table { try beginTable(table) }
    }

    /// Finishes the output; until this returns, a file written is incomplete.
    public func close() throws {
        try endTable()
        if form == .json {
            append("\n}\n")
            flush()
            if let out {
                if isStandardOutput { fflush(out) } else if fclose(out) != 0 { throw Problem.cannotWrite(destination) }
            }
            out = nil
        }
    }

    /// Writes a whole document.
    public static func write(_ d: GraphDocument, form: Form, to destination: String) throws {
        let w = try GraphWriter(form: form, destination: destination, name: d.name)
        for t in GraphTable.allCases {
            try w.touch(t)
            switch t {
            case .entities: for r in d.entities { try w.write(t, GraphCells.of(r)) }
            case .ownership: for r in d.ownership { try w.write(t, GraphCells.of(r)) }
            case .listings: for r in d.listings { try w.write(t, GraphCells.of(r)) }
            case .items: for r in d.items { try w.write(t, GraphCells.of(r)) }
            case .components: for r in d.components { try w.write(t, GraphCells.of(r)) }
            case .provenance: for r in d.provenance { try w.write(t, GraphCells.of(r)) }
            case .equipment: for r in d.equipment { try w.write(t, GraphCells.of(r)) }
            case .shipments: for r in d.shipments { try w.write(t, GraphCells.of(r)) }
            }
        }
        try w.close()
    }
}

/// Feeds a ``GraphDocument`` held in memory to a sink, resolving its references.
public enum DocumentReplay {
    public static func replay(_ d: GraphDocument, into sink: inout some GraphSink) throws {
        var entities = IdTable(), items = IdTable()
        var problems: [GraphDiagnostic] = []
        func resolve(_ table: IdTable, _ id: String, _ where_: String, _ field: String, _ kind: String) -> Int32 {
            if let v = table.lookup(id) { return v }
            problems.append(GraphDiagnostic(SourceLocation(file: "(in memory)", row: .none, field: field),
                                            "\(where_): no \(kind) \"\(id)\""))
            return 0
        }
        try sink.begin(name: d.name)
        for e in d.entities { entities.insert(e.id); try sink.add(entity: e) }
        for i in d.items {
            items.insert(i.id)
            let maker = i.maker.map { resolve(entities, $0, "item \(i.id)", "maker", "entity") }
            try sink.add(item: i, maker: maker)
        }
        for o in d.ownership {
            try sink.add(ownership: o, owner: resolve(entities, o.owner, "ownership", "owner", "entity"),
                         owned: resolve(entities, o.owned, "ownership", "owned", "entity"))
        }
        for l in d.listings { try sink.add(listing: l, entity: resolve(entities, l.entity, "listing", "entity", "entity")) }
        for c in d.components {
            try sink.add(component: c, assembly: resolve(items, c.assembly, "component", "assembly", "item"),
                         part: resolve(items, c.component, "component", "component", "item"))
        }
        for p in d.provenance { try sink.add(provenance: p, item: resolve(items, p.item, "provenance", "item", "item")) }
        for e in d.equipment {
            try sink.add(equipment: e, plant: resolve(entities, e.plant, "equipment", "plant", "entity"),
                         item: resolve(items, e.item, "equipment", "item", "item"))
        }
        for s in d.shipments {
            let row = ShipmentRow(
                id: s.id, date: s.date, from: resolve(entities, s.from, "shipment \(s.id)", "from", "entity"),
                to: resolve(entities, s.to, "shipment \(s.id)", "to", "entity"),
                item: resolve(items, s.item, "shipment \(s.id)", "item", "item"), quantity: s.quantity, value: s.value,
                declaredEndUser: s.declaredEndUser.map { resolve(entities, $0, "shipment \(s.id)", "declared_end_user", "entity") },
                license: s.license, reference: s.reference)
            if problems.isEmpty { try sink.add(shipment: row) }
        }
        if !problems.isEmpty { throw GraphLoadError(problems) }
        try sink.finish()
    }
}
