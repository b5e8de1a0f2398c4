/// A problem in a scenario file, printed like a compiler message with the line and a caret:
///
///     Scenarios/my.yaml:14:7: error: unknown country code "XX"
///         tier3_add: [XX]
///                     ^
public struct ScenarioDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The text of the line, when known.
    public var sourceLine: String?

    public var description: String {
        var s = "\(file):\(line):\(column): error: \(message)"
        if let src = sourceLine {
            let caretOffset = src.unicodeScalars.prefix(max(0, column - 1)).reduce(0) { n, c in n + (c == "\t" ? 1 : 1) }
            s += "\n" + src + "\n" + String(repeating: " ", count: caretOffset) + "^"
        }
        return s
    }
}

/// One or more problems that stop a scenario from running (exit status 2).
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
