import DiversionGraph

/// A date layout of a customs extract, such as `MM/DD/YYYY` or `DD-MMM-YYYY`.
///
/// Parts: `YYYY` (four digits), `MM` / `DD` (two digits), `M` / `D` (one or two digits), `MMM` (an English month
/// abbreviation, any case: `Mar`, `MAR`). Everything else must be a separator that is not a letter, matched
/// exactly. Each layout needs one year, one month and one day.
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    enum Part: Sendable, Hashable {
        case year, month2, month, monthName, day2, day
        case literal(Character)
    }

    public let pattern: String
    let parts: [Part]

    public var description: String { pattern }

    public static let iso = try! DateFormat("YYYY-MM-DD")

    /// The month abbreviations `MMM` reads.
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// Parses a layout; throws the sentence that says what is wrong with it.
    public init(_ pattern: String) throws(DateFormatError) {
        var parts: [Part] = []
        var chars = Array(pattern)[...]
        while let c = chars.first {
            if c.isLetter {
                let run = chars.prefix { $0 == c }
                chars = chars.dropFirst(run.count)
                switch (c, run.count) {
                case ("Y", 4): parts.append(.year)
                case ("M", 1): parts.append(.month)
                case ("M", 2): parts.append(.month2)
                case ("M", 3): parts.append(.monthName)
                case ("D", 1): parts.append(.day)
                case ("D", 2): parts.append(.day2)
                default: throw DateFormatError(message: "\"\(pattern)\" has \"\(String(run))\", which is not a date part (parts are YYYY, MM, M, MMM, DD and D)")
                }
            } else {
                parts.append(.literal(c))
                chars = chars.dropFirst()
            }
        }
        let years = parts.filter { $0 == .year }.count
        let months = parts.filter { $0 == .month || $0 == .month2 || $0 == .monthName }.count
        let days = parts.filter { $0 == .day || $0 == .day2 }.count
        guard years == 1, months == 1, days == 1 else {
            throw DateFormatError(message: "\"\(pattern)\" needs one year (YYYY), one month (MM, M or MMM) and one day (DD or D), such as \"DD/MM/YYYY\"")
        }
        self.pattern = pattern
        self.parts = parts
    }

    /// The day `text` gives in this layout; `nil` when it does not fit or is not a real date.
    public func day(_ text: String) -> Day? {
        var s = Array(text.trimmingCharacters(in: .whitespaces))[...]
        var y = 0, m = 0, d = 0
        func digits(_ min: Int, _ max: Int) -> Int? {
            let run = s.prefix { $0.isASCII && $0.isNumber }.prefix(max)
            guard run.count >= min else { return nil }
            s = s.dropFirst(run.count)
            return Int(String(run))
        }
        for p in parts {
            switch p {
            case .year: guard let v = digits(4, 4) else { return nil }; y = v
            case .month2: guard let v = digits(2, 2) else { return nil }; m = v
            case .month: guard let v = digits(1, 2) else { return nil }; m = v
            case .day2: guard let v = digits(2, 2) else { return nil }; d = v
            case .day: guard let v = digits(1, 2) else { return nil }; d = v
            case .monthName:
                guard s.count >= 3, let i = DateFormat.monthNames.firstIndex(of: String(s.prefix(3)).uppercased()) else { return nil }
                s = s.dropFirst(3)
                m = i + 1
            case .literal(let c):
                guard s.first == c else { return nil }
                s = s.dropFirst()
            }
        }
        guard s.isEmpty else { return nil }
        return Day(year: y, month: m, day: d)
    }
}

/// Why a date layout is not one.
public struct DateFormatError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
