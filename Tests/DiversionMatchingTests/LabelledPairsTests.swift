import DiversionGraph
import Foundation
import Testing
@testable import DiversionMatching

/// One labelled pair of `Resources/name-pairs.tsv`.
struct LabelledPair: Sendable, CustomStringConvertible {
    var a: MatchCandidate
    var b: MatchCandidate
    var isSameFirm: Bool
    var kind: String
    var description: String { "[\(kind)] \(a.name) (\(a.country?.code ?? "-")) | \(b.name) (\(b.country?.code ?? "-"))" }

    /// The pairs, written by hand for these tests: true variants (abbreviations, legal forms, word order, typos,
    /// diacritics, truncation) and negatives that share words, a city or an industry.
    static let all: [LabelledPair] = {
        guard let url = Bundle.module.url(forResource: "name-pairs", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().enumerated().map { n, line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            precondition(f.count == 6, "name-pairs.tsv line \(n + 2): \(f.count) fields")
            return LabelledPair(
                a: MatchCandidate(id: "a\(n)", name: f[0], country: CountryCode(f[1])),
                b: MatchCandidate(id: "b\(n)", name: f[2], country: CountryCode(f[3])),
                isSameFirm: f[4] == "1", kind: f[5])
        }
    }()
}

@Suite("Matching quality on the labelled pairs")
struct LabelledPairsTests {
    @Test func theSetIsLargeAndMostlyHard() {
        let pairs = LabelledPair.all
        #expect(pairs.count >= 300)
        let negatives = pairs.filter { !$0.isSameFirm }
        #expect(Double(negatives.count) >= 0.4 * Double(pairs.count))
        #expect(negatives.filter { $0.kind.hasPrefix("hard-negative") }.count == negatives.count)
    }

    @Test func precisionAndRecallAtTheDefaultThreshold() {
        let matcher = NameMatcher()
        var tp = 0, fp = 0, fn = 0, tn = 0
        var wrong: [String] = []
        for p in LabelledPair.all {
            let m = matcher.compare(p.a, p.b)
            let proposed = m.score >= matcher.threshold
            switch (proposed, p.isSameFirm) {
            case (true, true): tp += 1
            case (true, false): fp += 1; wrong.append("false match \(String(format: "%.3f", m.score)) \(p)")
            case (false, true): fn += 1; wrong.append("missed      \(String(format: "%.3f", m.score)) \(p)")
            case (false, false): tn += 1
            }
        }
        let precision = Double(tp) / Double(max(1, tp + fp)), recall = Double(tp) / Double(max(1, tp + fn))
        print("labelled pairs at threshold \(matcher.threshold): precision \(String(format: "%.4f", precision)) (\(tp) of \(tp + fp) proposed), recall \(String(format: "%.4f", recall)) (\(tp) of \(tp + fn) true pairs); true negatives \(tn), false matches \(fp), missed \(fn)")
        for w in wrong { print("  " + w) }
        // The curve the default threshold was chosen on.
        let scored = LabelledPair.all.map { (matcher.compare($0.a, $0.b).score, $0.isSameFirm) }
        for t in stride(from: 0.70, through: 0.951, by: 0.05) {
            let p = scored.filter { $0.0 >= t }
            let hits = p.filter(\.1).count, truths = scored.filter(\.1).count
            print("  threshold \(String(format: "%.2f", t)): precision \(String(format: "%.4f", Double(hits) / Double(max(1, p.count)))) (\(hits)/\(p.count)), recall \(String(format: "%.4f", Double(hits) / Double(truths))) (\(hits)/\(truths))")
        }
        #expect(precision >= 0.98, "precision \(precision): \(wrong.filter { $0.hasPrefix("false") })")
        #expect(recall >= 0.90, "recall \(recall): \(wrong.filter { $0.hasPrefix("missed") })")
    }

    /// Blocking loses nothing that the pairwise score would propose: every labelled pair at or above the
    /// threshold is found by `match` with all the names on both sides.
    @Test func blockingFindsEveryPairThePairwiseScoreProposes() {
        let matcher = NameMatcher()
        let pairs = LabelledPair.all
        let found = Set(matcher.match(pairs.map(\.a), against: pairs.map(\.b)).map { "\($0.listID)|\($0.partyID)" })
        for p in pairs where matcher.compare(p.a, p.b).score >= matcher.threshold {
            #expect(found.contains("\(p.a.id)|\(p.b.id)"), "blocking missed \(p)")
        }
    }
}
