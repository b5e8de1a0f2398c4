import ArgumentParser
import DiversionGraph
import DiversionScenarios
import DiversionStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Exit statuses shared by every command (documented in `diversion --help` and the README).
enum Exit {
    static let findings = ExitCode(1)
    static let failure = ExitCode(2)
}

/// Prints a user-facing error for anything a command throws and turns it into exit status 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as GraphLoadError {
        printError(e.description)
        printError("nothing was stored.")
        throw Exit.failure
    } catch let e as ScenarioError {
        printError(e.description)
        throw Exit.failure
    } catch let e as StoreError {
        printError("error: \(e)")
        throw Exit.failure
    } catch let e as ExitCode {
        throw e
    } catch let e as CustomStringConvertible {
        printError("error: \(e.description)")
        throw Exit.failure
    }
}

/// A one-line progress display on standard error, redrawn in place; silent when standard error is not a
/// terminal or when `--quiet` is given.
final class ProgressLine: @unchecked Sendable {
    let isEnabled: Bool
    let start = Date()
    var lastDraw = Date.distantPast
    let lock = NSLock()

    init(quiet: Bool) { isEnabled = !quiet && isatty(2) != 0 }

    func update(_ p: LoadProgress) {
        guard isEnabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = now
        let seconds = max(now.timeIntervalSince(start), 0.001)
        var text = "  \(p.table.rawValue): \(p.rows) rows, \(Int(Double(p.rows) / seconds)) rows/s"
        if let total = p.totalBytes, total > 0 {
            text += String(format: ", %.0f%% of %@", 100 * Double(p.bytesRead) / Double(total), p.table.fileName)
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    func finish() {
        guard isEnabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database file.", discussion: "Default: $DIVERSION_DB, else ~/.local/share/diversion/diversion.sqlite.", valueName: "FILE"))
    var db: String?

    var path: String { db ?? GraphStore.defaultPath }
}
