import DiversionGraph
import DiversionRules
import DiversionTestSupport
import Testing

@Suite("Worked cases from the issue")
struct WorkedCaseTests {
    @Test func malaysianServerToVietnamIsSubjectByDeMinimis() {
        let d = decide("my-server", to: "VN", consignee: "vn-co", on: "2024-02-01")
        #expect(d.isSubjectToEAR)
        #expect(d.basisParagraphs == ["734.4(c)"])
        #expect(d.deMinimis?.percentage == 0.3)
        #expect(d.deMinimis?.threshold == 0.25)
        #expect(d.deMinimis?.lines.first { $0.item == "gpu-board" }?.value == 30_000)
        #expect(d.licenseRequired)
        #expect(d.licenseParagraphs.contains("742.6(a)(6)(iii)"))
    }

    @Test func malaysianServerToBrazilIsNotSubjectByDeMinimis() {
        let d = decide("my-server", to: "BR", consignee: "br-co", on: "2024-06-01")
        #expect(!d.isSubjectToEAR)
        #expect(d.deMinimis?.percentage == 0)
        #expect(d.deMinimis?.lines.first?.isControlled == false)
        #expect(d.steps.contains { $0.text.contains("needs no license to BR") })
    }

    @Test func taiwanChipToChinaIsSubjectUnderH() {
        let d = decide("tw-chip", to: "CN", consignee: "cn-buyer", on: "2024-05-01")
        #expect(d.isSubjectToEAR)
        #expect(d.basisParagraphs.contains("734.9(h)(1)(i)"))
        #expect(d.bases.first { $0.rule == "h" }?.summary.contains("direct product of U.S. technology 3E001") == true)
    }

    @Test func taiwanChipToJapanFailsTheDestinationProngOfH() {
        let d = decide("tw-chip", to: "JP", consignee: "jp-co", on: "2024-05-01")
        #expect(!d.isSubjectToEAR)
        let step = d.steps.first { $0.text.hasPrefix("734.9(h)") }
        #expect(step?.outcome == .fails)
        #expect(step?.text.contains("product scope met") == true)
        #expect(step?.text.contains("destination Japan is not in scope") == true)
        #expect(step?.text.contains("no party is headquartered") == true)
    }

    @Test func thaiDriveFromUSTechnologyPlantToFootnote1PartyIsSubjectUnderE1() {
        let d = decide("hdd", to: "CN", consignee: "cn-fn1", on: "2024-05-01")
        #expect(d.isSubjectToEAR)
        #expect(d.basisParagraphs == ["734.9(e)(1)"])
        #expect(d.bases[0].summary.contains("made by th-plant, whose equipment jp-tester is a direct product of U.S. technology 3E001"))
        #expect(d.licenseParagraphs.contains("744.11(a)"))
    }

    @Test func thaiDriveToUnlistedThaiBuyerIsNotSubject() {
        let d = decide("hdd", to: "TH", consignee: "th-buyer", on: "2024-05-01")
        #expect(!d.isSubjectToEAR)
        #expect(d.steps.contains { $0.text.hasPrefix("734.9(e)(1)") && $0.text.contains("no party is on the Entity List with footnote 1") })
    }

    @Test func chipToSingaporeSubsidiaryOfChinesParentNeedsLicenseUnderHeadquartersRule() {
        let d = decide("h100", to: "SG", consignee: "sg-sub", on: "2024-05-01")
        #expect(d.isSubjectToEAR)
        #expect(d.licenseRequired)
        #expect(d.licenseParagraphs == ["744.23(a)(3)"])
        #expect(d.licenseReasons[0].reason.contains("ultimate parent cn-parent headquartered in China"))
        #expect(d.assumptionIDs.contains("ultimate-parent"))
    }
}

@Suite("U.S. origin and location")
struct OriginTests {
    @Test func usOriginChipIsSubjectEverywhere() {
        let d = decide("h100", to: "JP", consignee: "jp-co", on: "2024-05-01")
        #expect(d.isSubjectToEAR && d.basisParagraphs == ["734.3(a)(2)"])
        #expect(!d.licenseRequired)
    }

    @Test func foreignItemShippedFromTheUSIsSubjectAsLocatedThere() {
        let d = decide("tw-chip-bare", to: "JP", consignee: "jp-co", from: "us-designer", on: "2024-05-01")
        #expect(d.basisParagraphs == ["734.3(a)(1)"])
    }

    @Test func foreignChipWithNoUSLinkIsNotSubject() {
        let d = decide("tw-chip-bare", to: "CN", consignee: "cn-buyer", on: "2024-05-01")
        #expect(!d.isSubjectToEAR)
        #expect(d.steps.contains { $0.text.contains("no plant route reaches it") })
    }
}

