/// Parses a decimal number from ASCII bytes: `12`, `-3.5`, `1e6`, `0.25`. Rejects `nan`, `inf`, hex,
/// thousands separators and surrounding spaces, which a data file should not contain.
///
/// - Complexity: O(n) in the length of the text.
@inline(__always)
public func parseDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = b.count
    if n == 0 { return nil }
    var i = 0
    var negative = false
    if b[0] == 0x2D { negative = true; i = 1 } else if b[0] == 0x2B { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var fractionDigits = 0
    var sawDot = false
    var simple = true
    while i < n {
        let c = b[i]
        if c >= 0x30 && c <= 0x39 {
            if digits < 18 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                if sawDot { fractionDigits += 1 }
            } else {
                simple = false
            }
            digits += 1
        } else if c == 0x2E && !sawDot {
            sawDot = true
        } else if c == 0x65 || c == 0x45 {
            simple = false
            break
        } else {
            return nil
        }
        i += 1
    }
    if digits == 0 { return nil }
    if simple && !sawDot {
        // A whole number of at most 18 digits: exact below 2^53, rounded once above.
        let v = Double(mantissa)
        return negative ? -v : v
    }
    if simple && fractionDigits <= 22 {
        // NB: exact for up to 15-16 significant digits because both operands are exactly representable.
        let powers: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                                1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
        if mantissa < (1 << 53) {
            let v = Double(mantissa) / powers[fractionDigits]
            return negative ? -v : v
        }
    }
    // Exponents and very long numbers take the general route.
    let text = String(decoding: b, as: UTF8.self)
    for c in text.utf8 where !(c >= 0x30 && c <= 0x39) && c != 0x2E && c != 0x2D && c != 0x2B && c != 0x65 && c != 0x45 {
        return nil
    }
    guard let v = Double(text), v.isFinite else { return nil }
    return v
}

public func parseDecimal(_ s: String) -> Double? {
    var s = s
    return s.withUTF8 { parseDecimal($0) }
}
