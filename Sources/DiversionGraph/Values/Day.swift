/// A calendar day, stored as the number of days since 1970-01-01 (proleptic Gregorian, UTC).
///
/// Shipment dates, rule windows and ownership periods are all whole days, so a day number is the
/// compact and exact representation: comparison and window arithmetic are integer operations.
///
///     let d = Day("2023-11-17")!   // Day(rawValue: 19678)
///     d.advanced(by: 180).description == "2024-05-15"
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Builds a day from a year, month and day of month; `nil` when they are not a real calendar date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        self.rawValue = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses a strict ISO date `YYYY-MM-DD`; `nil` for anything else, including impossible dates.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        if utf8.count != 10 { return nil }
        self.init(asciiBytes: &utf8)
    }

    /// Parses `YYYY-MM-DD` from ten ASCII bytes.
    public init?(asciiBytes b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                let c = b[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    private init?(asciiBytes bytes: inout [UInt8]) {
        guard let d = bytes.withUnsafeBufferPointer({ Day(asciiBytes: $0) }) else { return nil }
        self = d
    }

    public static func < (a: Day, b: Day) -> Bool { a.rawValue < b.rawValue }

    public func advanced(by days: Int) -> Day { Day(rawValue: rawValue + Int32(days)) }
    public func distance(to other: Day) -> Int { Int(other.rawValue) - Int(rawValue) }

    public var components: (year: Int, month: Int, day: Int) { Day.civil(fromDays: Int(rawValue)) }

    public var description: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date YYYY-MM-DD: \"\(s)\"")
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // NB: Howard Hinnant's days-from-civil algorithm; exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// A window of days `since...until`, both ends inclusive; either end may be open.
///
/// Rule data and graph data both say "since" and "until": we read `until` as the last day the fact holds
/// (inclusive), which is how the reference and the interchange format use it.
public struct DayWindow: Sendable, Hashable, Codable {
    public var since: Day?
    public var until: Day?

    public init(since: Day? = nil, until: Day? = nil) {
        self.since = since
        self.until = until
    }

    public static let always = DayWindow()

    /// Whether `day` lies within the window (both ends inclusive).
    public func contains(_ day: Day) -> Bool {
        if let s = since, day < s { return false }
        if let u = until, day > u { return false }
        return true
    }
}