@Suite("License requirements by destination and date")
struct LicenseTests {
    @Test func usChipToVietnamAfterNov2023NeedsLicense() {
        #expect(decide("h100", to: "VN", on: "2024-01-10").licenseParagraphs == ["742.6(a)(6)(iii)"])
    }

    @Test func usChipToVietnamUnderOct2022RulesNeedsNone() {
        #expect(!decide("h100", to: "VN", on: "2023-06-01").licenseRequired)
    }

    @Test func israelIsCarvedOutAsA6() {
        let d = decide("h100", to: "IL", on: "2024-01-10")
        #expect(!d.licenseRequired)
        #expect(d.assumptionIDs.contains("nov2023-a5a6-carve-out"))
    }

    @Test func hongKongIsTreatedAsChina() {
        let d = decide("h100", to: "HK", consignee: "hk-co", on: "2024-01-10")
        // NB: a Hong Kong company is also headquartered in "China" for the headquarters rule.
        #expect(d.licenseParagraphs == ["742.6(a)(6)(iii)", "744.23(a)(3)"])
        #expect(d.steps.contains { $0.text.contains("Hong Kong is treated as China") })
    }

    @Test func macauNeedsLicenseOnlyFromJanuary2023() {
        #expect(!decide("h100", to: "MO", on: "2023-01-10").licenseRequired)
        #expect(decide("h100", to: "MO", on: "2023-01-17").licenseParagraphs == ["742.6(a)(6)(iii)"])
    }

    @Test func uaeIsInD4UntilTheAssumedExit() {
        let before = decide("h100", to: "AE", on: "2024-06-01")
        #expect(before.licenseRequired)
        #expect(before.assumptionIDs.contains("uae-d4-exit"))
        #expect(!decide("h100", to: "AE", on: "2025-06-01").licenseRequired)
    }

    @Test func cambodiaLeavesD5ButStaysD1() {
        #expect(decide("h100", to: "KH", on: "2025-06-01").licenseRequired)
        #expect(decide("h100", to: "KH", on: "2026-03-01").licenseParagraphs == ["742.6(a)(6)(iii)"])
    }

    @Test func aiDiffusionWindowNeedsLicenseWorldwideWithTier1Exception() {
        let jp = decide("h100", to: "JP", on: "2025-02-01")
        #expect(jp.licenseRequired)
        #expect(jp.licenseReasons[0].exception?.hasPrefix("AIA") == true)
        #expect(jp.assumptionIDs.contains("ai-diffusion-enforcement"))
        let br = decide("h100", to: "BR", on: "2025-02-01")
        #expect(br.licenseRequired && br.licenseReasons[0].exception == nil)
        #expect(!decide("h100", to: "BR", on: "2025-06-01").licenseRequired)
    }

    @Test func entityListPartyNeedsLicenseForEAR99Goods() {
        let d = decide("cable", to: "CN", consignee: "cn-fn4", on: "2024-01-10")
        #expect(d.licenseParagraphs == ["744.11(a)"])
        #expect(d.licenseReasons[0].reason.contains("footnote 4"))
    }

    @Test func listingNotYetInForceDoesNotCount() {
        #expect(!decide("cable", to: "CN", consignee: "cn-fn4", on: "2022-01-10").licenseRequired)
    }

    @Test func embargoedDestinationsNeedLicenseForEverything() {
        #expect(decide("cable", to: "IR", consignee: "ir-co", on: "2024-01-10").licenseParagraphs == ["746.1(b)"])
        #expect(decide("cable", to: "CU", consignee: "cu-co", on: "2024-01-10").licenseParagraphs == ["746.1(b)"])
    }

    @Test func russiaNeedsLicenseForCCLItemsFromFebruary2022() {
        #expect(decide("us-3a001", to: "RU", on: "2022-06-01").licenseParagraphs == ["746.8(a)(1)"])
        #expect(!decide("us-3a001", to: "RU", on: "2021-06-01").licenseRequired)
        #expect(!decide("cable", to: "RU", on: "2022-06-01").licenseRequired)
        #expect(decide("us-3a001", to: "BY", on: "2022-03-01").licenseRequired == false)
        #expect(decide("us-3a001", to: "BY", on: "2022-03-02").licenseRequired)
    }

