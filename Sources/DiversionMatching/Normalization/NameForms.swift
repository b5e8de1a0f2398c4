import Foundation

/// The word lists of `Resources/name-forms.json`: legal forms, abbreviations, stop words, generic and place
/// words, placeholders and address stop words, each entry already in token form.
struct NameForms: Sendable {
    /// Token sequences removed from names (legal forms), by their first token, longest first.
    var legalForms: [String: [[String]]]
    /// Token sequence → replacement tokens (abbreviations, transliterated generic words), by the first token of
    /// the key, longest key first.
    var abbreviations: [String: [(key: [String], value: [String])]]
    var stopWords: Set<String>
    var genericWords: Set<String>
    var placeWords: Set<String>
    /// Placeholder names as joined raw tokens ("TO ORDER").
    var placeholders: Set<String>
    var addressStopWords: Set<String>
    var distinctiveWeight: Double
    var genericWeight: Double
    var placeWeight: Double
    /// The least a word found in one name only weighs.
    var unpairedWeight: Double

    /// The bundled lists.
    static let bundled: NameForms = {
        // NB: the resource ships inside the target; a missing or broken file is a build defect, not user input.
        guard let url = Bundle.module.url(forResource: "name-forms", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(File.self, from: data) else {
            preconditionFailure("DiversionMatching: Resources/name-forms.json is missing or malformed")
        }
        return NameForms(file)
    }()

    struct File: Decodable {
        struct Words: Decodable { var words: [String] }
        struct Forms: Decodable { var forms: [String] }
        struct Map: Decodable { var map: [String: String] }
        struct Names: Decodable { var names: [String] }
        struct Weights: Decodable { var distinctive: Double; var generic: Double; var place: Double; var unpaired: Double }
        var legalForms: Forms
        var abbreviations: Map
        var stopWords: Words
        var genericWords: Words
        var placeWords: Words
        var placeholders: Names
        var addressStopWords: Words
        var weights: Weights
    }

    init(_ f: File) {
        let raw = { (s: String) in NameNormalizer.rawTokens(s) }
        let legal = Set(f.legalForms.forms.map(raw)).filter { !$0.isEmpty }.sorted { ($0.count, $0.joined()) > ($1.count, $1.joined()) }
        legalForms = Dictionary(grouping: legal, by: { $0[0] })
        let abbreviated = f.abbreviations.map.map { (key: raw($0.key), value: raw($0.value)) }
            .filter { !$0.key.isEmpty }
            .sorted { ($0.key.count, $0.key.joined()) > ($1.key.count, $1.key.joined()) }
        abbreviations = Dictionary(grouping: abbreviated, by: { $0.key[0] })
        stopWords = Set(f.stopWords.words.flatMap(raw))
        // Generic and place words are compared after the whole pipeline, so they go through it too.
        genericWords = Set(f.genericWords.words.flatMap(raw).map(NameNormalizer.singular))
        placeWords = Set(f.placeWords.words.flatMap(raw).map(NameNormalizer.singular))
        placeholders = Set(f.placeholders.names.map { raw($0).joined(separator: " ") })
        addressStopWords = Set(f.addressStopWords.words.flatMap(raw))
        var stubs = Set<String>()
        for word in Set(legal.filter { $0.count == 1 }.map { $0[0] }) where word.utf8.count >= 3 && word.utf8.allSatisfy({ $0 < 0x80 }) {
            for n in 1..<word.count { stubs.insert(String(word.prefix(n))) }
        }
        legalFormStubs = stubs
        distinctiveWeight = f.weights.distinctive
        genericWeight = f.weights.generic
        placeWeight = f.weights.place
        unpairedWeight = f.weights.unpaired
    }

    /// The beginnings (one letter or more, shorter than the word) of the one-word legal forms of three letters
    /// or more: COMPA, LIM, PRIVAT, J of JSC.
    var legalFormStubs: Set<String>

    func isLegalFormStub(_ token: String) -> Bool { legalFormStubs.contains(token) }

    /// What a token says of identity: a distinctive word names the firm, a generic or place word does not.
    func kind(_ token: String) -> TokenKind {
        if genericWords.contains(token) { return .generic }
        if placeWords.contains(token) { return .place }
        return .distinctive
    }

    func weight(_ kind: TokenKind) -> Double {
        switch kind {
        case .distinctive: distinctiveWeight
        case .generic: genericWeight
        case .place: placeWeight
        }
    }
}

/// How much a token says about which firm a name is.
enum TokenKind: UInt8, Sendable {
    case distinctive, generic, place
}
