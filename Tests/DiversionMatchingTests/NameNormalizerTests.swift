import Testing
@testable import DiversionMatching

@Suite("Name normalisation")
struct NameNormalizerTests {
    @Test(arguments: [
        ("Huawei Technologies Co., Ltd.", ["HUAWEI", "TECHNOLOGY"]),
        ("HUAWEI TECH CO LTD", ["HUAWEI", "TECHNOLOGY"]),
        ("Huawei Technologies Co.,Limited", ["HUAWEI", "TECHNOLOGY"]),
        ("HUAWEI TECHNOLOGIES COMPANY LIMITED", ["HUAWEI", "TECHNOLOGY"]),
        ("Shenzhen Tianyu A.I. Computing Co., Ltd.", ["SHENZHEN", "TIANYU", "AI", "COMPUTING"]),
        ("SHENZHEN TIANYU AI COMPUTNG CO.,LIMITED", ["SHENZHEN", "TIANYU", "AI", "COMPUTNG"]),
        ("Penang Precision Electronics Sdn. Bhd.", ["PENANG", "PRECISION", "ELECTRONIC"]),
        ("Lionbridge Microsystems Pte. Ltd.", ["LIONBRIDGE", "MICROSYSTEM"]),
        ("OOO Vostok Trade", ["VOSTOK", "TRADING"]),
        ("Nordlicht Halbleiter GmbH & Co. KG", ["NORDLICHT", "HALBLEITER"]),
        ("Electrónica Andina S.A. de C.V.", ["ELECTRONICA", "ANDINA"]),
        ("Al Noor Electronics Trading L.L.C.", ["AL", "NOOR", "ELECTRONIC", "TRADING"]),
        ("Bharat Compute Systems Pvt. Ltd.", ["BHARAT", "COMPUTE", "SYSTEM"]),
        ("Ekin Teknoloji San. ve Tic. A.Ş.", ["EKIN", "TECHNOLOGY", "INDUSTRY", "TRADING"]),
        ("Xi'an Huaxun Microwave", ["XIAN", "HUAXUN", "MICROWAVE"]),
        ("Qingdao Haitong Imp. & Exp. Co.", ["QINGDAO", "HAITONG", "IMPORT", "EXPORT"]),
    ])
    func legalFormsAbbreviationsAndPunctuation(name: String, expected: [String]) {
        #expect(NameNormalizer.tokens(name) == expected)
    }

    @Test func diacriticsAreFoldedAndOtherScriptsKept() {
        #expect(NameNormalizer.tokens("Société Générale") == ["SOCIETE", "GENERALE"])
        #expect(NameNormalizer.tokens("Boğaziçi Teknoloji Ltd. Şti.") == ["BOGAZICI", "TECHNOLOGY"])
        #expect(NameNormalizer.tokens("Nordstraße Halbleiter") == ["NORDSTRASSE", "HALBLEITER"])
        #expect(NameNormalizer.tokens("Øresund Łódź") == ["ORESUND", "LODZ"])
        // No transliteration: each Han character is a token; the legal form 有限公司 goes like CO LTD.
        #expect(NameNormalizer.tokens("华为技术有限公司") == ["华", "为", "技", "术"])
        // Cyrillic words stay words, upper-cased.
        #expect(NameNormalizer.tokens("ООО Микрон") == ["ООО", "МИКРОН"])
    }

    @Test func aNameMadeOnlyOfLegalWordsKeepsThem() {
        #expect(NameNormalizer.tokens("Limited") == ["LIMITED"])
        #expect(NameNormalizer.tokens("GmbH & Co. KG") == ["GMBH", "CO", "KG"])
        #expect(NameNormalizer.tokens("") == [])
    }

    @Test(arguments: ["TO ORDER", "to the order of HSBC Bank (China) Co Ltd", "TO ORDER OF SHIPPER", "SAME AS CONSIGNEE",
                      "Same as above", "N/A", "n.a.", "", "   ", "-- / --", "UNKNOWN", "TBA"])
    func placeholders(name: String) {
        #expect(NameNormalizer.isPlaceholder(name))
    }

    @Test(arguments: ["Huawei", "Orderly Trading Co", "Same Day Logistics", "NA Semiconductor Group", "Order Electronics Ltd"])
    func notPlaceholders(name: String) {
        #expect(!NameNormalizer.isPlaceholder(name))
    }
}
