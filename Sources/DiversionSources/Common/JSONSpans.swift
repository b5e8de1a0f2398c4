/// The byte ranges of the elements of a top-level array in a JSON document, so that a reader can keep each row's
/// own text. The document must already be known to be valid JSON (`JSONSerialization` parsed it).
///
/// - Complexity: O(n) in the size of the document.
enum JSONSpans {
    /// The elements of `document[key]` when `document` is an object whose `key` holds an array; `nil` otherwise.
    static func elements(of key: String, in b: [UInt8]) -> [Range<Int>]? {
        var i = 0
        let keyBytes = Array(key.utf8)
        skipSpace(b, &i)
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var found: [Range<Int>]?
        while true {
            skipSpace(b, &i)
            guard i < b.count else { return found }
            if b[i] == UInt8(ascii: "}") { return found }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            let keyStart = i
            skipString(b, &i)
            let name = Array(b[(keyStart + 1)..<max(keyStart + 1, i - 1)])
            skipSpace(b, &i)
            i += 1  // ':'
            skipSpace(b, &i)
            if name == keyBytes, i < b.count, b[i] == UInt8(ascii: "[") {
                var spans: [Range<Int>] = []
                i += 1
                while true {
                    skipSpace(b, &i)
                    guard i < b.count else { break }
                    if b[i] == UInt8(ascii: "]") { i += 1; break }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    let start = i
                    skipValue(b, &i)
                    spans.append(start..<i)
                }
                found = spans
            } else {
                skipValue(b, &i)
            }
        }
    }

    static func skipSpace(_ b: [UInt8], _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    /// Skips a string starting at its opening quote; `i` ends after the closing quote.
    static func skipString(_ b: [UInt8], _ i: inout Int) {
        i += 1
        while i < b.count {
            if b[i] == UInt8(ascii: "\\") { i += 2; continue }
            if b[i] == UInt8(ascii: "\"") { i += 1; return }
            i += 1
        }
    }

    static func skipValue(_ b: [UInt8], _ i: inout Int) {
        guard i < b.count else { return }
        switch b[i] {
        case UInt8(ascii: "\""): skipString(b, &i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { skipString(b, &i); continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1; if depth == 0 { i += 1; return } }
                i += 1
            }
        default:
            while i < b.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 }
        }
    }
}
