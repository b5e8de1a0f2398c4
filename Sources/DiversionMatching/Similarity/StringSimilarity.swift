import DiversionGraph
/// Well-known string measures, each written once and tested against published reference values.
///
/// NB: no maintained Swift package for string similarity builds with Swift 6 on Linux without pulling in a
/// dependency this project cannot resolve offline, so the measures are written here, on Unicode scalars (the
/// matcher feeds them upper-case ASCII, where scalars and characters coincide).
public enum StringSimilarity {
    /// Jaro-Winkler similarity, 0 (nothing in common) to 1 (equal).
    ///
    /// Jaro (1989) with Winkler's (1990) boost for a common prefix of up to 4 characters: MARTHA/MARHTA 0.961,
    /// DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813 with `prefixScale` 0.1.
    ///
    /// - Complexity: O(*n* × *m*) in the worst case, O(*n* × window) in practice.
    public static func jaroWinkler(_ a: String, _ b: String, prefixScale: Double = 0.1) -> Double {
        jaroWinkler(Array(a.unicodeScalars.map(\.value)), Array(b.unicodeScalars.map(\.value)), prefixScale: prefixScale)
    }

    /// Jaro-Winkler on code sequences (bytes or scalars), for the matcher's hot loop.
    static func jaroWinkler<C: Equatable>(_ a: [C], _ b: [C], prefixScale: Double = 0.1) -> Double {
        let j = jaro(a, b)
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * prefixScale * (1 - j)
    }

    static func jaro<C: Equatable>(_ a: [C], _ b: [C]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            if lo > hi { continue }
            for k in lo...hi where !bMatched[k] && a[i] == b[k] {
                aMatched[i] = true; bMatched[k] = true; matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0, k = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    }

    /// One minus the Levenshtein distance over the longer length: "KITTEN"/"SITTING" is 1 − 3/7 = 0.571.
    ///
    /// Two empty strings are equal (1).
    ///
    /// - Complexity: O(*n* × *m*) time, O(*m*) memory.
    public static func levenshteinRatio(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let longer = max(x.count, y.count)
        if longer == 0 { return 1 }
        return 1 - Double(DiversionGraph.levenshtein(x, y)) / Double(longer)
    }


    /// The optimal-string-alignment distance (Levenshtein plus the transposition of two neighbours, each 1),
    /// stopping early once it must exceed `limit` (then it returns `limit + 1`).
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let n = b.count
        var before = [Int](repeating: 0, count: n + 1)
        var previous = Array(0...n)
        var current = [Int](repeating: 0, count: n + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...n {
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
                current[j] = d
                rowMin = min(rowMin, d)
            }
            if rowMin > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[n]
    }

    /// The token-set ratio of the well-known fuzzy-matching libraries (FuzzyWuzzy, RapidFuzz), on 0...1.
    ///
    /// With the sorted shared tokens *s*, and *s* followed by each side's own sorted remaining tokens (*s_a*,
    /// *s_b*), it is the best of ratio(*s*, *s_a*), ratio(*s*, *s_b*) and ratio(*s_a*, *s_b*), where ratio is
    /// the Indel similarity 1 − distance / (|x| + |y|) (insertions and deletions only). A name whose tokens are
    /// all in the other scores 1: the measure reads "the shorter is contained", which is why the matcher does
    /// not use it alone.
    ///
    /// - Complexity: O(*L*²) in the joined lengths.
    public static func tokenSetRatio(_ a: [String], _ b: [String]) -> Double {
        let x = Set(a), y = Set(b)
        if x.isEmpty && y.isEmpty { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        let shared = x.intersection(y).sorted().joined(separator: " ")
        let onlyA = x.subtracting(y).sorted().joined(separator: " ")
        let onlyB = y.subtracting(x).sorted().joined(separator: " ")
        let sa = [shared, onlyA].filter { !$0.isEmpty }.joined(separator: " ")
        let sb = [shared, onlyB].filter { !$0.isEmpty }.joined(separator: " ")
        var best = indelRatio(sa, sb)
        if !shared.isEmpty { best = max(best, indelRatio(shared, sa), indelRatio(shared, sb)) }
        return best
    }

    /// 1 − (insertions + deletions) / (|a| + |b|), i.e. 2 × LCS / (|a| + |b|): "ratio" in the fuzzy-matching
    /// libraries.
    static func indelRatio(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty && y.isEmpty { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        var previous = [Int](repeating: 0, count: y.count + 1)
        var current = previous
        for i in 1...x.count {
            for j in 1...y.count {
                current[j] = x[i - 1] == y[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return 2 * Double(previous[y.count]) / Double(x.count + y.count)
    }
}
