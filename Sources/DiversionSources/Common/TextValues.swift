import DiversionGraph
import Foundation

/// Reading the values third-party files write loosely: country names, numbers with thousands separators,
/// HS codes in any punctuation, partial dates.
enum TextValues {
    /// Splits a multi-valued cell at `separator` (the CSL writes `; `), trimming and dropping empty parts.
    static func split(_ s: String?, by separator: String = ";") -> [String] {
        guard let s else { return [] }
        return s.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Trims spaces and tabs; `nil` for an empty result.
    static func trimmed(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    // MARK: - Countries

    /// English short names (upper case) to codes, plus the names customs data commonly uses instead.
    static let countriesByName: [String: CountryCode] = {
        var m: [String: CountryCode] = [:]
        for c in CountryCode.all { m[c.name.uppercased()] = c }
        let aliases: [String: String] = [
            "UAE": "AE", "U.A.E.": "AE", "USA": "US", "U.S.A.": "US", "UNITED STATES OF AMERICA": "US",
            "UK": "GB", "GREAT BRITAIN": "GB", "RUSSIA": "RU", "KOREA": "KR", "REPUBLIC OF KOREA": "KR",
            "KOREA, REPUBLIC OF": "KR", "VIET NAM": "VN", "TAIWAN, PROVINCE OF CHINA": "TW",
            "HONG KONG SAR": "HK", "HONG KONG, CHINA": "HK", "MACAU": "MO", "PRC": "CN",
            "PEOPLE'S REPUBLIC OF CHINA": "CN", "CHINA (MAINLAND)": "CN", "TURKEY": "TR", "IRAN, ISLAMIC REPUBLIC OF": "IR",
        ]
        for (k, v) in aliases { m[k] = CountryCode(v)! }
        return m
    }()

    /// A country written as an ISO alpha-2 code in any case (`CN`, `cn`) or an English name in any case
    /// (`China`, `HONG KONG`, `UAE`); `nil` when it is neither.
    static func country(_ s: String) -> CountryCode? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let c = CountryCode(t.uppercased()) { return c }
        return countriesByName[t.uppercased()]
    }

    /// Whether `s` is written like a country code (two ASCII letters).
    static func looksLikeCode(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 2 && u.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    // MARK: - Numbers

    /// A decimal number as spreadsheets and customs systems write it: the project's number syntax
    /// (`1250`, `0.5`, `1e6`), optionally with comma thousands separators in groups of three (`12,500`,
    /// `1,234.5`). `nil` for anything else (`12,5`, `1 000`, `abc`).
    static func number(_ s: String) -> Double? {
        if !s.contains(",") { return parseDecimal(s) }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        var head = groups[0]
        if head.first == "-" || head.first == "+" { head = head.dropFirst() }
        guard (1...3).contains(head.count), head.allSatisfy(\.isASCII), head.allSatisfy(\.isNumber),
              groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return parseDecimal(s.replacingOccurrences(of: ",", with: ""))
    }

    // MARK: - HS codes

    /// An HS code normalised to its digits with a dot after the fourth: `854231`, `8542.31`, `8542 31` and
    /// `8542.31.00` become `8542.31`, `8542.3100`; `nil` unless there are 6 to 10 digits once dots, spaces and
    /// hyphens are removed.
    static func hsCode(_ s: String) -> String? {
        var digits = ""
        for ch in s {
            if ch.isASCII, ch.isNumber { digits.append(ch) } else if ch == "." || ch == " " || ch == "-" { continue } else { return nil }
        }
        guard (6...10).contains(digits.count) else { return nil }
        return String(digits.prefix(4)) + "." + String(digits.dropFirst(4))
    }

    // MARK: - Partial dates (FollowTheMoney)

    /// A FollowTheMoney date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally followed by a time (`T…`), which is
    /// ignored. A start takes the first day of the period, an end the last (`2021` → 2021-01-01 as a start,
    /// 2021-12-31 as an end). `nil` when the text is none of these or not a real date.
    static func partialDate(_ s: String, isEnd: Bool) -> Day? {
        var t = Substring(s)
        if let tIndex = t.firstIndex(of: "T") { t = t[..<tIndex] }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        func int(_ p: Substring, _ width: Int) -> Int? {
            guard p.count == width, p.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(p)
        }
        switch parts.count {
        case 1:
            guard let y = int(parts[0], 4) else { return nil }
            return isEnd ? Day(year: y, month: 12, day: 31) : Day(year: y, month: 1, day: 1)
        case 2:
            guard let y = int(parts[0], 4), let m = int(parts[1], 2), let first = Day(year: y, month: m, day: 1) else { return nil }
            if !isEnd { return first }
            let next = m == 12 ? Day(year: y + 1, month: 1, day: 1) : Day(year: y, month: m + 1, day: 1)
            return next?.advanced(by: -1) ?? Day(year: y, month: 12, day: 31)
        case 3:
            guard let y = int(parts[0], 4), let m = int(parts[1], 2), let d = int(parts[2], 2) else { return nil }
            return Day(year: y, month: m, day: d)
        default:
            return nil
        }
    }
}
