import DiversionGraph
import DiversionTestSupport
import Testing
@testable import DiversionMatching

@Suite("Name matcher")
struct NameMatcherTests {
    let cn = CountryCode("CN")!

    @Test func theIssueExample() {
        let list = MatchCandidate(id: "el-1", name: "Huawei Technologies Co., Ltd.", country: cn)
        let party = MatchCandidate(id: "p-9", name: "HUAWEI TECH CO LTD", country: cn)
        let m = NameMatcher().compare(list, party)
        #expect(m.score >= 0.95)
        #expect(m.listID == "el-1" && m.partyID == "p-9")
        #expect(m.matchedName == "Huawei Technologies Co., Ltd.")
        #expect(m.evidence.first == "names agree after normalisation: HUAWEI TECHNOLOGY")
        #expect(m.evidence.contains("same country CN"))
    }

    @Test func hardNegativesFallBelowTheThreshold() {
        let matcher = NameMatcher()
        for (a, b) in [("Huawei Technologies", "Huawei Device"),
                       ("China Electronics Technology Group", "China Electronics Corporation"),
                       ("Shenzhen Tianyu AI", "Shenzhen Tianyi AI")] {
            let s = matcher.compare(MatchCandidate(id: "a", name: a, country: cn), MatchCandidate(id: "b", name: b, country: cn)).score
            #expect(s < matcher.threshold, "\(a) | \(b): \(s)")
        }
    }

    @Test func theBestNameOrAliasIsReportedWithAddressEvidence() {
        let list = MatchCandidate(id: "el-2", name: "Shenzhen Tianyu Intelligent Computing Co., Ltd.",
                                  aliases: ["Tianyu AI Computing", "Shenzhen Tianyu AI Computing Co., Ltd."], country: cn,
                                  address: "Building 5, Tianan Cyber Park, Longgang District, Shenzhen")
        let party = MatchCandidate(id: "p-1", name: "SHENZHEN TIANYU AI COMPUTING CO LTD", country: cn,
                                   address: "BLDG 5 TIANAN CYBER PARK LONGGANG SHENZHEN GUANGDONG")
        let m = NameMatcher().compare(list, party)
        #expect(m.matchedName == "Shenzhen Tianyu AI Computing Co., Ltd.")
        #expect(m.score == 1)
        #expect(m.evidence.contains("addresses share: CYBER, LONGGANG, SHENZHEN, TIANAN"))
    }

    @Test func aCountryMismatchLowersTheScore() {
        let matcher = NameMatcher()
        let a = MatchCandidate(id: "a", name: "Lionbridge Microsystems Pte Ltd", country: CountryCode("SG"))
        var b = MatchCandidate(id: "b", name: "LIONBRIDGE MICROSYSTEMS PTE LTD", country: CountryCode("SG"))
        let same = matcher.compare(a, b).score
        b.country = CountryCode("MY")
        let other = matcher.compare(a, b)
        b.country = nil
        let unknown = matcher.compare(a, b).score
        #expect(other.score < unknown && unknown <= same)
        #expect(other.evidence.contains("different countries SG, MY"))
    }

    /// Bills of lading keep 35 characters: a cut name neither loses for the words after the cut nor for the stub
    /// of its last word; a short name ending in a whole word gets no such allowance.
    @Test func namesCutByAFieldWidth() {
        let matcher = NameMatcher()
        func score(_ a: String, _ b: String) -> Double {
            matcher.compare(MatchCandidate(id: "a", name: a, country: cn), MatchCandidate(id: "b", name: b, country: cn)).score
        }
        #expect(NameNormalizer.tokens("HONG KONG FENGJIA TRADING COMPA") == ["HONGKONG", "FENGJIA", "TRADING"])
        #expect(NameNormalizer.tokens("FENGJIA COMPA") == ["FENGJIA", "COMPA"])
        #expect(score("ZENTECH VALION INFORMATION TECHNOLOGY SUPPLY CHAIN SDN BHD", "ZENTECH VALION INFORMATION TECHNOLO") >= matcher.threshold)
        #expect(score("DONGGUAN ZHONGTENG COMPUTING COMPUTING Co., Ltd.", "DONGGUAN ZHONGTENG COMPUTING COMPUT") >= matcher.threshold)
        #expect(score("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES INVESTMENT AND HOLDING CO LTD") < matcher.threshold)
    }

