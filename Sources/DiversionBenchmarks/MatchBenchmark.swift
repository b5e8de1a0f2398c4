import DiversionGraph
import DiversionMatching
import Foundation

/// The `match` stage: seeded list names and shipment parties, a share of the parties written as variants of
/// list names (the truth), matched on two threads.
///
///     DiversionBenchmarks match --list 50000 --parties 250000 [--seed 1] [--threads 2]
enum MatchBenchmark {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    // Word pools of the kinds seen on screening lists and bills of lading.
    static let pinyin = ["AN", "BAO", "BO", "CHANG", "CHEN", "DA", "DE", "DONG", "FA", "FENG", "FU", "GUANG", "HAI", "HAO", "HE", "HENG",
                         "HONG", "HUA", "HUI", "JIA", "JIN", "JING", "KAI", "KANG", "KUN", "LI", "LIAN", "LING", "LONG", "MEI", "MING", "NING",
                         "PENG", "QI", "QIANG", "RONG", "RUI", "SEN", "SHENG", "SHI", "TAI", "TENG", "TIAN", "TONG", "WAN", "WEI", "XIANG",
                         "XIN", "XING", "XU", "YA", "YI", "YING", "YONG", "YU", "YUAN", "YUN", "ZE", "ZHAN", "ZHENG", "ZHI", "ZHONG"]
    static let latin = ["NOVA", "ASTRA", "ORION", "VEGA", "ZEN", "AURA", "NEXA", "KORA", "LUMA", "TERRA", "SOLA", "ARGO", "VERTA", "OMNI",
                         "CYGN", "PRISMA", "HELIO", "QUANTA", "STRATA", "VELO", "AXIO", "MERID", "KEST", "FALC", "SIGMA", "DELTA"]
    static let latinEnd = ["LINK", "TECH", "TRON", "WAVE", "SPRING", "GATE", "BRIDGE", "CORE", "LOGIC", "SOFT", "NET", "STAR", "PATH",
                           "VIEW", "POINT", "FIELD", "WORKS", "SYS", "NOVA", "RIDGE"]
    static let slavic = ["VOSTOK", "ZAPAD", "SEVER", "NEVA", "VOLGA", "URAL", "SIBIR", "BALTIKA", "ARKTIKA", "KVANT", "MIKRON", "ELBRUS",
                         "ANGSTREM", "RADIANT", "ZVEZDA", "KOMETA", "OKEAN", "STRELA", "RASSVET", "ALMAZ", "GRANIT", "KRISTALL", "POLYUS",
                         "TAIGA", "KASKAD", "SPEKTR", "IMPULS", "VEKTOR", "FORMAT", "PROGRESS"]
    static let arabic = ["NOOR", "SAFA", "MARWA", "FAJR", "NASR", "KHALEEJ", "SAHRA", "ZAHRAT", "RASHID", "HAMDAN", "MANSOORI", "FALCON",
                         "OASIS", "BARSHA", "QASR", "AMAL", "BARAKA", "DANA", "HAYAT", "JAWHARA", "LULU", "MAJD", "RAWABI", "SHAMS", "TAJ", "WAHA"]
    static let indian = ["BHARAT", "KAVERI", "DECCAN", "SAHYADRI", "INDUS", "GANGA", "NAVKAR", "SHREE", "GANESH", "VIKRAM", "ARYAVARTA",
                         "SAI", "KRUPA", "LAXMI", "MAHAVIR", "SIDDHI", "TIRUPATI", "VISHWA", "JYOTI", "PRAGATI"]
    static let turkish = ["ASEL", "BOGAZICI", "OZKAN", "GUNES", "YILDIZ", "ANADOLU", "EKIN", "MARMARA", "KUZEY", "DOGUS", "AKDENIZ",
                          "KARADENIZ", "ERCIYES", "TOROS", "ULUDAG", "ATLAS", "DEFNE", "EGE"]
    static let cities = ["SHENZHEN", "BEIJING", "SHANGHAI", "GUANGZHOU", "HANGZHOU", "SUZHOU", "WUXI", "CHENGDU", "WUHAN", "XIAMEN",
                         "DONGGUAN", "TIANJIN", "HEFEI", "NANJING", "HONG KONG"]
    static let generic = ["TECHNOLOGY", "ELECTRONICS", "TRADING", "SEMICONDUCTOR", "MICROELECTRONICS", "COMPUTING", "SYSTEMS",
                          "INTERNATIONAL", "INFORMATION TECHNOLOGY", "SUPPLY CHAIN", "IMPORT AND EXPORT", "COMPONENTS", "DATA",
                          "INTELLIGENT EQUIPMENT", "CLOUD COMPUTING", "NETWORK", "LOGISTICS", "GENERAL TRADING", "DIGITAL", "ENGINEERING"]
    static let forms: [String: [String]] = [
        "CN": ["Co., Ltd.", "CO LTD", "CO.,LTD", "COMPANY LIMITED"], "HK": ["Limited", "LTD", "CO LIMITED"],
        "SG": ["Pte. Ltd.", "PTE LTD"], "MY": ["Sdn. Bhd.", "SDN BHD"], "AE": ["LLC", "FZE", "FZCO", "L.L.C."],
        "RU": ["OOO", "LLC", "JSC"], "TR": ["A.S.", "LTD STI"], "IN": ["Pvt. Ltd.", "PRIVATE LIMITED"], "US": ["Inc.", "LLC", "Corp."],
    ]
    static let countries = ["CN", "CN", "CN", "CN", "HK", "HK", "SG", "MY", "AE", "RU", "TR", "IN", "US"]

