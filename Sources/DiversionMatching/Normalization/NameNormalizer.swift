import Foundation

/// Turns firm names into the tokens the matcher compares.
///
/// The steps: fold to ASCII (Latin letters lose their diacritics, ß becomes SS; other scripts are kept as they
/// are, with each Han, kana or Hangul character its own token), upper-case, split at anything that is neither
/// letter nor digit (apostrophes join: "XI'AN" is XIAN), join runs of single letters ("A.I." is AI, "L.L.C."
/// is LLC), then, with the lists of `Resources/name-forms.json`: drop legal forms (CO LTD, GMBH, SDN BHD,
/// OOO…), write abbreviations out (TECH is TECHNOLOGY), drop stop words (AND, OF, VE…) and fold plurals
/// (TECHNOLOGIES is TECHNOLOGY). A step that would leave a name with no token is skipped for that name.
public enum NameNormalizer {
    /// Upper-case ASCII tokens without punctuation, diacritics or legal-form words.
    ///
    /// "Huawei Technologies Co., Ltd." → ["HUAWEI", "TECHNOLOGY"] (plurals are folded), "HUAWEI TECH CO LTD" →
    /// the same, "Société Générale" → ["SOCIETE", "GENERALE"], "华为技术有限公司" → ["华", "为", "技", "术"].
    ///
    /// - Complexity: O(*n*) in the length of the name (times the number of list phrases at each token).
    public static func tokens(_ name: String) -> [String] {
        tokens(rawTokens: rawTokens(name), forms: .bundled)
    }

    /// Whether a party field names no party and must never be merged with another: "TO ORDER", "TO THE ORDER
    /// OF …", "SAME AS CONSIGNEE", "SAME AS ABOVE", "N/A", a blank or punctuation-only field.
    public static func isPlaceholder(_ name: String) -> Bool {
        isPlaceholder(rawTokens: rawTokens(name), forms: .bundled)
    }

    static func isPlaceholder(rawTokens raw: [String], forms: NameForms) -> Bool {
        if raw.isEmpty { return true }
        let joined = raw.joined(separator: " ")
        if forms.placeholders.contains(joined) { return true }
        // NB: a negotiable bill consigned "to the order of" a bank or the shipper names no consignee, whatever
        // follows the words.
        return joined.hasPrefix("TO ORDER") || joined.hasPrefix("TO THE ORDER")
    }

    static func tokens(rawTokens raw: [String], forms: NameForms) -> [String] {
        words(rawTokens: raw, forms: forms).map(\.token)
    }

    /// The tokens with the word each was written as, when that differs (TECH for TECHNOLOGY, SISTEMLERI for
    /// SYSTEM): the matcher looks for misspellings and cut words in both.
    static func words(rawTokens raw: [String], forms: NameForms) -> [(token: String, surface: String?)] {
        var t = raw
        // NB: a long name ending in the start of a legal-form word was cut by a field's width (bills of lading
        // keep 35 characters): "… TRADING COMPA", "… DIGITAL COMPANY LI". The stub goes with the legal form.
        if t.count >= 3, t.reduce(0, { $0 + $1.utf8.count + 1 }) >= 30, let last = t.last, forms.isLegalFormStub(last) {
            t.removeLast()
        }
        let withoutLegal = removingPhrases(forms.legalForms, from: t)
        if withoutLegal.contains(where: { !forms.stopWords.contains($0) }) { t = withoutLegal }
        var w = replacingAbbreviations(t, forms: forms)
        let withoutStop = w.filter { !forms.stopWords.contains($0.token) }
        if !withoutStop.isEmpty { w = withoutStop }
        return w.map { word in
            let s = singular(word.token)
            return (s, word.surface ?? (s == word.token ? nil : word.token))
        }
    }

    /// The ASCII-folded, upper-cased tokens before any word list is applied.
    static func rawTokens(_ name: String) -> [String] {
        var s = name
        if !s.utf8.allSatisfy({ $0 < 0x80 }) {
            s = s.applyingTransform(StringTransform("Latin-ASCII"), reverse: false)
                ?? s.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        }
        s = s.uppercased()
        var tokens: [String] = []
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { tokens.append(String(word)); word = String.UnicodeScalarView() }
        }
        for u in s.unicodeScalars {
            switch u.value {
            case 0x30...0x39, 0x41...0x5A:
                word.append(u)
            case 0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x02BC:
                // Apostrophes join (O'NEIL, XI'AN), except after the French elided D' and L' (D'ELECTRONIQUE).
                if word.count == 1, let c = word.first, c == "D" || c == "L" { flush() }
                continue
            case 0x26:  // "&" is a word
                flush(); tokens.append("AND")
            default:
                if isSingleCharacterScript(u) {
                    flush(); tokens.append(String(u))
                } else if u.properties.isAlphabetic || u.properties.numericType != nil {
                    word.append(u)
                } else {
                    flush()
                }
            }
        }
        flush()
        // Join runs of single ASCII letters: A.I. → AI, S. A. → SA, J S C → JSC.
        var joined: [String] = []
        var run = ""
        for t in tokens {
            if t.utf8.count == 1, let c = t.utf8.first, (0x41...0x5A).contains(c) {
                run += t
            } else {
                if !run.isEmpty { joined.append(run); run = "" }
                joined.append(t)
            }
        }
        if !run.isEmpty { joined.append(run) }
        return joined
    }

    /// Han ideographs, kana and Hangul syllables: names in these scripts have no spaces, so each character is
    /// a token (no transliteration).
    static func isSingleCharacterScript(_ u: Unicode.Scalar) -> Bool {
        if u.properties.isIdeographic { return true }
        switch u.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7AF: return true
        default: return false
        }
    }

    /// English plural to singular for words of the names' vocabulary: TECHNOLOGIES → TECHNOLOGY, SYSTEMS →
    /// SYSTEM; words ending in SS, US or IS keep their S (BUSINESS, NEXUS, TENNIS).
    static func singular(_ t: String) -> String {
        let u = t.utf8
        guard u.count >= 5, u.last == 0x53, u.allSatisfy({ $0 < 0x80 }) else { return t }
        if t.hasSuffix("IES") { return String(t.dropLast(3)) + "Y" }
        if t.hasSuffix("SS") || t.hasSuffix("US") || t.hasSuffix("IS") { return t }
        return String(t.dropLast())
    }

    /// Drops every occurrence of any phrase (longest first at each position).
    static func removingPhrases(_ phrases: [String: [[String]]], from t: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        outer: while i < t.count {
            for p in phrases[t[i]] ?? [] where p.count <= t.count - i && t[i..<(i + p.count)].elementsEqual(p) {
                i += p.count
                continue outer
            }
            out.append(t[i])
            i += 1
        }
        return out
    }

    static func replacingAbbreviations(_ t: [String], forms: NameForms) -> [(token: String, surface: String?)] {
        var out: [(token: String, surface: String?)] = []
        var i = 0
        outer: while i < t.count {
            for (key, value) in forms.abbreviations[t[i]] ?? [] where key.count <= t.count - i && t[i..<(i + key.count)].elementsEqual(key) {
                let surface = key.count == 1 && value.count == 1 ? key[0] : nil
                out += value.map { ($0, surface) }
                i += key.count
                continue outer
            }
            out.append((t[i], nil))
            i += 1
        }
        return out
    }
}
