/// The analysis tier of a country: AI Diffusion tiers (Supp. No. 5 to Part 740), Tier 3 = D:5 plus Macau,
/// Hong Kong treated as China. This mirrors `DiversionRules`' `tiers.json` for the codes used here.
enum CountryTier: UInt8 {
    case one = 1, two, three
}

/// A country a world may place parties in.
struct CountryInfo {
    let code: String
    let bytes: [UInt8]
    let tier: CountryTier
    /// Relative share of background parties located here.
    let weight: Double
    /// Legal-form suffixes for names ("Pte. Ltd.").
    let suffixes: [[UInt8]]

    init(_ code: String, _ tier: CountryTier, _ weight: Double, _ suffixes: [String]) {
        self.code = code
        self.bytes = Array(code.utf8)
        self.tier = tier
        self.weight = weight
        self.suffixes = suffixes.map { Array($0.utf8) }
    }
}

enum Countries {
    // NB: Tier-2 codes avoid every country that is in D:5 on some date (Cyprus, Cambodia, Nicaragua), so a
    // party's tier does not depend on the shipment date.
    static let table: [CountryInfo] = [
        // Tier 1: the U.S. and the 18 (Supp. No. 5 to Part 740 para (a)).
        CountryInfo("US", .one, 20, ["Inc.", "LLC", "Corp."]),
        CountryInfo("JP", .one, 5, ["K.K.", "Co., Ltd."]),
        CountryInfo("DE", .one, 5, ["GmbH", "AG"]),
        CountryInfo("GB", .one, 4, ["Ltd", "PLC"]),
        CountryInfo("FR", .one, 3, ["SAS", "S.A."]),
        CountryInfo("NL", .one, 3, ["B.V."]),
        CountryInfo("KR", .one, 4, ["Co., Ltd.", "Corp."]),
        CountryInfo("TW", .one, 5, ["Co., Ltd.", "Corp."]),
        CountryInfo("AU", .one, 2, ["Pty Ltd"]),
        CountryInfo("CA", .one, 3, ["Inc.", "Ltd."]),
        CountryInfo("IT", .one, 2, ["S.r.l.", "S.p.A."]),
        CountryInfo("ES", .one, 1.5, ["S.L.", "S.A."]),
        CountryInfo("SE", .one, 1, ["AB"]),
        CountryInfo("IE", .one, 1, ["Ltd", "DAC"]),
        CountryInfo("BE", .one, 1, ["NV", "SRL"]),
        CountryInfo("DK", .one, 0.5, ["ApS", "A/S"]),
        CountryInfo("FI", .one, 0.5, ["Oy"]),
        CountryInfo("NO", .one, 0.5, ["AS"]),
        CountryInfo("NZ", .one, 0.5, ["Ltd"]),
        // Tier 2, transshipment hubs first.
        CountryInfo("SG", .two, 5, ["Pte. Ltd."]),
        CountryInfo("MY", .two, 4, ["Sdn. Bhd."]),
        CountryInfo("AE", .two, 4, ["FZE", "LLC", "FZCO"]),
        CountryInfo("TH", .two, 3, ["Co., Ltd."]),
        CountryInfo("IN", .two, 5, ["Pvt. Ltd."]),
        CountryInfo("VN", .two, 3, ["JSC", "Co., Ltd."]),
        CountryInfo("IL", .two, 2, ["Ltd."]),
        CountryInfo("MX", .two, 3, ["S.A. de C.V."]),
        CountryInfo("BR", .two, 2, ["Ltda.", "S.A."]),
        CountryInfo("TR", .two, 2, ["A.S.", "Ltd. Sti."]),
        CountryInfo("ZA", .two, 1, ["(Pty) Ltd"]),
        CountryInfo("PL", .two, 1, ["Sp. z o.o."]),
        CountryInfo("ID", .two, 1.5, ["Tbk", "PT"]),
        CountryInfo("PH", .two, 1, ["Inc.", "Corp."]),
        CountryInfo("SA", .two, 1, ["LLC", "Co."]),
        CountryInfo("CH", .two, 1, ["AG", "SA", "GmbH"]),
        CountryInfo("KZ", .two, 0.5, ["LLP", "JSC"]),
        CountryInfo("AM", .two, 0.3, ["LLC", "CJSC"]),
        CountryInfo("GE", .two, 0.3, ["LLC"]),
        CountryInfo("UZ", .two, 0.3, ["LLC"]),
        CountryInfo("KG", .two, 0.2, ["LLC"]),
        CountryInfo("RS", .two, 0.3, ["d.o.o."]),
        CountryInfo("AR", .two, 0.5, ["S.A.", "S.R.L."]),
        CountryInfo("CL", .two, 0.3, ["SpA", "S.A."]),
        CountryInfo("PK", .two, 0.5, ["(Pvt.) Ltd."]),
        CountryInfo("EG", .two, 0.5, ["S.A.E."]),
        // Tier 3: D:5 plus Macau; Hong Kong is treated as China.
        CountryInfo("CN", .three, 10, ["Co., Ltd.", "Technology Co., Ltd."]),
        CountryInfo("HK", .three, 3.5, ["Limited", "Co., Limited"]),
        CountryInfo("MO", .three, 0.3, ["Limitada"]),
        CountryInfo("RU", .three, 2.5, ["LLC", "JSC"]),
        CountryInfo("BY", .three, 0.4, ["LLC", "JSC"]),
        CountryInfo("IR", .three, 0.5, ["Co.", "PJS"]),
        CountryInfo("VE", .three, 0.3, ["C.A."]),
        CountryInfo("MM", .three, 0.2, ["Co., Ltd."]),
        CountryInfo("IQ", .three, 0.2, ["Co."]),
        CountryInfo("LB", .three, 0.1, ["SAL"]),
        CountryInfo("SY", .three, 0.05, ["LLC"]),
        CountryInfo("CU", .three, 0.05, ["S.A."]),
        CountryInfo("KP", .three, 0.02, ["Corporation"]),
    ]