    /// Syllables of made-up distinctive words, by the kind of name: real firm names are mostly unique words.
    static let syllables: [String: [String]] = [
        "RU": ["KRA", "SNO", "TEL", "VOL", "GRA", "DOR", "MIR", "RAD", "SLAV", "ZOR", "BOR", "LES", "NOV", "PET", "ROS", "TEK", "PROM",
               "STROY", "SNAB", "KOM", "TORG", "ENER", "GO", "LIT", "MAR", "VIT", "ZEM", "KAM", "SOK", "VED"],
        "AE": ["AL", "BA", "DAR", "FA", "HA", "JA", "KA", "MA", "NA", "QA", "RA", "SA", "TA", "WA", "ZA", "RIM", "NUR", "SAL", "HAM",
               "KAR", "LIL", "MIR", "SHA", "ZIN", "BAS", "DIL", "FAR", "HUR", "JIB", "LAT"],
        "IN": ["AR", "BHA", "CHA", "DEV", "GAN", "HAR", "JAY", "KAR", "LAK", "MAN", "NAV", "PRA", "RAJ", "SAN", "SHI", "TAR", "VAS",
               "VIJ", "YAS", "KRI", "MOH", "NIR", "PUR", "RAM", "SUR"],
        "TR": ["AK", "BAY", "CAN", "DER", "ER", "GUL", "HAN", "KAR", "KOC", "MER", "OZ", "SEN", "TAS", "TUR", "UN", "YAL", "YIL", "ZEY",
               "BIR", "DEM", "ES", "KUR", "SAR", "TEK"],
        "XX": ["AR", "BEL", "COR", "DYN", "EX", "FLO", "GEN", "HEX", "ION", "JUV", "KYN", "LUX", "MAX", "NEX", "OPT", "PLX", "QUI",
               "REV", "SYN", "TRI", "UNO", "VAL", "WEX", "XEN", "YOR", "ZYN"],
    ]

    /// A firm name of the country's kind: [city] distinctive word(s) generic word(s) legal form.
    static func firm(_ r: inout Generator, country: String) -> String {
        var words: [String] = []
        func pseudo(_ kind: String) -> String {
            let s = syllables[kind] ?? syllables["XX"]!
            return (0..<(2 + r.below(2))).map { _ in r.pick(s) }.joined()
        }
        switch country {
        case "CN":
            if r.chance(60) { words.append(r.pick(cities)) }
            words.append(r.pick(pinyin) + r.pick(pinyin))
            if r.chance(30) { words.append(r.pick(pinyin) + r.pick(pinyin)) }
        case "HK":
            words.append(r.chance(50) ? r.pick(pinyin) + r.pick(pinyin) : r.pick(latin) + r.pick(latinEnd))
            if r.chance(60) { words.append(pseudo("XX")) }
        case "RU": if r.chance(60) { words.append(r.pick(slavic)) }; words.append(pseudo("RU"))
        case "AE": if r.chance(60) { words.append(r.chance(50) ? "AL " + r.pick(arabic) : r.pick(arabic)) }; words.append(pseudo("AE"))
        case "IN": if r.chance(60) { words.append(r.pick(indian)) }; words.append(pseudo("IN"))
        case "TR": if r.chance(60) { words.append(r.pick(turkish)) }; words.append(pseudo("TR"))
        default: if r.chance(50) { words.append(r.pick(latin) + r.pick(latinEnd)) }; words.append(pseudo("XX"))
        }
        words.append(r.pick(generic))
        if r.chance(40) { words.append(r.pick(generic)) }
        words.append(r.pick(forms[country] ?? ["LTD"]))
        return words.joined(separator: " ")
    }

