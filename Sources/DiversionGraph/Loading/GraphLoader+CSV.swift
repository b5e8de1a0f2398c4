import Foundation

/// One CSV record seen through the table's field order.
struct CSVRow: RowSource {
    let reader: CSVReader
    /// Column index of each schema field, or -1 when the file has no such column.
    let columns: [Int]

    var row: SourceLocation.Row { .line(reader.line) }

    @inline(__always)
    func isPresent(_ field: Int) -> Bool {
        let c = columns[field]
        return c >= 0 && !reader.isEmpty(c)
    }

    func value(_ field: Int) -> FieldValue {
        let c = columns[field]
        if c < 0 || reader.isEmpty(c) { return .absent }
        return .text(reader.string(c))
    }

    func withText<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let c = columns[field]
        if c < 0 || reader.isEmpty(c) { return nil }
        return reader.withField(c, body)
    }
}

extension LoadState {
    mutating func loadCSVFolder(_ folder: String, into sink: inout some GraphSink) throws {
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        let known = Set(GraphTable.allCases.map(\.fileName))
        for name in names.sorted() where name.lowercased().hasSuffix(".csv") && !known.contains(name) {
            file = "\(base)/\(name)"
            let suggestion = GraphTable.allCases.map(\.fileName).min { editDistance($0, name) < editDistance($1, name) }!
            report(.none, nil, "unknown table \"\(name)\"; the tables are \(GraphTable.allCases.map(\.fileName).joined(separator: ", ")) (did you mean \"\(suggestion)\"?)")
        }
        if !names.contains(GraphTable.entities.fileName) {
            file = "\(base)/\(GraphTable.entities.fileName)"
            report(.none, nil, "missing: a CSV graph needs at least entities.csv (see Graphs/FORMAT.md)")
        }
        if !diagnostics.isEmpty { throw fail() }
        LoadTrace.mark("load \(base)")
        try sink.begin(name: URL(fileURLWithPath: base).lastPathComponent)
        sink.willAdoptEntityIDs()
        summary.name = URL(fileURLWithPath: base).lastPathComponent
        for t in GraphTable.loadOrder {
            table = t
            fields = t.fields
            file = "\(base)/\(t.fileName)"
            guard names.contains(t.fileName) else { finishTable(t, rows: 0); continue }
            let reader: CSVReader
            do { reader = try CSVReader(path: file) } catch {
                report(.none, nil, "cannot be opened for reading")
                continue
            }
            let rows = try readCSVTable(reader, into: &sink)
            LoadTrace.mark("\(t.fileName): \(rows) rows")
            finishTable(t, rows: rows)
            if isFull || isStopped { break }
        }
        try finish(into: &sink)
    }