    /// Two letters swapped near the start of a word still meet through blocking (the keys sort the letters).
    @Test func blockingMeetsSwappedLetters() {
        let list = [MatchCandidate(id: "L1", name: "CHANGLING LOGISTICS COMPUTING COMPANY LIMITED", country: cn)]
        let parties = [MatchCandidate(id: "P1", name: "CHNAGLING LOGISTICS COMPUTING CO LTD", country: cn)]
        #expect(NameMatcher().match(list, against: parties).map(\.partyID) == ["P1"])
    }

    static let consignee = [
        MatchCandidate(id: "bl-1", name: "SHENZHEN TIANYU AI COMPUTING CO LTD"),
        MatchCandidate(id: "bl-2", name: "Shenzhen Tianyu A.I. Computing Co., Ltd."),
        MatchCandidate(id: "bl-3", name: "SHENZHEN TIANYU AI COMPUTNG CO.,LIMITED"),
        MatchCandidate(id: "bl-4", name: "TO ORDER"),
        MatchCandidate(id: "bl-5", name: "SAME AS CONSIGNEE"),
        MatchCandidate(id: "bl-6", name: ""),
        MatchCandidate(id: "bl-7", name: "SHENZHEN TIANYI AI COMPUTING CO LTD"),
        MatchCandidate(id: "bl-8", name: "TO ORDER"),
    ]

    /// The acceptance case of issue #18: a bill-of-lading extract whose consignee is written three ways
    /// resolves to one party, each pair ≥ 0.9; placeholders join nothing.
    @Test func threeSpellingsOfOneConsigneeAreOneParty() {
        let matcher = NameMatcher()
        let c = Self.consignee
        for i in 0..<3 { for j in (i + 1)..<3 { #expect(matcher.compare(c[i], c[j]).score >= 0.9, "\(c[i].name) | \(c[j].name)") } }
        let groups = matcher.clusters(c)
        #expect(groups == [["bl-1", "bl-2", "bl-3"], ["bl-4"], ["bl-5"], ["bl-6"], ["bl-7"], ["bl-8"]])
        #expect(matcher.compare(c[3], c[7]).score == 0)
    }

    /// Seeded firm names with variants: the same matches on 1 and 2 threads, in (listID, partyID) order.
    @Test func deterministicOnAnyNumberOfThreads() {
        var rng = SeededRandom(seed: 7)
        let words = ["TIANYU", "XINDA", "ZHONGKE", "HUAXIN", "LIANRUI", "KUNPENG", "YUNTU", "BOYUAN", "JIAHE", "RUIXIN",
                     "MERIDIAN", "KESTREL", "ORCHID", "VOSTOK", "NEVA", "KVANT", "ASELSAN", "BHARAT", "KAVERI", "NOOR"]
        let generic = ["TECHNOLOGY", "ELECTRONICS", "TRADING", "SEMICONDUCTOR", "COMPUTING", "SYSTEMS", "INTERNATIONAL"]
        let forms = ["CO LTD", "Co., Ltd.", "LIMITED", "PTE LTD", "LLC", "SDN BHD"]
        func name() -> String {
            "\(words[rng.next(words.count)]) \(words[rng.next(words.count)]) \(generic[rng.next(generic.count)]) \(forms[rng.next(forms.count)])"
        }
        let list = (0..<300).map { MatchCandidate(id: "L\($0)", name: name(), country: rng.next(2) == 0 ? cn : nil) }
        let parties = (0..<900).map { i -> MatchCandidate in
            if i % 3 == 0 { return MatchCandidate(id: "P\(i)", name: list[i / 3].name.uppercased() + " ", country: cn) }
            return MatchCandidate(id: "P\(i)", name: name())
        }
        let matcher = NameMatcher()
        let one = matcher.match(list, against: parties, threads: 1)
        let two = matcher.match(list, against: parties, threads: 2)
        #expect(one == two)
        #expect(one.count >= 300)
        #expect(one == one.sorted { ($0.listID, $0.partyID) < ($1.listID, $1.partyID) })
        #expect(matcher.clusters(parties, threads: 1) == matcher.clusters(parties, threads: 2))
    }
}

