import DiversionGraph
import Testing
@testable import DiversionMatching

@Suite("String measures")
struct StringSimilarityTests {
    /// Winkler (1990) and the Jaro-Winkler literature's worked examples, prefix scale 0.1, prefix up to 4.
    @Test func jaroWinklerReferenceValues() {
        // MARTHA/MARHTA: m = 6, t = 1, Jaro = (1 + 1 + 5/6) / 3 = 0.944; prefix MAR: 0.944 + 3 × 0.1 × 0.056 = 0.961.
        #expect(abs(StringSimilarity.jaroWinkler("MARTHA", "MARHTA") - 0.961) < 0.0005)
        // DWAYNE/DUANE: m = 4, t = 0, Jaro = (4/6 + 4/5 + 1) / 3 = 0.822; prefix D: 0.822 + 0.1 × 0.178 = 0.840.
        #expect(abs(StringSimilarity.jaroWinkler("DWAYNE", "DUANE") - 0.840) < 0.0005)
        // DIXON/DICKSONX: m = 4, t = 0, Jaro = (4/5 + 4/8 + 1) / 3 = 0.767; prefix DI: 0.767 + 0.2 × 0.233 = 0.813.
        #expect(abs(StringSimilarity.jaroWinkler("DIXON", "DICKSONX") - 0.813) < 0.0005)
        #expect(StringSimilarity.jaroWinkler("HUAWEI", "HUAWEI") == 1)
        #expect(StringSimilarity.jaroWinkler("ABC", "XYZ") == 0)
        #expect(StringSimilarity.jaroWinkler("", "") == 1)
        #expect(StringSimilarity.jaroWinkler("A", "") == 0)
        // Without the prefix boost it is plain Jaro.
        #expect(abs(StringSimilarity.jaroWinkler("MARTHA", "MARHTA", prefixScale: 0) - 0.944) < 0.0005)
        // Symmetric.
        #expect(StringSimilarity.jaroWinkler("DICKSONX", "DIXON") == StringSimilarity.jaroWinkler("DIXON", "DICKSONX"))
    }

    @Test func levenshteinRatio() {
        // KITTEN → SITTING: k→s, e→i, +g = 3 edits over 7: 1 − 3/7 = 0.5714.
        #expect(abs(StringSimilarity.levenshteinRatio("KITTEN", "SITTING") - 4.0 / 7) < 1e-9)
        // FLAW → LAWN: −f, +n = 2 edits over 4: 0.5.
        #expect(StringSimilarity.levenshteinRatio("FLAW", "LAWN") == 0.5)
        // COMPUTING → COMPUTNG: one deletion over 9: 8/9.
        #expect(abs(StringSimilarity.levenshteinRatio("COMPUTING", "COMPUTNG") - 8.0 / 9) < 1e-9)
        #expect(StringSimilarity.levenshteinRatio("", "") == 1)
        #expect(StringSimilarity.levenshteinRatio("ABC", "") == 0)
    }

    @Test func editDistanceCountsASwapOnce() {
        #expect(StringSimilarity.editDistance(Array("HUAWEI".utf8), Array("HUAWIE".utf8), limit: 2) == 1)
        #expect(levenshtein(Array("HUAWEI".utf8), Array("HUAWIE".utf8)) == 2)
        // Stops past the limit.
        #expect(StringSimilarity.editDistance(Array("ABCDEFGH".utf8), Array("HGFEDCBA".utf8), limit: 1) == 2)
    }

    @Test func tokenSetRatio() {
        // All of one side in the other: the shared string equals one side, ratio 1.
        #expect(StringSimilarity.tokenSetRatio(["HUAWEI", "TECHNOLOGY"], ["TECHNOLOGY", "INVESTMENT", "HUAWEI"]) == 1)
        // NEW YORK METS / NEW YORK YANKEES: shared "NEW YORK" (8), sa = "NEW YORK METS" (13), sb = "NEW YORK
        // YANKEES" (16). ratio(shared, sa) = 2 × 8 / 21 = 0.762, ratio(shared, sb) = 16 / 24 = 0.667, ratio(sa,
        // sb) = 2 × 11 / 29 = 0.759 (LCS "NEW YORK " + "ES"). The best: 16/21.
        #expect(abs(StringSimilarity.tokenSetRatio(["NEW", "YORK", "METS"], ["NEW", "YORK", "YANKEES"]) - 16.0 / 21) < 1e-9)
        // Nothing shared: ratio of the sorted strings. "AB" / "AC": LCS 1, 2 × 1 / 4 = 0.5.
        #expect(StringSimilarity.tokenSetRatio(["AB"], ["AC"]) == 0.5)
        // Order and repetition do not matter.
        #expect(StringSimilarity.tokenSetRatio(["B", "A", "A"], ["A", "B"]) == 1)
        #expect(StringSimilarity.tokenSetRatio([], ["A"]) == 0)
    }
}
