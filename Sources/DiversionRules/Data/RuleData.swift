import DiversionGraph

/// The JSON shapes of the rule data files in `Resources/rules/` (see `Graphs/FORMAT.md`, "Rule data").
/// These are decoded once, validated, and turned into a ``RuleBook``.

struct CountryGroupsFile: Codable {
    struct TreatAs: Codable { var country: String; var `as`: String; var source: String?; var note: String? }
    struct Dated: Codable {
        var country: String
        var since: String?
        var until: String?
        var source: String?
        var note: String?
        var assumption: Assumption?
        var include: Bool?
    }
    struct Group: Codable { var id: String; var name: String; var source: String; var members: [String]; var dated: [Dated]? }
    var treatAs: [TreatAs]
    var groups: [Group]
}

struct TiersFile: Codable {
    struct Scheme: Codable {
        var id: String
        var name: String
        var source: String
        var note: String?
        var tier1: [String]
        var tier3: CountrySetSpec
        var hubs: [String]?
        var hubSources: [String]?
    }
    var `default`: String
    var schemes: [Scheme]
}

struct ECCNFile: Codable {
    var note: String?
    var entries: [ECCNEntry]
}

/// One entry of the ECCN catalogue.
public struct ECCNEntry: Codable, Sendable, Hashable {
    public var eccn: String
    public var family: String
    public var title: String
    public var chip: Bool?
    public var computer: Bool?
    public var source: String
}

/// A rule fact the reference marks as unconfirmed; every determination that relies on it names it.
public struct Assumption: Codable, Sendable, Hashable {
    public var id: String
    public var text: String
    public var source: String?
}

/// A set of destination countries as the rule data writes it: named countries and country groups,
/// minus exceptions; or every country; or a tier of the tier scheme.
public struct CountrySetSpec: Codable, Sendable, Hashable {
    public var countries: [String]?
    public var groups: [String]?
    public var exceptGroups: [String]?
    public var exceptCountries: [String]?
    public var worldwide: Bool?
    public var tier: String?

    public init(countries: [String]? = nil, groups: [String]? = nil, exceptGroups: [String]? = nil,
                exceptCountries: [String]? = nil, worldwide: Bool? = nil, tier: String? = nil) {
        self.countries = countries; self.groups = groups; self.exceptGroups = exceptGroups
        self.exceptCountries = exceptCountries; self.worldwide = worldwide; self.tier = tier
    }
}

/// One 3A090 threshold clause: every bound given must hold.
public struct ChipClause: Codable, Sendable, Hashable {
    public var tppMin: Double?
    public var tppBelow: Double?
    public var densityMin: Double?
    public var densityBelow: Double?
    public var interconnectMin: Double?
}

/// The 3A090 test of a rule version.
public struct ChipTest: Codable, Sendable, Hashable {
    public var name: String
    public var a: [ChipClause]
    public var b: [ChipClause]
    public var note: String?
}

/// A license requirement by ECCN family and destination.
public struct LicenseRule: Codable, Sendable, Hashable {
    public struct Exception: Codable, Sendable, Hashable {
        public var name: String
        public var to: String
        public var paragraph: String
        public var text: String
    }
    public var id: String
    public var families: [String]
    public var to: String
    public var paragraph: String
    public var reason: String
    public var assumption: String?
    public var exception: Exception?
}

/// A license requirement triggered by a screening list a party is on.
public struct PartyListRule: Codable, Sendable, Hashable {
    public var list: String
    public var families: [String]
    public var paragraph: String
    public var reason: String
}

/// The headquarters rule (an end-user control for advanced-computing items).
public struct HeadquartersRule: Codable, Sendable, Hashable {
    public var families: [String]
    public var parentIn: String
    public var paragraph: String
    public var reason: String
    public var assumption: String?
}

/// One prong of a destination or end-user scope: every condition given must hold.
public struct ScopeProng: Codable, Sendable, Hashable {
    public var destinations: String?
    public var headquartersIn: String?
    public var listedFootnote: [Int]?
    public var endUseList: String?
    public var text: String
    public var paragraph: String?
    public var assumption: String?
}

/// A case in which no de minimis level applies (Supp. No. 2 to Part 734 and 734.4(a)).
public struct NoDeMinimisCase: Codable, Sendable, Hashable {
    public var id: String
    public var paragraph: String
    public var title: String
    public var itemSet: String
    /// When given, the case needs U.S.-origin content in this item set.
    public var contentSet: String?
    /// When true, the case needs a U.S.-origin integrated circuit among the content.
    public var contentIC: Bool?
    public var scope: [ScopeProng]
    public var assumption: String?

    enum CodingKeys: String, CodingKey {
        case id, paragraph, title, itemSet, contentSet, contentIC = "contentIc", scope, assumption
    }
}