    /// The index of `code` in ``table``; traps for a code the table does not hold (a programming error).
    static func index(_ code: String) -> UInt8 {
        guard let i = table.firstIndex(where: { $0.code == code }) else { preconditionFailure("no country \(code)") }
        return UInt8(i)
    }

    static let tiers: [CountryTier] = table.map(\.tier)

    /// Where background parties are located.
    static let locationChoice = WeightedChoice(table.map(\.weight))

    static func indices(_ codes: [String]) -> [UInt8] { codes.map(index) }

    /// Transshipment hubs of Tier 2 (the FinCEN–BIS list and the AI-chip routes), for hub distributors and
    /// scheme intermediaries, with weights.
    static let hubCodes: [(String, Double)] = [
        ("SG", 5), ("MY", 4), ("AE", 4), ("TH", 2.5), ("IN", 2), ("VN", 2), ("IL", 1), ("MX", 1.5), ("TR", 1.5),
        ("KZ", 0.7), ("AM", 0.4), ("GE", 0.3), ("UZ", 0.4), ("BR", 0.6),
    ]
    static let hubs = indices(hubCodes.map(\.0))
    static let hubChoice = WeightedChoice(hubCodes.map(\.1))

    /// Where Tier-1 suppliers of schemes sit.
    static let supplierCodes: [(String, Double)] = [("US", 10), ("JP", 1), ("DE", 1), ("KR", 1), ("TW", 1.5), ("GB", 0.5), ("NL", 0.5)]
    static let suppliers = indices(supplierCodes.map(\.0))
    static let supplierChoice = WeightedChoice(supplierCodes.map(\.1))

    /// Tier-3 destinations of schemes (China and Hong Kong first) and where Tier-3 parents sit.
    static let destinationCodes: [(String, Double)] = [("CN", 6), ("HK", 3), ("MO", 0.4), ("RU", 1)]
    static let destinations = indices(destinationCodes.map(\.0))
    static let destinationChoice = WeightedChoice(destinationCodes.map(\.1))

    static let us = index("US"), cn = index("CN"), hk = index("HK"), my = index("MY"), sg = index("SG")
    static let th = index("TH"), mx = index("MX")

    /// Other countries' headquarters of background subsidiaries.
    static let parentCodes = indices(["US", "JP", "DE", "GB", "FR", "NL", "KR", "TW"])
    static let tier3ParentCodes = indices(["CN", "CN", "CN", "HK", "RU"])
}
