import ArgumentParser
import DiversionGraph
import DiversionRules
import Foundation

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify a chip against ECCN 3A090 under the rules of a date.",
        discussion: """
            TPP (Total Processing Performance) is given, or computed as TOPS × bit length. Performance density is \
            TPP ÷ die area. The October 2022 test also needs the interconnect bandwidth.

            Examples:
              diversion classify --tops 1979 --bit-length 8 --die-area 814           (H100 SXM: 3A090.a)
              diversion classify --tpp 4992 --interconnect 400 --date 2023-06-01     (A800: not 3A090)
              diversion classify --tpp 2368 --die-area 814                           (H20: not 3A090)
            """)

    @Option(help: "Total Processing Performance.") var tpp: Double?
    @Option(help: "Dense tera-operations per second (with --bit-length).") var tops: Double?
    @Option(name: .customLong("bit-length"), help: "Bit length of the TOPS figure.") var bitLength: Double?
    @Option(name: .customLong("die-area"), help: "Applicable die area in mm².") var dieArea: Double?
    @Option(help: "Bidirectional chip-to-chip interconnect in GB/s (October 2022 test).") var interconnect: Double?
    @Option(help: "Judge under the rules in force on this date (YYYY-MM-DD; default: today).") var date: String?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @OptionGroup var rules: RulesOption

    func validate() throws {
        if tpp == nil && (tops == nil || bitLength == nil) {
            throw ValidationError("give --tpp, or --tops with --bit-length")
        }
        if let date, Day(date) == nil { throw ValidationError("--date must be a real date YYYY-MM-DD, not \"\(date)\"") }
    }

    func run() throws {
        try reportingErrors {
            let book = try rules.load()
            let day = date.flatMap { Day($0) } ?? Day.today
            let version = book.version(on: day).version
            let c = ChipClassifier.classify(ChipFigures(tpp: tpp, tops: tops, bitLength: bitLength, dieAreaMM2: dieArea,
                                                        interconnectGBps: interconnect), under: version)
            print(format == .json ? try encodeJSON(c) : c.text)
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

struct RulesOption: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A folder of rule data files to use instead of the bundled ones.", valueName: "DIR"))
    var folder: String?

    func load() throws -> RuleBook {
        if let folder { return try RuleBook.load(folder: folder) }
        return try RuleBook.bundled()
    }
}

extension Day {
    static var today: Day {
        Day(rawValue: Int32((Date().timeIntervalSince1970 / 86400).rounded(.down)))
    }
}
