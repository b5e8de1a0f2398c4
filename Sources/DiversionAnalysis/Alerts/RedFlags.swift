import Foundation

/// One named red flag with its weight and source (from `red-flags.json`).
public struct RedFlagDefinition: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var weight: Double
    public var days: Int?
    public var ratio: Double?
    public var text: String
    public var source: String
}

/// The red-flag catalogue and the severity bands.
public struct RedFlagCatalogue: Codable, Sendable, Hashable {
    public struct Bands: Codable, Sendable, Hashable { public var critical: Double; public var high: Double; public var medium: Double }
    public var note: String?
    public var baseScore: Double
    public var bands: Bands
    public var flags: [RedFlagDefinition]
    /// A lead's score is its red-flag score times this (0.39 keeps every lead below the medium band, so below
    /// any violation).
    public var leadScoreScale: Double?
    public var leadScale: Double { leadScoreScale ?? 0.39 }

    public static func bundled() throws -> RedFlagCatalogue {
        guard let url = Bundle.module.url(forResource: "red-flags", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw AnalysisError.missingResource("red-flags.json")
        }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(RedFlagCatalogue.self, from: data)
    }

    public func flag(_ id: String) -> RedFlagDefinition? { flags.first { $0.id == id } }

    public func severity(for score: Double) -> Severity {
        if score >= bands.critical { return .critical }
        if score >= bands.high { return .high }
        if score >= bands.medium { return .medium }
        return .low
    }
}

public enum Severity: String, Codable, Sendable, Hashable, Comparable, CaseIterable {
    case low, medium, high, critical
    var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

public enum AnalysisError: Error, CustomStringConvertible {
    case missingResource(String)
    public var description: String {
        switch self { case .missingResource(let r): return "the bundled resource \(r) is missing from the installation" }
    }
}