public struct DeMinimisRule: Codable, Sendable, Hashable {
    public var paragraph: String
    public var defaultThreshold: Double
    public var reducedThreshold: Double
    public var reducedFor: String
    public var reducedParagraph: String
    public var none: [NoDeMinimisCase]
}

/// The product scope of a foreign-direct-product rule.
public struct FDPProducts: Codable, Sendable, Hashable {
    public struct ContainsPlantProduct: Codable, Sendable, Hashable {
        public var icOnly: Bool
        enum CodingKeys: String, CodingKey { case icOnly = "icOnly" }
    }
    public var anyItem: Bool?
    public var anyCCL: Bool?
    public var itemSet: String?
    public var exceptSet: String?
    public var containsPlantProduct: ContainsPlantProduct?

    enum CodingKeys: String, CodingKey {
        case anyItem, anyCCL = "anyCcl", itemSet, exceptSet, containsPlantProduct
    }
}

/// A foreign-direct-product rule of 15 CFR 734.9: product scope × destination/end-user scope.
public struct FDPRule: Codable, Sendable, Hashable {
    public var id: String
    public var paragraph: String
    public var title: String
    public var licenseParagraph: String
    public var products: FDPProducts
    /// The name of the technology set whose U.S. technology or software makes an item a direct product.
    public var technology: String
    public var plantRoute: Bool
    /// The technology set for the plant route when it differs from `technology`.
    public var plantTechnology: String?
    public var scope: [ScopeProng]
    /// When given, the rule's destination and end-user prongs also reach an item that is to be built into a
    /// non-EAR99 item bound there or for such a party (e.g. 734.9(h): "destined to … or incorporated into any
    /// non-EAR99 item destined to …"). A path judgment uses it for a GPU that reaches the final party inside a
    /// server.
    public var incorporation: Incorporation?

    /// The incorporation prong of a rule: its words, and an assumption when the reading is unconfirmed.
    public struct Incorporation: Codable, Sendable, Hashable {
        public var text: String
        public var paragraph: String?
        public var assumption: String?
    }
}

/// A rule version as written in the file; a version with `base` gives only what changes.
struct RuleVersionSpec: Codable {
    var id: String
    var base: String?
    var title: String
    var effective: String
    var sources: [String]
    var chipTest: ChipTest??
    var licenses: [LicenseRule]?
    var partyLists: [PartyListRule]?
    var headquartersRule: HeadquartersRule??
    var deMinimis: DeMinimisRule?
    var fdp: [FDPRule]?
    var assumptionsInForce: [String]?

    enum CodingKeys: String, CodingKey {
        case id, base, title, effective, sources, chipTest, licenses, partyLists, headquartersRule, deMinimis, fdp,
             assumptionsInForce
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        base = try c.decodeIfPresent(String.self, forKey: .base)
        title = try c.decode(String.self, forKey: .title)
        effective = try c.decode(String.self, forKey: .effective)
        sources = try c.decode([String].self, forKey: .sources)
        // NB: a key present with null ("no chip test yet") differs from an absent key ("as the base").
        chipTest = c.contains(.chipTest) ? .some(try c.decodeIfPresent(ChipTest.self, forKey: .chipTest)) : nil
        headquartersRule = c.contains(.headquartersRule)
            ? .some(try c.decodeIfPresent(HeadquartersRule.self, forKey: .headquartersRule)) : nil
        licenses = try c.decodeIfPresent([LicenseRule].self, forKey: .licenses)
        partyLists = try c.decodeIfPresent([PartyListRule].self, forKey: .partyLists)
        deMinimis = try c.decodeIfPresent(DeMinimisRule.self, forKey: .deMinimis)
        fdp = try c.decodeIfPresent([FDPRule].self, forKey: .fdp)
        assumptionsInForce = try c.decodeIfPresent([String].self, forKey: .assumptionsInForce)
    }

    func encode(to encoder: Encoder) throws {}
}

struct RuleVersionsFile: Decodable {
    var note: String?
    var sets: [String: CountrySetSpec]
    var technologySets: [String: [String]]
    var itemSets: [String: [String]]
    var assumptions: [Assumption]
    var versions: [RuleVersionSpec]
}

/// A rule version with everything resolved: the rules in force from `effective` until the next version.
public struct RuleVersion: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var effective: Day
    /// The last day this version is in force (the day before the next one), if any.
    public var until: Day?
    public var sources: [String]
    public var chipTest: ChipTest?
    public var licenses: [LicenseRule]
    public var partyLists: [PartyListRule]
    public var headquartersRule: HeadquartersRule?
    public var deMinimis: DeMinimisRule
    public var fdp: [FDPRule]
    public var assumptionsInForce: [String]
}
