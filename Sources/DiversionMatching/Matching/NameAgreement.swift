/// How two prepared names agree, word by word: the heart of ``NameMatcher``'s score.
struct NameAgreement: Sendable {
    /// The weighted Dice coefficient of the paired words (before the disagreement penalty).
    var dice: Double
    var jaroWinkler: Double
    /// 0.9 × (dice − disagreement penalty) + 0.1 × Jaro-Winkler, before country and address.
    var score: Double
    /// Whether a distinctive word (not generic, not a place) pairs up.
    var sharesDistinctive: Bool
    /// Bit *i* set: token *i* pairs with a token of the other name.
    var matchedA: UInt64
    var matchedB: UInt64
    /// Misspelt or cut-short pairs (index in the first name, index in the second).
    var nearPairs: [(Int, Int)]
    /// Words written together in one name and apart in the other, as "HITECH = HI + TECH".
    var joinedPairs: [String]
}

/// NB: both names disagree when each keeps words the other lacks; this much comes off the agreement.
let disagreementPenalty = 0.1
/// The most that country and address add to a name's score.
let maximumBonus = 0.05

extension NameMatcher {
    /// Pairs the words of two names and scores the agreement.
    ///
    /// - Complexity: O(*n* × *m*) word comparisons, each O(1) for exact pairs and O(*l*²) in the word length for
    ///   the misspelling test (run only on words left unpaired).
    ///
    /// With a `bound`, a pair that cannot reach it even with equal whole names (Jaro-Winkler 1) and every bonus
    /// skips the Jaro-Winkler, the costliest step, and scores only its word agreement: a lower bound, for
    /// rejecting.
    func agreement(_ a: PreparedName, _ b: PreparedName, bound: Double? = nil) -> NameAgreement {
        let ta = a.tokens, tb = b.tokens
        var ma: UInt64 = 0, mb: UInt64 = 0
        var matched = 0.0, paired = 0.0
        var distinctive = false
        for i in ta.indices {
            for j in tb.indices where mb & (1 << UInt64(j)) == 0 && ta[i].hash == tb[j].hash && ta[i].bytes == tb[j].bytes {
                ma |= 1 << UInt64(i); mb |= 1 << UInt64(j)
                matched += ta[i].weight; paired += ta[i].weight
                if ta[i].kind == .distinctive { distinctive = true }
                break
            }
        }
        let allA: UInt64 = ta.count == 64 ? ~0 : (1 << UInt64(ta.count)) - 1
        let allB: UInt64 = tb.count == 64 ? ~0 : (1 << UInt64(tb.count)) - 1
        var near: [(Int, Int)] = []
        var joined: [String] = []
        if ma != allA && mb != allB {
            // Written together in one name, apart in the other: ZHONGXING / ZHONG XING, SINOTECH / SINO TECH.
            func together(_ x: [PreparedName.Token], _ mx: inout UInt64, _ y: [PreparedName.Token], _ my: inout UInt64) {
                guard y.count >= 2 else { return }
                for i in x.indices where mx & (1 << UInt64(i)) == 0 && x[i].isASCII {
                    for j in 0..<(y.count - 1) where my & (3 << UInt64(j)) == 0 && joins(x[i], y[j], y[j + 1]) {
                        mx |= 1 << UInt64(i); my |= 3 << UInt64(j)
                        let w = min(x[i].weight, y[j].weight + y[j + 1].weight)
                        matched += w; paired += w
                        if x[i].kind == .distinctive && (y[j].kind == .distinctive || y[j + 1].kind == .distinctive) { distinctive = true }
                        joined.append("\(x[i].text) = \(y[j].text) + \(y[j + 1].text)")
                        break
                    }
                }
            }
            together(ta, &ma, tb, &mb)
            together(tb, &mb, ta, &ma)
        }
        if ma != allA && mb != allB {
            var options: [(sim: Double, i: Int, j: Int)] = []
            for i in ta.indices where ma & (1 << UInt64(i)) == 0 {
                for j in tb.indices where mb & (1 << UInt64(j)) == 0 {
                    if let s = nearness(ta[i], isLastA: i == ta.count - 1, tb[j], isLastB: j == tb.count - 1) { options.append((s, i, j)) }
                }
            }
            options.sort { ($0.sim, -$0.i, -$0.j) > ($1.sim, -$1.i, -$1.j) }
            for o in options where ma & (1 << UInt64(o.i)) == 0 && mb & (1 << UInt64(o.j)) == 0 {
                ma |= 1 << UInt64(o.i); mb |= 1 << UInt64(o.j)
                let w = min(ta[o.i].weight, tb[o.j].weight)
                matched += w * o.sim; paired += w
                if ta[o.i].kind == .distinctive && tb[o.j].kind == .distinctive { distinctive = true }
                near.append((o.i, o.j))
            }
        }
        // NB: a word one name has and the other lacks weighs at least `unpaired` (0.5), more than a shared generic
        // word (0.3): HUAWEI TECHNOLOGY INVESTMENT is another firm than HUAWEI TECHNOLOGY more often than a
        // shared TECHNOLOGY says it is the same.
        let unpaired = forms.unpairedWeight
        // NB: a name cut by a field's width lacks the other's words after the cut, and may end in the stub of a
        // word the other has already paired (COMPUTING COMPUT): neither counts against the pair.
        let shadowA = cutShadow(cut: b, mb, other: a, ma), shadowB = cutShadow(cut: a, ma, other: b, mb)
        let ignoreA = shadowA.other | (shadowB.stub ? 1 << UInt64(ta.count - 1) : 0)
        let ignoreB = shadowB.other | (shadowA.stub ? 1 << UInt64(tb.count - 1) : 0)
        var onlyA = 0.0, onlyB = 0.0
        for i in ta.indices where (ma | ignoreA) & (1 << UInt64(i)) == 0 { onlyA += max(unpaired, ta[i].weight) }
        for j in tb.indices where (mb | ignoreB) & (1 << UInt64(j)) == 0 { onlyB += max(unpaired, tb[j].weight) }
        let dice = matched == 0 ? 0 : 2 * matched / (2 * paired + onlyA + onlyB)
        let agreement = max(0, dice - (onlyA > 0 && onlyB > 0 ? disagreementPenalty : 0))
        let jw: Double
        if a.joined == b.joined || a.sortedJoined == b.sortedJoined {
            jw = 1
        } else if let bound, 0.9 * agreement + 0.1 + maximumBonus < bound {
            jw = 0
        } else {
            jw = max(StringSimilarity.jaroWinkler(a.joined, b.joined), StringSimilarity.jaroWinkler(a.sortedJoined, b.sortedJoined))
        }
        return NameAgreement(dice: dice, jaroWinkler: jw, score: 0.9 * agreement + 0.1 * jw, sharesDistinctive: distinctive,
                             matchedA: ma, matchedB: mb, nearPairs: near, joinedPairs: joined)
    }

