/// A small, fast, seeded generator (xoshiro256** seeded through SplitMix64).
///
/// Worlds must be byte-identical for a seed on every platform and Swift version, so the generator and
/// every helper below are our own: no `SystemRandomNumberGenerator`, no `Double.random(in:)` (whose
/// algorithm the standard library may change).
///
///     var r = SeededRandom(seed: 42, stream: 3)
///     let die = r.below(6) + 1
struct SeededRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator for one purpose (`stream`) of one world (`seed`): streams are independent, so adding
    /// draws to one part of the generator does not shift the others.
    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<n` (multiply-high; the bias is below 2⁻³² for our sizes).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)`.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A rank in `0..<n` drawn from a power law: `P(rank < r) = (r / n)^(1 / power)`.
    ///
    /// With `power` 4 the first 1% of ranks take about 32% of the draws, which gives the few very busy
    /// shippers of real trade data without a table per pool.
    @inline(__always)
    mutating func skewedRank(_ n: Int, power: Int) -> Int {
        let u = unit()
        var p = u
        for _ in 1..<max(power, 1) { p *= u }
        return min(Int(p * Double(n)), n - 1)
    }

    /// A roughly log-uniform integer in `low...high`: an octave `[low·2^k, low·2^(k+1))` is drawn uniformly,
    /// then a value within it. (No `pow`: libm results may differ across platforms, and worlds must not.)
    @inline(__always)
    mutating func logUniform(_ low: Int, _ high: Int) -> Int {
        precondition(low >= 1 && high >= low)
        var octaves = 1, top = low * 2
        while top <= high { top *= 2; octaves += 1 }
        let start = low << below(octaves)
        let end = min(start * 2 - 1, high)
        return int(in: start...end)
    }

    /// An element of a non-empty array.
    @inline(__always)
    mutating func element<T>(_ a: [T]) -> T { a[below(a.count)] }

    /// Fisher–Yates shuffle.
    mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
        }
    }
}

/// Cumulative weights for drawing an index with given relative weights.
struct WeightedChoice {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 })
        var acc = 0.0
        cumulative = weights.map { acc += $0; return acc }
        precondition(acc > 0, "weights sum to zero")
    }

    @inline(__always)
    func pick(_ r: inout SeededRandom) -> Int {
        let x = r.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
