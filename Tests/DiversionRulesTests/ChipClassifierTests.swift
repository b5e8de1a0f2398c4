import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

@Suite("3A090 classification")
struct ChipClassifierTests {
    func classify(_ f: ChipFigures, on date: String) -> ChipClassification {
        ChipClassifier.classify(f, under: bundledRules.version(on: Day(date)!).version)
    }

    @Test func h100IsA() {
        let c = classify(ChipFigures(tops: 1979, bitLength: 8, dieAreaMM2: 814), on: "2024-01-01")
        #expect(c.outcome == .a)
        #expect(c.tpp == 15_832)
        #expect(((c.performanceDensity ?? 0) * 100).rounded() / 100 == 19.45)
    }

    @Test func a100IsAUnderNov2023ByTheDensityTest() {
        let c = classify(ChipFigures(tpp: 4992, dieAreaMM2: 826), on: "2023-12-01")
        #expect(c.outcome == .a)
        #expect(c.steps.contains("3A090.a test 1: TPP 4,992 ≥ 4,800 — met"))
    }

    @Test func a800EscapesOct2022ByInterconnect() {
        let before = classify(ChipFigures(tpp: 4992, dieAreaMM2: 826, interconnectGBps: 400), on: "2023-06-01")
        #expect(before.outcome == .notControlled)
        #expect(before.steps.contains { $0.contains("interconnect 400 GB/s ≥ 600 — not met") })
        let after = classify(ChipFigures(tpp: 4992, dieAreaMM2: 826, interconnectGBps: 400), on: "2023-11-17")
        #expect(after.outcome == .a)
    }

    @Test func h20MissesBothBandsAndSaysWhy() {
        let c = classify(ChipFigures(tpp: 2368, dieAreaMM2: 814), on: "2024-06-01")
        #expect(c.outcome == .notControlled)
        #expect(c.steps.contains("3A090.b test 1: TPP 2,368 ≥ 2,400 and TPP 2,368 < 4,800 and PD 2.91 ≥ 1.60 and PD 2.91 < 5.92 — not met"))
        #expect(c.steps.contains("3A090.b test 2: TPP 2,368 ≥ 1,600 and PD 2.91 ≥ 3.20 and PD 2.91 < 5.92 — not met"))
    }

    @Test func bBandChip() {
        #expect(classify(ChipFigures(tpp: 3000, dieAreaMM2: 700), on: "2024-06-01").outcome == .b)  // PD 4.29
    }

    @Test func missingDieAreaLeavesTheDensityTestsUndecided() {
        #expect(classify(ChipFigures(tpp: 3000), on: "2024-06-01").outcome == .undetermined)
        #expect(classify(ChipFigures(tpp: 5000), on: "2024-06-01").outcome == .a)
    }

    @Test func missingInterconnectUnderOct2022IsUndetermined() {
        #expect(classify(ChipFigures(tpp: 5000), on: "2023-01-01").outcome == .undetermined)
    }

    @Test func thereIsNoTestBeforeOctober2022() {
        let c = classify(ChipFigures(tpp: 15_832), on: "2021-01-01")
        #expect(c.outcome == .noTest)
    }

    @Test func ruleVersionsAreContiguous() {
        let v = bundledRules.versions
        for (a, b) in zip(v, v.dropFirst()) { #expect(a.until == b.effective.advanced(by: -1)) }
        #expect(v.last?.until == nil)
        #expect(v.map(\.id).contains("2025-05-13"))
    }
}

@Suite("Country tiers")
struct CountryTierTests {
    /// The tabulated tiers equal the one-country test for every country, on days around the rule changes and
    /// under a scheme that moves countries between tiers.
    @Test func tabulatedTiersMatchTheOneCountryTest() {
        var moved = bundledRules
        var scheme = moved.tierSchemes[moved.tierSchemeID]!
        let my = CountryCode("MY")!, sg = CountryCode("SG")!, cn = CountryCode("CN")!
        scheme.tier3.countries = (scheme.tier3.countries ?? []) + ["MY"]
        scheme.tier3.exceptCountries = (scheme.tier3.exceptCountries ?? []) + ["MO"]
        scheme.tier1.insert(sg)
        moved.tierSchemes[moved.tierSchemeID] = scheme
        moved.treatAs[CountryCode("JP")!] = cn  // listed in Tier 1, but judged as China
        // Tier 3 everywhere but the A:5 countries, D:1 and E:1 members and Brazil.
        var worldwide = bundledRules
        var everywhere = worldwide.tierSchemes[worldwide.tierSchemeID]!
        everywhere.tier3 = CountrySetSpec(exceptGroups: ["A:5", "D:1", "E:1"], exceptCountries: ["BR"], worldwide: true)
        worldwide.tierSchemes[worldwide.tierSchemeID] = everywhere
        for rules in [bundledRules, moved, worldwide] {
            for text in ["2021-01-01", "2023-10-17", "2023-11-17", "2024-06-01", "2025-01-15", "2025-05-13", "2026-03-01"] {
                let day = Day(text)!
                let table = rules.tiers(of: CountryCode.all, on: day)
                #expect(table == CountryCode.all.map { rules.tier(of: $0, on: day) }, "\(text)")
                let listed = rules.countriesOutsideTier2(on: day).map(\.country)
                #expect(listed == listed.sorted() && Set(listed).count == listed.count)
            }
        }
        #expect(worldwide.tier(of: CountryCode("BR")!, on: Day("2024-06-01")!) == .tier2)
        #expect(worldwide.tier(of: CountryCode("IN")!, on: Day("2024-06-01")!) == .tier2)  // in A:5
        #expect(worldwide.tier(of: CountryCode("KE")!, on: Day("2024-06-01")!) == .tier3)
        #expect(moved.tiers(of: [my, sg, cn, CountryCode("JP")!], on: Day("2024-06-01")!) == [.tier3, .tier1, .tier3, .tier3])
    }
}