    mutating func readCSVTable(_ reader: CSVReader, into sink: inout some GraphSink) throws -> Int {
        do {
            guard try reader.next() else {
                report(.line(1), nil, "is empty: the first line must be the header row (\(fields.joined(separator: ",")))")
                return 0
            }
            let problemsBefore = diagnostics.count
            let header = (0..<reader.fieldCount).map { reader.string($0).trimmingCharacters(in: .whitespaces) }
            var columns = [Int](repeating: -1, count: fields.count)
            for (c, name) in header.enumerated() {
                if let f = fields.firstIndex(of: name) {
                    if columns[f] >= 0 { report(.line(reader.line), name, "the header names this column twice") }
                    columns[f] = c
                } else {
                    report(.line(reader.line), name, "unknown column\(didYouMean(name, among: fields)); \(table.fileName) has \(fields.joined(separator: ", "))")
                }
            }
            for (f, name) in fields.enumerated() where columns[f] < 0 && table.requiredFields.contains(name) {
                report(.line(reader.line), name, "required column is missing from the header")
            }
            if diagnostics.count > problemsBefore {
                // NB: rows of later tables would only repeat "no entity"/"no item" for every reference.
                if table == .entities || table == .items { isStopped = true }
                return 0
            }
            let width = header.count
            if table == .shipments, isClean, readsInBulk, sink.takesShipmentColumns,
               let kept = sink.keptShipmentItems, kept.contains(false) {
                if let read = BulkShipmentReader.readSelected(
                    path: reader.path, bodyStart: Int(reader.bytesRead), columns: columns, width: width,
                    entities: entities, items: items, kept: kept, partyHashes: partyHashes,
                    threads: ProcessInfo.processInfo.activeProcessorCount,
                    progress: progress, sliceSize: bulkSliceSize) {
                    if let days = read.columns.days { minDay = min(minDay, days.lowerBound); maxDay = max(maxDay, days.upperBound) }
                    try sink.add(shipmentColumns: read.columns, omitting: read.omitted)
                    return read.columns.count + read.omitted.count
                }
            } else if table == .shipments, isClean, readsInBulk, sink.takesShipmentColumns {
                if let bulk = BulkShipmentReader.readColumns(
                    path: reader.path, bodyStart: Int(reader.bytesRead), columns: columns, width: width,
                    entities: entities, items: items, threads: ProcessInfo.processInfo.activeProcessorCount,
                    progress: progress, sliceSize: bulkSliceSize) {
                    if let days = bulk.days { minDay = min(minDay, days.lowerBound); maxDay = max(maxDay, days.upperBound) }
                    try sink.add(shipmentColumns: bulk)
                    return bulk.count
                }
            } else if table == .shipments, isClean, readsInBulk,
               let batches = BulkShipmentReader.read(
                    path: reader.path, bodyStart: Int(reader.bytesRead), columns: columns, width: width,
                    entities: entities, items: items, threads: ProcessInfo.processInfo.activeProcessorCount,
                    progress: progress, sliceSize: bulkSliceSize) {
                var rows = 0
                for batch in batches {
                    for d in batch.day { minDay = min(minDay, d); maxDay = max(maxDay, d) }
                    try sink.add(shipments: batch)
                    rows += batch.count
                }
                return rows
            }
            if table == .entities, isClean, readsInBulk, entities.count == 0,
               let batches = BulkEntityReader.read(
                    path: reader.path, bodyStart: Int(reader.bytesRead), columns: columns, width: width,
                    threads: ProcessInfo.processInfo.activeProcessorCount, progress: progress, sliceSize: bulkSliceSize) {
                LoadTrace.mark("entities: slices parsed")
                // Every identifier first: a duplicate sends the table to the row-by-row reader, which reports it,
                // before the sink has seen any row. Sized for the rows read.
                let rows = batches.reduce(0) { $0 + $1.count }
                if !sink.holdsEveryShipment {
                    // A graph for one analysis, in memory: the identifiers are indexed on another thread while the
                    // sink takes the rows (on a duplicate the load fails, and the graph with it), and the party
                    // hashes for the shipments it will not hold are built on a third.
                    partyHashes = IdentifierHashes.building(batches.map(\.ids))
                    let indexed = Background { () -> IdTable? in
                        var table = IdTable(minimumCapacity: rows)
                        table.reserve(rows: 0, bytes: batches.reduce(0) { $0 + $1.ids.arenaByteCount })
                        return batches.allSatisfy { table.insertAll(contentsOf: $0.ids) } ? table : nil
                    }
                    try sink.add(entityBatches: batches)
                    let table = indexed.value
                    LoadTrace.mark("entities: identifiers indexed")
                    if let table {
                        entities = table
                        return rows
                    }
                    partyHashes = nil
                } else {
                    entities = IdTable(minimumCapacity: rows)
                    var unique = true
                    for batch in batches where !entities.insertAll(contentsOf: batch.ids) {
                        unique = false
                        break
                    }
                    LoadTrace.mark("entities: identifiers indexed")
                    if unique {
                        try sink.add(entityBatches: batches)
                        return rows
                    }
                }
                entities = IdTable()
            }
            if table == .entities, entities.count == 0 {
                // About one entity per 40 bytes: size the identifier table once instead of doubling it.
                entities = IdTable(minimumCapacity: max(16, min(Int(reader.fileSize ?? 0) / 40, 100_000_000)))
            }
            let source = CSVRow(reader: reader, columns: columns)
            var rows = 0
            while try reader.next() {
                rows += 1
                if reader.fieldCount != width {
                    report(.line(reader.line), nil, "has \(reader.fieldCount) fields, the header has \(width)")
                } else {
                    try readRow(source, into: &sink)
                }
                if isFull { isTruncated = true; break }
                if rows & 0xFFFF == 0, let progress {
                    progress(LoadProgress(table: table, rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.fileSize))
                }
            }
            if let progress {
                progress(LoadProgress(table: table, rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.fileSize))
            }
            return rows
        } catch let problem as CSVReader.Problem {
            switch problem {
            case .cannotOpen: report(.none, nil, "cannot be opened for reading")
            case .unterminatedQuote(let line): report(.line(line), nil, "a quoted field is never closed (a \" is missing)")
            case .textAfterQuote(let line):
                report(.line(line), nil, "text follows a closing quote; inside quotes write a quote as \"\"")
            case .invalidUTF8(let line): report(.line(line), nil, "is not valid UTF-8 text")
            }
            return 0
        }
    }
}

/// ` (did you mean "x"?)` when a known name is close to `name`, else an empty string.
public func didYouMean(_ name: String, among known: [String]) -> String {
    guard let near = known.sorted().min(by: { editDistance($0, name) < editDistance($1, name) }) else { return "" }
    let limit = min(3, max(1, name.count / 3))
    return editDistance(near, name) <= limit ? " (did you mean \"\(near)\"?)" : ""
}

/// Levenshtein distance, for did-you-mean hints on short names.
public func editDistance(_ a: String, _ b: String) -> Int { levenshtein(Array(a), Array(b)) }

/// The Levenshtein distance between two sequences (insertions, deletions, substitutions, each 1).
/// - Complexity: O(*n* × *m*) time, O(*m*) memory.
public func levenshtein<C: Equatable>(_ a: [C], _ b: [C]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