    /// What a cut at the end of `cut` hides: when `cut` is long (30 characters or more, as written) and its last
    /// word is the start of a word of `other`, the unpaired words of `other` after that one, and whether the
    /// last word is a stub left unpaired (its word was paired already).
    func cutShadow(cut: PreparedName, _ mc: UInt64, other: PreparedName, _ mo: UInt64) -> (other: UInt64, stub: Bool) {
        let c = cut.tokens, o = other.tokens
        guard c.count >= 2, cut.text.utf8.count >= 30, let last = c.last, last.isASCII, last.bytes.count >= 2 else { return (0, false) }
        let stub = last.bytes
        guard let j = o.indices.first(where: { o[$0].bytes.count > stub.count && o[$0].bytes.starts(with: stub) }) else { return (0, false) }
        var hidden: UInt64 = 0
        for k in (j + 1)..<o.count where mo & (1 << UInt64(k)) == 0 { hidden |= 1 << UInt64(k) }
        return (hidden, mc & (1 << UInt64(c.count - 1)) == 0 && mo & (1 << UInt64(j)) != 0)
    }

    /// Whether `x` is `y1` and `y2` written together, as normalised or as written, the second possibly cut
    /// short to three letters or more (SINOTECH is SINO + TECH, NANOTECH is NANO + TECHNOLOGY).
    func joins(_ x: PreparedName.Token, _ y1: PreparedName.Token, _ y2: PreparedName.Token) -> Bool {
        func rest(_ xf: [UInt8], after f1: [UInt8]) -> Bool {
            guard !f1.isEmpty, xf.count > f1.count + 1, xf.starts(with: f1) else { return false }
            let r = xf[f1.count...]
            func fits(_ f2: [UInt8]) -> Bool { !f2.isEmpty && (r.elementsEqual(f2) || (r.count >= 3 && f2.starts(with: r))) }
            return fits(y2.bytes) || fits(y2.surface)
        }
        return rest(x.bytes, after: y1.bytes) || rest(x.bytes, after: y1.surface)
            || (!x.surface.isEmpty && (rest(x.surface, after: y1.bytes) || rest(x.surface, after: y1.surface)))
    }

