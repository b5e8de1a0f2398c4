import Foundation

/// One JSON object of a table array.
struct JSONRow: RowSource {
    let object: [String: Any]
    let fieldNames: [String]
    let table: String
    let index: Int

    var row: SourceLocation.Row { .index(table: table, index) }

    func isPresent(_ field: Int) -> Bool {
        if case .absent = value(field) { return false }
        return true
    }

    func value(_ field: Int) -> FieldValue {
        guard let v = object[fieldNames[field]], !(v is NSNull) else { return .absent }
        if let s = v as? String { return s.isEmpty ? .absent : .text(s) }
        if let n = v as? NSNumber {
            // NB: JSONSerialization turns true/false into NSNumber too; tell them apart by type id.
            if String(cString: n.objCType) == "c" { return .other(n.boolValue ? "true" : "false") }
            return .number(n.doubleValue)
        }
        if v is [Any] { return .other("a list") }
        if v is [String: Any] { return .other("an object") }
        return .other("\(v)")
    }

    func withText<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard case .text(var s) = value(field) else { return nil }
        return s.withUTF8(body)
    }
}

extension LoadState {
    mutating func loadJSON(_ path: String, into sink: inout some GraphSink) throws {
        file = path
        guard let data = FileManager.default.contents(atPath: path) else {
            report(.none, nil, "cannot be opened for reading")
            throw fail()
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            report(.none, nil, "is not valid JSON (\(jsonErrorDetail(error, data)))")
            throw fail()
        }
        guard let document = root as? [String: Any] else {
            report(.none, nil, "the document must be a JSON object with \"format\": \"\(GraphLoader.formatName)\"")
            throw fail()
        }
        let allowed = Set(["format", "name"] + GraphTable.allCases.map(\.rawValue))
        for key in document.keys.sorted() where !allowed.contains(key) {
            report(.none, key, "unknown key\(didYouMean(key, among: Array(allowed)))")
        }
        switch document["format"] {
        case nil: report(.none, "format", "is required: \"\(GraphLoader.formatName)\"")
        case let f as String where f == GraphLoader.formatName: break
        case let f: report(.none, "format", "unsupported format \(f.map { "\"\($0)\"" } ?? "") (this tool reads \"\(GraphLoader.formatName)\")")
        }
        var name: String?
        if let n = document["name"] {
            if let s = n as? String { name = s } else { report(.none, "name", "must be text") }
        }
        if document["entities"] == nil { report(.none, "entities", "is required (a list of parties)") }
        if !diagnostics.isEmpty { throw fail() }
        summary.name = name
        try sink.begin(name: name)
        sink.willAdoptEntityIDs()
        for t in GraphTable.loadOrder {
            table = t
            fields = t.fields
            guard let raw = document[t.rawValue] else { finishTable(t, rows: 0); continue }
            guard let array = raw as? [Any] else {
                report(.none, t.rawValue, "must be a list of objects")
                continue
            }
            let known = Set(fields)
            for (i, element) in array.enumerated() {
                guard let object = element as? [String: Any] else {
                    report(.index(table: t.rawValue, i), nil, "must be an object")
                    continue
                }
                for key in object.keys.sorted() where !known.contains(key) {
                    report(.index(table: t.rawValue, i), key, "unknown field\(didYouMean(key, among: fields))")
                }
                try readRow(JSONRow(object: object, fieldNames: fields, table: t.rawValue, index: i), into: &sink)
                if isFull { isTruncated = i + 1 < array.count; break }
            }
            finishTable(t, rows: array.count)
            if isFull { break }
        }
        try finish(into: &sink)
    }

    func jsonErrorDetail(_ error: Error, _ data: Data) -> String {
        let ns = error as NSError
        var index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int
        if index == nil, let debug = ns.userInfo["NSDebugDescription"] as? String,
           let r = debug.range(of: "character ") {
            index = Int(debug[r.upperBound...].prefix { $0.isNumber })
        }
        if let index {
            let prefix = data.prefix(index)
            let line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            return "syntax error near line \(line)"
        }
        return "syntax error"
    }
}
