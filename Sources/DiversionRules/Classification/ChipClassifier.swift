import DiversionGraph

/// The performance figures of a chip, as the interchange format gives them.
public struct ChipFigures: Sendable, Hashable, Codable {
    public var tpp: Double?
    public var tops: Double?
    public var bitLength: Double?
    public var dieAreaMM2: Double?
    public var interconnectGBps: Double?

    public init(tpp: Double? = nil, tops: Double? = nil, bitLength: Double? = nil, dieAreaMM2: Double? = nil,
                interconnectGBps: Double? = nil) {
        self.tpp = tpp; self.tops = tops; self.bitLength = bitLength; self.dieAreaMM2 = dieAreaMM2
        self.interconnectGBps = interconnectGBps
    }

    public init(_ item: Item) {
        self.init(tpp: item.tpp, tops: item.tops, bitLength: item.bitLength, dieAreaMM2: item.dieAreaMM2,
                  interconnectGBps: item.interconnectGBps)
    }

    /// Total Processing Performance: given, or TOPS × bit length.
    public var totalProcessingPerformance: Double? {
        if let tpp { return tpp }
        if let tops, let bitLength { return tops * bitLength }
        return nil
    }

    /// Performance density: TPP ÷ applicable die area.
    public var performanceDensity: Double? {
        guard let t = totalProcessingPerformance, let a = dieAreaMM2, a > 0 else { return nil }
        return t / a
    }

    public var hasFigures: Bool { totalProcessingPerformance != nil }
}

/// The outcome of the 3A090 test for one chip under one rule version.
public struct ChipClassification: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case a = "3A090.a"
        case b = "3A090.b"
        case notControlled = "not 3A090"
        case undetermined
        case noTest = "no 3A090 test"
    }
    public var outcome: Outcome
    public var tpp: Double?
    public var performanceDensity: Double?
    public var test: String?
    public var ruleVersion: String
    /// One line per clause tested, with the numbers.
    public var steps: [String]

    /// The ECCN the figures give, if any.
    public var eccn: String? {
        switch outcome {
        case .a: return "3A090.a"
        case .b: return "3A090.b"
        default: return nil
        }
    }
}

/// Classifies chips against the 3A090 test of a rule version (15 CFR 774 Supp. 1, ECCN 3A090).
public enum ChipClassifier {
    public static func classify(_ f: ChipFigures, under version: RuleVersion) -> ChipClassification {
        let tpp = f.totalProcessingPerformance
        let pd = f.performanceDensity
        var steps: [String] = []
        if let t = tpp {
            if f.tpp == nil, let tops = f.tops, let bits = f.bitLength {
                steps.append("TPP = \(fmt(tops)) TOPS × \(fmt(bits)) bits = \(fmt(t))")
            } else {
                steps.append("TPP = \(fmt(t)) (given)")
            }
        }
        if let pd, let a = f.dieAreaMM2, let t = tpp { steps.append("performance density = \(fmt(t)) ÷ \(fmt(a)) mm² = \(fmt2(pd))") }
        guard let test = version.chipTest else {
            steps.append("no 3A090 test in the rules of \(version.id): ECCN 3A090 took effect on 2022-10-07")
            return ChipClassification(outcome: .noTest, tpp: tpp, performanceDensity: pd, test: nil,
                                      ruleVersion: version.id, steps: steps)
        }
        guard let t = tpp else {
            steps.append("no TPP given (tpp, or tops and bit_length): the \(test.name) cannot be applied")
            return ChipClassification(outcome: .undetermined, tpp: nil, performanceDensity: pd, test: test.name,
                                      ruleVersion: version.id, steps: steps)
        }
        var missing: Set<String> = []
        func evaluate(_ clause: ChipClause, _ label: String) -> Bool? {
            var parts: [String] = []
            var holds = true
            var known = true
            if let m = clause.tppMin { parts.append("TPP \(fmt(t)) ≥ \(fmt(m))"); holds = holds && t >= m }
            if let m = clause.tppBelow { parts.append("TPP \(fmt(t)) < \(fmt(m))"); holds = holds && t < m }
            if clause.densityMin != nil || clause.densityBelow != nil {
                if let d = pd {
                    if let m = clause.densityMin { parts.append("PD \(fmt2(d)) ≥ \(fmt2(m))"); holds = holds && d >= m }
                    if let m = clause.densityBelow { parts.append("PD \(fmt2(d)) < \(fmt2(m))"); holds = holds && d < m }
                } else { known = false; missing.insert("die_area_mm2") }
            }
            if let m = clause.interconnectMin {
                if let i = f.interconnectGBps {
                    parts.append("interconnect \(fmt(i)) GB/s ≥ \(fmt(m))"); holds = holds && i >= m
                } else { known = false; missing.insert("interconnect_gbps") }
            }
            if !known && holds {
                steps.append("\(label): \(parts.joined(separator: " and ")) — cannot be decided without \(missing.sorted().joined(separator: ", "))")
                return nil
            }
            steps.append("\(label): \(parts.joined(separator: " and ")) — \(holds ? "met" : "not met")")
            return holds
        }
        var undecided = false
        for (i, c) in test.a.enumerated() {
            switch evaluate(c, "3A090.a test \(i + 1)") {
            case true?: return ChipClassification(outcome: .a, tpp: t, performanceDensity: pd, test: test.name, ruleVersion: version.id, steps: steps)
            case nil: undecided = true
            default: break
            }
        }
        for (i, c) in test.b.enumerated() {
            switch evaluate(c, "3A090.b test \(i + 1)") {
            case true?: return ChipClassification(outcome: .b, tpp: t, performanceDensity: pd, test: test.name, ruleVersion: version.id, steps: steps)
            case nil: undecided = true
            default: break
            }
        }
        if undecided {
            return ChipClassification(outcome: .undetermined, tpp: t, performanceDensity: pd, test: test.name,
                                      ruleVersion: version.id, steps: steps)
        }
        steps.append("no 3A090 test is met under the \(test.name): the chip is not 3A090 by its figures")
        return ChipClassification(outcome: .notControlled, tpp: t, performanceDensity: pd, test: test.name,
                                  ruleVersion: version.id, steps: steps)
    }
}

func fmt(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 {
        let s = String(Int64(v))
        guard s.count > 3 else { return s }
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
    return formatDecimal((v * 100).rounded() / 100)
}

func fmt2(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    var s = formatDecimal(r)
    if !s.contains(".") { s += ".00" } else if s.split(separator: ".")[1].count == 1 { s += "0" }
    return s
}

func percent(_ v: Double) -> String {
    let r = (v * 1000).rounded() / 10
    return formatDecimal(r) + "%"
}
