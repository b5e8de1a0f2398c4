import DiversionGraph
import DiversionTestSupport
import Foundation
@testable import DiversionSources

/// The folder of the fixtures written for these tests.
let fixtures: String = {
    var url = URL(fileURLWithPath: #filePath)
    url.deleteLastPathComponent()
    return url.appendingPathComponent("Fixtures").path
}()

func fixture(_ name: String) -> String { "\(fixtures)/\(name)" }

/// The messages a failed read gave, one per problem, with the fixtures folder written as `Fixtures`.
func messages(_ body: () throws -> Any) -> [String] {
    do {
        _ = try body()
        return []
    } catch let e as GraphLoadError {
        return e.diagnostics.map { $0.description.replacingOccurrences(of: fixtures, with: "Fixtures") }
    } catch {
        return ["unexpected error: \(error)"]
    }
}
