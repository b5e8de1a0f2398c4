import DiversionGraph

/// A name normalised once, in the form the scoring loop reads.
struct PreparedName: Sendable {
    struct Token: Sendable {
        var bytes: [UInt8]
        /// The word as written when it differs (TECH for TECHNOLOGY), else empty.
        var surface: [UInt8]
        var hash: UInt64
        var kind: TokenKind
        var weight: Double
        var isASCII: Bool
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }
    /// The name as written.
    var text: String
    /// Distinct tokens in the order of the name (at most 64: the scoring loop keeps bit masks).
    var tokens: [Token]
    /// The tokens joined by spaces, in the name's order and sorted, for Jaro-Winkler on the whole name.
    var joined: [UInt8]
    var sortedJoined: [UInt8]

    init(_ text: String, forms: NameForms) {
        self.init(text: text, words: NameNormalizer.words(rawTokens: NameNormalizer.rawTokens(text), forms: forms), forms: forms)
    }

    init(text: String, words: [(token: String, surface: String?)], forms: NameForms) {
        self.text = text
        var seen = Set<String>()
        var tokens: [Token] = []
        for (t, surface) in words where seen.insert(t).inserted && tokens.count < 64 {
            let kind = forms.kind(t)
            let bytes = Array(t.utf8)
            tokens.append(Token(bytes: bytes, surface: surface.map { Array($0.utf8) } ?? [], hash: fnv1a(bytes), kind: kind,
                                weight: forms.weight(kind), isASCII: bytes.allSatisfy { $0 < 0x80 }))
        }
        self.tokens = tokens
        joined = Array(tokens.map(\.text).joined(separator: " ").utf8)
        sortedJoined = Array(tokens.map(\.text).sorted().joined(separator: " ").utf8)
    }

    var normalized: String { String(decoding: joined, as: UTF8.self) }
}

/// A candidate with every usable name prepared (placeholders left out).
struct PreparedCandidate: Sendable {
    var names: [PreparedName]
    var country: CountryCode?
    var address: Set<String>

    init(_ c: MatchCandidate, forms: NameForms) {
        var names: [PreparedName] = []
        for text in [c.name] + c.aliases {
            let raw = NameNormalizer.rawTokens(text)
            if NameNormalizer.isPlaceholder(rawTokens: raw, forms: forms) { continue }
            let p = PreparedName(text: text, words: NameNormalizer.words(rawTokens: raw, forms: forms), forms: forms)
            if !names.contains(where: { $0.joined == p.joined }) { names.append(p) }
        }
        self.names = names
        country = c.country
        address = Set((c.address.map(NameNormalizer.rawTokens) ?? []).filter { t in
            t.utf8.count >= 2 && !forms.addressStopWords.contains(t)
        })
    }
}

/// FNV-1a, 64 bits.
@inline(__always)
func fnv1a(_ bytes: [UInt8], seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = seed
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
