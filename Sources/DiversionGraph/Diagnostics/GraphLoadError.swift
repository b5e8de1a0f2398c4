/// Where in an input file a problem lies: the file, the row (a CSV line number or a JSON array index),
/// and the field.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Row: Sendable, Hashable {
        /// 1-based line in a CSV file.
        case line(Int)
        /// 0-based index in a JSON table array.
        case index(table: String, Int)
        case none
    }

    public var file: String
    public var row: Row
    public var field: String?

    public init(file: String, row: Row = .none, field: String? = nil) {
        self.file = file; self.row = row; self.field = field
    }

    public var description: String {
        var s = file
        switch row {
        case .line(let n): s += ":\(n)"
        case .index(let table, let i): s += ": \(table)[\(i)]"
        case .none: break
        }
        return s
    }
}

/// One problem found in an input file, written as a sentence for the user.
public struct GraphDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location; self.message = message
    }

    /// `Graphs/x/shipments.csv:1043: field "to": no entity "acme-sg"`
    public var description: String {
        if let f = location.field { return "\(location): field \"\(f)\": \(message)" }
        return "\(location): \(message)"
    }
}

/// A graph file was rejected. It carries every problem found (up to ``GraphLoader/maximumDiagnostics``);
/// nothing from a rejected file may be kept by whoever consumed the rows.
public struct GraphLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [GraphDiagnostic]
    /// True when more problems existed than were collected.
    public var isTruncated: Bool

    public init(_ diagnostics: [GraphDiagnostic], isTruncated: Bool = false) {
        self.diagnostics = diagnostics; self.isTruncated = isTruncated
    }

    public var description: String {
        var lines = diagnostics.map { "error: \($0)" }
        if isTruncated { lines.append("error: (stopped after \(diagnostics.count) problems; the rest of the file was not checked)") }
        return lines.joined(separator: "\n")
    }
}