    @Test func headquartersRuleStartsNovember2023AndMovesIn2025() {
        #expect(!decide("h100", to: "SG", consignee: "sg-cnhq", on: "2023-06-01").licenseRequired)
        #expect(decide("h100", to: "SG", consignee: "sg-cnhq", on: "2024-06-01").licenseParagraphs == ["744.23(a)(3)"])
        #expect(decide("h100", to: "SG", consignee: "sg-cnhq", on: "2025-02-01").licenseParagraphs.contains("742.6(a)(6)(iii)(A)"))
    }

    @Test func recordedLicenseIsShownNotJudged() {
        let d = decide("h100", to: "CN", consignee: "cn-buyer", on: "2024-01-10", license: "D123456")
        #expect(d.recordedLicense == "D123456")
        #expect(d.licenseRequired)
        #expect(d.steps.contains { $0.text.contains("records license \"D123456\"") })
    }

    @Test func dateBeforeTheFirstVersionIsNamedAsAnAssumption() {
        #expect(decide("cable", to: "CN", on: "2019-01-01").assumptionIDs.contains("before-first-version"))
    }
}

@Suite("Chip classification in determinations")
struct ClassificationInDeterminationTests {
    @Test func a800IsNot3A090UnderOct2022AndIsFromNov2023() {
        let before = decide("a800", to: "CN", consignee: "cn-buyer", on: "2023-06-01")
        #expect(before.eccn == "3A991")
        #expect(!before.licenseRequired)
        let after = decide("a800", to: "CN", consignee: "cn-buyer", on: "2023-11-17")
        #expect(after.eccn == "3A090.a")
        #expect(after.licenseParagraphs.contains("742.6(a)(6)(iii)"))
    }

    @Test func h20StaysOutside3A090() {
        let d = decide("h20", to: "CN", consignee: "cn-buyer", on: "2024-06-01")
        #expect(d.eccn == "EAR99")
        #expect(!d.licenseRequired)
    }

    @Test func serverClassificationFollowsItsChips() {
        #expect(decide("my-server", to: "VN", on: "2024-02-01").eccn == "4A090.a")
    }
}

@Suite("De minimis")
struct DeMinimisTests {
    @Test func contentBelowTheLevelIsNotSubject() {
        let d = decide("my-server-low", to: "VN", consignee: "vn-co", on: "2024-02-01")
        #expect(!d.isSubjectToEAR)
        #expect(d.deMinimis?.percentage == 0.2)
        #expect(d.steps.contains { $0.text.contains("20%, not above the 25% level") })
    }

    @Test func contentIsCountedThroughForeignSubassemblies() {
        let d = decide("my-rack", to: "VN", on: "2024-02-01")
        #expect(d.deMinimis?.controlledValue == 60_000)
        #expect(d.deMinimis?.lines.first?.quantity == 2)
        #expect(d.deMinimis?.percentage == 0.24)  // $60k of $250k
        #expect(!d.isSubjectToEAR)
    }

    @Test func embargoedDestinationUsesTenPercent() {
        let d = decide("my-box", to: "IR", consignee: "ir-co", on: "2024-02-01")
        #expect(d.deMinimis?.threshold == 0.1)
        #expect(d.deMinimis?.thresholdParagraph == "734.4(c)(1)")
        #expect(d.isSubjectToEAR)
    }

    @Test func sameBoxElsewhereCountsNothing() {
        let d = decide("my-box", to: "DE", on: "2024-02-01")
        #expect(!d.isSubjectToEAR)
        #expect(d.deMinimis?.controlledValue == 0)
    }

    @Test func entityListDoesNotMakeContentControlled() {
        let d = decide("my-server", to: "BR", consignee: "cn-fn4", on: "2024-06-01")
        #expect(d.deMinimis?.controlledValue == 0)
    }

    @Test func missingItemValueIsReported() {
        let d = decide("no-value-box", to: "IR", on: "2024-02-01")
        #expect(d.deMinimis?.percentage == nil)
        #expect(d.steps.contains { $0.text.contains("has no unit_value") })
    }

    @Test func smeWithUSIntegratedCircuitHasNoDeMinimisFromDecember2024() {
        let d = decide("jp-etcher-bare", to: "CN", on: "2025-06-01")
        #expect(d.basisParagraphs.contains("734.4(a)(8)"))
        #expect(d.assumptionIDs.contains("de-minimis-a8-a9-scope"))
        let before = decide("jp-etcher-bare", to: "CN", on: "2024-06-01")
        #expect(!before.basisParagraphs.contains("734.4(a)(8)"))
    }
}

