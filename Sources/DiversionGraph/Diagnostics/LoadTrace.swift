import Foundation

/// Timings of the stages of a load, written to standard error when the environment variable
/// `DIVERSION_TRACE` is set (to anything): seconds since the first mark, and the process's resident and peak
/// memory at each mark. For finding where a large load spends its time and memory; off, it costs one check.
public enum LoadTrace {
    static let isOn = ProcessInfo.processInfo.environment["DIVERSION_TRACE"] != nil
    nonisolated(unsafe) private static var start: Double?

    /// Writes one line for the stage just finished.
    public static func mark(_ stage: @autoclosure () -> String) {
        guard isOn else { return }
        let now = Date().timeIntervalSinceReferenceDate
        let t0 = start ?? now
        if start == nil { start = now }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return "?" }
            let kb = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) } ?? 0
            return "\(kb / 1024) MiB"
        }
        let line = String(format: "trace %7.3f s  rss %@  peak %@  %@\n", now - t0, field("VmRSS:"), field("VmHWM:"), stage())
        FileHandle.standardError.write(line.data(using: .utf8)!)
    }
}
