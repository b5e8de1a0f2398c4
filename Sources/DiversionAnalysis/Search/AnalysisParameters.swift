import DiversionGraph

/// The goods a search watches: ECCN patterns (`3A090`, `4A090`, `3A001.z`) and HS code prefixes
/// (`8542.31`, `8471.50`) for data that has no ECCNs.
public struct WatchList: Sendable, Hashable, Codable {
    public var eccns: [String]
    public var hsCodes: [String]

    public init(eccns: [String], hsCodes: [String] = []) {
        self.eccns = eccns
        self.hsCodes = hsCodes
    }

    /// 3A090, 4A090 and the .z items.
    public static let `default` = WatchList(eccns: ["3A090", "4A090", "3A001.z", "4A003.z", "4A004.z", "4A005.z",
                                                    "5A002.z", "5A004.z", "5A992.z"])

    /// Parses `3A090,4A090,8542.31`: entries that start with a digit followed by a letter are ECCNs, entries
    /// of digits and dots are HS codes.
    public static func parse(_ text: String) throws -> WatchList {
        var w = WatchList(eccns: [], hsCodes: [])
        for raw in text.split(separator: ",") {
            let s = raw.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            if s.allSatisfy({ $0.isNumber || $0 == "." }) {
                let digits = s.filter(\.isNumber)
                guard digits.count >= 4 else { throw WatchListError(entry: s) }
                w.hsCodes.append(s)
            } else if ECCNSyntax.isValid(s) || (s.count == 5 && ECCNSyntax.isValid(s)) {
                w.eccns.append(s)
            } else {
                throw WatchListError(entry: s)
            }
        }
        return w
    }

    /// Whether an item is watched by its own ECCN or HS code.
    public func watches(_ item: Item) -> Bool {
        if let e = item.eccn, eccns.contains(where: { ECCNPatternMatch.matches(e, $0) }) { return true }
        if !hsCodes.isEmpty, let h = item.hsCode {
            let digits = h.filter(\.isNumber)
            if hsCodes.contains(where: { digits.hasPrefix($0.filter(\.isNumber)) }) { return true }
        }
        return false
    }

    public var description: String { (eccns + hsCodes).joined(separator: ",") }
}

public struct WatchListError: Error, CustomStringConvertible {
    public var entry: String
    public var description: String {
        "--watch: \"\(entry)\" is neither an ECCN (such as 3A090 or 4A090.a) nor an HS code of at least 4 digits (such as 8542.31)"
    }
}

/// ECCN prefix matching at a `.` boundary (the same rule the rule data uses).
enum ECCNPatternMatch {
    static func matches(_ eccn: String, _ pattern: String) -> Bool {
        var e = eccn.utf8.makeIterator()
        for c in pattern.utf8 where e.next() != c { return false }
        let next = e.next()
        return next == nil || next == UInt8(ascii: ".")
    }
}

/// The parameters of a diversion search.
public struct AnalysisParameters: Sendable, Hashable, Codable {
    /// Longest gap between consecutive hops, in days.
    public var window: Int = 180
    /// Most shipments in a path.
    public var maxHops: Int = 6
    /// Judge every shipment under this date's rules instead of its own date's.
    public var asOf: Day?
    public var watch: WatchList = .default
    /// Paths whose traced quantity is below this are not alerts (0 keeps every positive flow).
    public var minimumQuantity: Double = 0
    /// Most variants kept per alert (the rest are counted).
    public var maxVariantsPerAlert: Int = 20
    /// Most paths enumerated from one final shipment before the search stops and says so.
    public var maxPathsPerTerminal: Int = 5_000
    /// Worker threads for the search (both cores by default).
    public var threads: Int = 2
    /// Which alerts to report: violations (diversion paths and unlicensed direct shipments), leads, or both.
    public var report: AlertSelection = .all

    public init() {}
}

extension AnalysisParameters {
    /// The shipments an analysis under these parameters reads: those of goods the watch list names, or that
    /// hold such goods at any depth of their bill of materials. (The search, the flow ledgers and the alerts
    /// read no others: ``ItemContainment/carriesWatched`` marks a subset of these items.) A graph loaded for
    /// one such analysis may keep only these (``ShipmentGraph/load(path:keeping:progress:)``) and gives the
    /// same alerts.
    public var shipmentSelection: ShipmentSelection {
        let watch = self.watch
        return ShipmentSelection { items, parts in
            var keeps = items.map { watch.watches($0) }
            // Upward from the watched goods, along "is a part of".
            var assemblies = [[Int32]](repeating: [], count: items.count)
            for (a, p) in parts where items.indices.contains(Int(a)) && items.indices.contains(Int(p)) {
                assemblies[Int(p)].append(a)
            }
            var queue = keeps.indices.filter { keeps[$0] }
            while let y = queue.popLast() {
                for a in assemblies[y] where !keeps[Int(a)] {
                    keeps[Int(a)] = true
                    queue.append(Int(a))
                }
            }
            return keeps
        }
    }
}

/// Which kinds of alert a run reports (`--only`).
public enum AlertSelection: String, Sendable, Codable, CaseIterable {
    case all, violations, leads

    public var includesViolations: Bool { self != .leads }
    public var includesLeads: Bool { self != .violations }
}