@Suite("Foreign-direct-product rules")
struct ForeignDirectProductTests {
    @Test func plantRouteReachesAChipWithoutItsOwnProvenance() {
        let d = decide("tw-chip-plant", to: "CN", consignee: "cn-buyer", on: "2024-05-01")
        #expect(d.basisParagraphs == ["734.9(h)(1)(i)"])
        #expect(d.bases[0].summary.contains("tw-fab, whose equipment us-tool is a direct product of U.S. technology 3E001"))
    }

    @Test func hUnderOct2022ReachesChinaOnly() {
        #expect(!decide("tw-chip", to: "VN", on: "2023-06-01").isSubjectToEAR)
        #expect(decide("tw-chip", to: "VN", on: "2024-06-01").basisParagraphs == ["734.9(h)(1)(i)"])
    }

    @Test func hReachesMacauFromJanuary2023() {
        #expect(!decide("tw-chip", to: "MO", on: "2022-12-01").isSubjectToEAR)
        #expect(decide("tw-chip", to: "MO", on: "2023-02-01").isSubjectToEAR)
    }

    @Test func hHeadquartersProngReachesAPartyAnywhere() {
        let d = decide("tw-chip", to: "SG", consignee: "sg-cnhq", on: "2024-06-01")
        #expect(d.basisParagraphs == ["734.9(h)(1)(ii)"])
        #expect(d.licenseParagraphs.contains("744.23(a)(3)"))
    }

    @Test func hIsWorldwideOnlyInTheAIDiffusionWindow() {
        #expect(decide("tw-chip", to: "JP", on: "2025-02-01").basisParagraphs == ["734.9(h)(1)(i)"])
        #expect(!decide("tw-chip", to: "JP", on: "2025-06-01").isSubjectToEAR)
    }

    @Test func footnote4RuleReachesAnyItemForListedParty() {
        let d = decide("tw-ear99", to: "CN", consignee: "cn-fn4", on: "2023-06-01")
        #expect(d.basisParagraphs == ["734.9(e)(2)"])
        #expect(d.licenseParagraphs.contains("744.11(a)(2)(ii)") || d.licenseParagraphs.contains("744.11(a)"))
    }

    @Test func footnote4RuleDidNotExistBeforeOctober2022() {
        #expect(!decide("tw-ear99", to: "CN", consignee: "cn-fn4", on: "2022-06-01").isSubjectToEAR)
    }

    @Test func russiaRuleReachesCCLItemsOnly() {
        #expect(decide("tw-3a001", to: "RU", consignee: "ru-co", on: "2022-06-01").basisParagraphs == ["734.9(f)"])
        #expect(!decide("tw-ear99", to: "RU", consignee: "ru-co", on: "2022-06-01").isSubjectToEAR)
    }

    @Test func supercomputerEndUseRule() {
        let d = decide("tw-ear99", to: "CN", consignee: "cn-super", on: "2024-06-01")
        #expect(d.basisParagraphs == ["734.9(i)"])
        #expect(d.licenseParagraphs.contains("744.23(a)(2)"))
    }

    @Test func smeRuleReachesToolsFromUSTechnologyPlantsForChina() {
        let d = decide("jp-etcher", to: "CN", on: "2025-02-01")
        #expect(d.basisParagraphs.contains("734.9(k)"))
        #expect(!decide("jp-etcher", to: "KR", on: "2025-02-01").isSubjectToEAR)
        #expect(!decide("jp-etcher", to: "CN", on: "2024-06-01").basisParagraphs.contains("734.9(k)"))
    }

    @Test func footnote5RuleReachesItemsContainingAPlantMadeIC() {
        let d = decide("jp-3b991", to: "MY", consignee: "my-fn5", on: "2025-01-05")
        #expect(d.basisParagraphs.contains("734.9(e)(3)"))
        #expect(d.bases.first { $0.rule == "e3" }?.summary.contains("contains tw-ic-plant (an integrated circuit)") == true)
        #expect(!decide("jp-3b991", to: "MY", consignee: "my-asm", on: "2025-01-05").isSubjectToEAR)
    }

    @Test func everyRouteIsTestedOnItsOwn() {
        let d = decide("tw-chip", to: "CN", consignee: "cn-fn1", on: "2024-06-01")
        #expect(Set(d.basisParagraphs) == ["734.9(e)(1)", "734.9(h)(1)(i)"])
    }

    @Test func everyDeterminationCitesItsParagraphs() {
        let d = decide("tw-chip", to: "CN", consignee: "cn-fn1", on: "2024-06-01")
        #expect(d.citations.contains("734.9(e)(1)"))
        #expect(d.steps.filter { $0.outcome != .note }.allSatisfy { $0.citation != nil || $0.text.hasPrefix("conclusion") })
    }
}