    /// A list name as a bill of lading might write it: upper case, another legal form, an abbreviation, the
    /// city dropped, a typo in a long word, or cut at 35 characters.
    static func variant(_ r: inout Generator, of name: String, country: String) -> String {
        var w = name.uppercased().split(separator: " ").map(String.init)
        let f = (forms[country] ?? ["LTD"]).map { $0.uppercased() }
        if let last = w.last, f.contains(where: { $0.hasSuffix(last) }) {
            w.removeLast(f.first { $0.hasSuffix(last) }!.split(separator: " ").count)
        }
        let abbreviations = ["TECHNOLOGY": "TECH", "INTERNATIONAL": "INTL", "ELECTRONICS": "ELEC", "TRADING": "TRDG",
                             "ENGINEERING": "ENGG", "SYSTEMS": "SYS", "GENERAL": "GEN", "INFORMATION": "INFO", "AND": "&"]
        switch r.below(5) {
        case 0: w = w.map { r.chance(50) ? abbreviations[$0] ?? $0 : $0 }
        case 1:
            // The city moved behind the name or dropped; else two generic words swapped.
            if w.count > 2, cities.contains(w[0]) {
                let city = w.removeFirst()
                if r.chance(50) { w.append("(\(city))") }
            } else if w.count >= 3 {
                w.swapAt(w.count - 1, w.count - 2)
            }
        case 2:
            // A typo in the longest word: two neighbours swapped, or a letter dropped.
            if let k = w.indices.max(by: { w[$0].count < w[$1].count }), w[k].count >= 9 {
                var c = Array(w[k]); let i = 2 + r.below(c.count - 4)
                if r.chance(50) { c.swapAt(i, i + 1) } else { c.remove(at: i) }
                w[k] = String(c)
            }
        case 3: w = w.map { $0 == "AND" ? "&" : $0 }
        default: break
        }
        var s = (w + [r.pick(f)]).joined(separator: r.chance(20) ? "  " : " ")
        if r.chance(25) && s.count > 35 { s = String(s.prefix(35)) }
        return s
    }

    static func run(list n: Int, parties m: Int, seed: UInt64, threads: Int, showMisses: Int = 0) -> [String: Any] {
        var r = Generator(state: seed)
        var list: [MatchCandidate] = []
        list.reserveCapacity(n)
        for i in 0..<n {
            let c = r.pick(countries)
            list.append(MatchCandidate(id: String(format: "L%06d", i), name: firm(&r, country: c), country: CountryCode(c)))
        }
        var parties: [MatchCandidate] = []
        parties.reserveCapacity(m)
        var truth = Set<String>()
        for i in 0..<m {
            let id = String(format: "P%07d", i)
            if r.chance(2) {
                let e = list[r.below(n)]
                let c = e.country!.code
                parties.append(MatchCandidate(id: id, name: variant(&r, of: e.name, country: c), country: r.chance(20) ? nil : e.country))
                truth.insert(e.id + "|" + id)
            } else {
                let c = r.pick(countries)
                parties.append(MatchCandidate(id: id, name: r.chance(1) ? r.pick(["TO ORDER", "SAME AS CONSIGNEE", ""]) : firm(&r, country: c),
                                              country: CountryCode(c)))
            }
        }
        let t = Date()
        let report = NameMatcher().matchReport(list, against: parties, threads: threads)
        let seconds = Date().timeIntervalSince(t)
        let proposed = Set(report.matches.map { $0.listID + "|" + $0.partyID })
        let found = truth.filter(proposed.contains).count
        // With --show-misses N: the first N variants not proposed, with their pairwise score, on stderr.
        let byID = Dictionary(uniqueKeysWithValues: (list + parties).map { ($0.id, $0) })
        for t in truth.subtracting(proposed).sorted().prefix(showMisses) {
            let ids = t.split(separator: "|").map(String.init)
            let m = NameMatcher().compare(byID[ids[0]]!, byID[ids[1]]!)
            FileHandle.standardError.write(Data("missed \(String(format: "%.3f", m.score)) \(m.matchedName) | \(m.partyName): \(m.evidence.joined(separator: "; "))\n".utf8))
        }
        return ["stage": "match", "list": n, "parties": m, "threads": threads, "seconds": seconds,
                "candidate_pairs": report.candidatePairs, "matches": report.matches.count,
                "true_variants": truth.count, "found": found]
    }
}
