import Foundation
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
        if let src = sourceLine, !src.trimmingCharacters(in: .whitespaces).isEmpty {
            // NB: tabs before the column are copied, so the caret lines up however the terminal shows tabs.
            let lead = src.unicodeScalars.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
            s += "\n" + src + "\n" + lead + "^"
        }
        return s
    }
}

/// One or more problems that stop a scenario from running (exit status 2).
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
