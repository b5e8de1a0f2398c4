/// The project's list names for the lists the sources publish, and the Entity List footnote read from text.
public enum ListKinds {
    /// CSL `source` abbreviations (the text in parentheses) to the project's list names.
    public static let cslAbbreviations: [String: String] = [
        "EL": "entity-list", "MEU": "meu", "UVL": "uvl", "DPL": "dpl",
        "SDN": "sdn", "CMIC": "cmic", "SSI": "ssi", "FSE": "fse", "PLC": "plc", "CAP": "cap", "NS-MBS LIST": "ns-mbs",
        "ISN": "isn", "DTC": "dtc",
    ]

    /// The list name for a CSL `source` such as `Entity List (EL) - Bureau of Industry and Security`: the
    /// abbreviation in parentheses, through ``cslAbbreviations``, else lower-cased (`(XYZ)` → `xyz`).
    /// `nil` when the source has no abbreviation in parentheses.
    public static func list(forCSLSource source: String) -> String? {
        guard let open = source.firstIndex(of: "("), let close = source[open...].firstIndex(of: ")"),
              source.index(after: open) < close else { return nil }
        let abbreviation = source[source.index(after: open)..<close].trimmingCharacters(in: .whitespaces).uppercased()
        guard !abbreviation.isEmpty else { return nil }
        return cslAbbreviations[abbreviation] ?? abbreviation.lowercased().replacingOccurrences(of: " ", with: "-")
    }

    /// OpenSanctions dataset names to the project's list names. A dataset not named here gives no list by itself.
    public static let ftmDatasets: [String: String] = [
        "us_bis_entity": "entity-list", "us_bis_meu": "meu", "us_bis_uvl": "uvl", "us_bis_denied": "dpl",
        "us_ofac_sdn": "sdn", "us_ofac_cmic": "cmic", "us_ofac_ssi": "ssi", "us_state_isn": "isn", "us_ddtc_debarred": "dtc",
    ]

    /// OpenSanctions topics to list names, used only when no dataset of the entity maps to a list.
    public static let ftmTopics: [String: String] = [
        "sanction": "sanction", "export.control": "export-control", "debarment": "debarment",
    ]

    /// The Entity List footnotes a text gives, ascending, and the numbers it names that are not footnotes of
    /// supplement no. 4 to part 744 (for the message).
    ///
    /// Read from an explicit `Footnote N` / `footnote N` (any case, `*Footnote 1` as the CSL writes it), and from
    /// the paragraphs each footnote's license requirement cites:
    /// - footnote 1: 734.9(e)(1), 744.11(a)(2)(i)
    /// - footnote 3: 734.9(g) (the Russia and Belarus military end users)
    /// - footnote 4: 734.9(e)(2), 744.11(a)(2)(ii)
    /// - footnote 5: 734.9(e)(3), 744.11(a)(2)(v)
    public static func footnotes(in text: String) -> (footnotes: [Int], unknown: [Int]) {
        var found = Set<Int>(), unknown: [Int] = []
        // NB: spaces are dropped first, so "734.9 (e)(1)" and "744.11(a)(2) (i)" are read too; "(i)" must close with
        // ")" to match, so "744.11(a)(2)(ii)" is footnote 4 only.
        let compact = text.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{A0}", with: "")
        let citations: [(String, Int)] = [
            ("734.9(e)(1)", 1), ("744.11(a)(2)(i)", 1), ("734.9(g)", 3), ("734.9(e)(2)", 4),
            ("744.11(a)(2)(ii)", 4), ("734.9(e)(3)", 5), ("744.11(a)(2)(v)", 5),
        ]
        for (citation, n) in citations where compact.contains(citation) { found.insert(n) }
        var rest = Substring(compact)
        while let r = rest.range(of: "footnote") {
            rest = rest[r.upperBound...]
            var digits = rest.drop { $0 == "#" || $0 == ":" || $0 == "." || $0 == "n" || $0 == "o" }
            digits = digits.prefix { $0.isASCII && $0.isNumber }
            guard let n = Int(digits) else { continue }
            if [1, 3, 4, 5].contains(n) { found.insert(n) } else if !unknown.contains(n) { unknown.append(n) }
        }
        return (found.sorted(), unknown)
    }
}
