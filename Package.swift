// swift-tools-version:6.1
import PackageDescription

// NB: the CSV reader and the path search touch class state once per byte or per step; dynamic exclusivity
// checks on those accesses cost about half of the load time (measured with callgrind). Both targets keep
// their state private to one thread, so the checks are switched off there.
let hotLoops: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "diversion",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "diversion", targets: ["diversion"]),
        .library(name: "DiversionGraph", targets: ["DiversionGraph"]),
        .library(name: "DiversionRules", targets: ["DiversionRules"]),
        .library(name: "DiversionAnalysis", targets: ["DiversionAnalysis"]),
        .library(name: "DiversionStore", targets: ["DiversionStore"]),
        .library(name: "DiversionSources", targets: ["DiversionSources"]),
        .library(name: "DiversionMatching", targets: ["DiversionMatching"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Processor operations Swift has no spelling for (prefetch, vector byte classes); header-only,
        // inlined into the callers.
        .target(name: "CProcessor"),
        // The shipment graph: model, validation, loaders, compact in-memory index. No SQLite.
        .target(name: "DiversionGraph", dependencies: ["CProcessor"], swiftSettings: hotLoops),
        // Dated regulation data and the jurisdiction engine. No SQLite.
        .target(
            name: "DiversionRules",
            dependencies: ["DiversionGraph"],
            resources: [.copy("Resources/rules")]),
        // Path search, quantity tracing, scoring, alerts. No SQLite.
        .target(
            name: "DiversionAnalysis",
            dependencies: ["DiversionGraph", "DiversionRules"],
            resources: [.copy("Resources/red-flags.json")],
            swiftSettings: hotLoops),
        // Scenario files (YAML) and their runner. No SQLite.
        .target(
            name: "DiversionScenarios",
            dependencies: ["DiversionGraph", "DiversionRules", "DiversionAnalysis", "Yams"]),
        // Readers for data as it arrives: screening lists (CSL, OpenSanctions) and customs extracts, and the
        // resolution of an extract's free-text parties. No SQLite.
        .target(name: "DiversionSources", dependencies: ["DiversionGraph", "DiversionMatching", "Yams"]),
        // Entity resolution: name normalisation, string measures, blocking and matching of list entries
        // against shipment parties. No SQLite.
        .target(
            name: "DiversionMatching",
            dependencies: ["DiversionGraph"],
            resources: [.copy("Resources/name-forms.json")]),
        // Seeded synthetic worlds for tests and benchmarks.
        .target(name: "DiversionWorld", dependencies: ["DiversionGraph"]),
        // The SQLite store (GRDB on the system libsqlite3).
        .target(
            name: "DiversionStore",
            dependencies: [
                "DiversionGraph", "DiversionAnalysis", "DiversionSources", "DiversionMatching",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "diversion",
            dependencies: [
                "DiversionGraph", "DiversionRules", "DiversionAnalysis", "DiversionStore",
                "DiversionScenarios", "DiversionWorld", "DiversionSources", "DiversionMatching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "DiversionBenchmarks",
            dependencies: [
                "DiversionGraph", "DiversionRules", "DiversionAnalysis", "DiversionStore", "DiversionWorld",
                "DiversionMatching",
            ]),
        .target(
            name: "DiversionTestSupport",
            dependencies: ["DiversionGraph", "DiversionRules", "DiversionAnalysis"],
            path: "Tests/DiversionTestSupport"),
        .testTarget(name: "DiversionGraphTests", dependencies: ["DiversionGraph", "DiversionTestSupport", "DiversionWorld"]),
        .testTarget(name: "DiversionRulesTests", dependencies: ["DiversionRules", "DiversionTestSupport"]),
        .testTarget(name: "DiversionAnalysisTests", dependencies: ["DiversionAnalysis", "DiversionTestSupport"]),
        .testTarget(name: "DiversionStoreTests", dependencies: ["DiversionStore", "DiversionAnalysis", "DiversionSources", "DiversionMatching", "DiversionTestSupport"]),
        .testTarget(
            name: "DiversionScenariosTests",
            dependencies: ["DiversionScenarios", "DiversionAnalysis", "DiversionRules", "DiversionGraph", "DiversionTestSupport"],
            exclude: ["Malformed", "Failing"]),
        .testTarget(
            name: "DiversionCommandTests", dependencies: ["DiversionTestSupport", "DiversionStore", "diversion"], exclude: ["Golden"]),
        .testTarget(
            name: "DiversionSourcesTests", dependencies: ["DiversionSources", "DiversionGraph", "DiversionTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DiversionMatchingTests",
            dependencies: ["DiversionMatching", "DiversionGraph", "DiversionTestSupport"],
            resources: [.copy("Resources/name-pairs.tsv")]),
        .testTarget(name: "DiversionWorldTests", dependencies: ["DiversionWorld", "DiversionGraph", "DiversionAnalysis", "DiversionRules"]),
    ]
)