    /// How near two unequal words are (the best Jaro-Winkler over their normalised and written forms, or 0.9
    /// for a cut-short word), or `nil` when they are two different words.
    func nearness(_ x: PreparedName.Token, isLastA: Bool, _ y: PreparedName.Token, isLastB: Bool) -> Double? {
        guard x.isASCII, y.isASCII else { return nil }
        let knownX = x.kind != .distinctive, knownY = y.kind != .distinctive
        // NB: two different dictionary words are two different words (ELECTRONIC, ELECTRIC).
        if knownX && knownY { return nil }
        var best: Double?
        func consider(_ xf: [UInt8], _ yf: [UInt8]) {
            guard !xf.isEmpty, !yf.isEmpty else { return }
            if let s = nearness(xf, known: knownX, isLast: isLastA, yf, known: knownY, isLast: isLastB), s > (best ?? 0) { best = s }
        }
        consider(x.bytes, y.bytes)
        consider(x.surface, y.bytes)
        consider(x.bytes, y.surface)
        consider(x.surface, y.surface)
        return best
    }

    func nearness(_ x: [UInt8], known knownX: Bool, isLast lastX: Bool, _ y: [UInt8], known knownY: Bool, isLast lastY: Bool) -> Double? {
        let (s, l, sIsLast, lKnown) = x.count <= y.count ? (x, y, lastX, knownY) : (y, x, lastY, knownX)
        if s.count < l.count && l.starts(with: s) {
            // A last word cut by a field's width (bills of lading keep 35 characters), or a dictionary word
            // abbreviated by cutting (TECHNOL).
            if (s.count >= 3 || (s.count == 2 && lKnown)) && sIsLast { return 0.9 }
            if s.count >= 4 && lKnown { return 0.9 }
        }
        guard l.count >= 5, s.count >= 4 else { return nil }
        let known = knownX || knownY
        let limit = known && l.count >= 9 ? 2 : 1
        let d = StringSimilarity.editDistance(x, y, limit: limit)
        if d > limit { return nil }
        // NB: between two distinctive words one edit is a typo only when it is a swap of neighbours (HUAWIE), a
        // doubled or undoubled letter (KAIYUANN), an umlaut written out (MUELLER), or in a long word; otherwise it
        // makes another name (TIANYU,
        // TIANYI; BOYUAN, BOYUN; SAFA, SAFWA).
        if !known && l.count < 9 && !isTransposition(x, y) && !isDoubling(s, l) && !isUmlautSpelling(s, l) { return nil }
        return StringSimilarity.jaroWinkler(x, y)
    }

    /// Whether `long` is `short` with an umlaut written out the German way (MULLER, MUELLER: ü as UE).
    func isUmlautSpelling(_ short: [UInt8], _ long: [UInt8]) -> Bool {
        guard long.count == short.count + 1 else { return false }
        var k = 0
        while k < short.count && short[k] == long[k] { k += 1 }
        // The extra letter is an E after A, O or U.
        return long[k] == 0x45 && k > 0 && [0x41, 0x4F, 0x55].contains(long[k - 1]) && long[(k + 1)...].elementsEqual(short[k...])
    }

    /// Whether `long` is `short` with one letter doubled (KAIYUAN, KAIYUANN).
    func isDoubling(_ short: [UInt8], _ long: [UInt8]) -> Bool {
        guard long.count == short.count + 1 else { return false }
        var k = 0
        while k < short.count && short[k] == long[k] { k += 1 }
        // long[k] is the extra letter; it doubles its neighbour and the rest agrees.
        let doubles = (k > 0 && long[k] == long[k - 1]) || (k + 1 < long.count && long[k] == long[k + 1])
        return doubles && long[(k + 1)...].elementsEqual(short[k...])
    }

    /// Whether two words of one length differ only by two neighbouring letters swapped (HUAWEI, HUAWIE).
    func isTransposition(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: [Int] = []
        for k in a.indices where a[k] != b[k] {
            diff.append(k)
            if diff.count > 2 { return false }
        }
        return diff.count == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
    }
}
