#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DiversionGraph

/// A licence number or a document reference, kept as a number until it is written.
enum DocumentCode: Equatable {
    case none
    /// `NLR`: no licence required, as declared by the shipper.
    case noLicenceRequired
    /// `D` and seven digits: a (fictional) BIS licence number.
    case licence(Int)
    /// `BL` and ten digits.
    case billOfLading(Int)
    /// `INV` and eight digits.
    case invoice(Int)
}

/// One CSV table written through a large byte buffer: the header from ``GraphTable/fields``, then rows.
///
/// The shipments table of a big world is hundreds of megabytes, so rows are formatted straight into bytes
/// (no `String` per cell). Callers reserve room for a row with ``ensureRoom(_:)`` and then append.
final class CSVFile {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0

    convenience init(folder: String, table: GraphTable) throws {
        try self.init(path: folder + "/" + table.fileName, capacity: 1 << 20)
        ensureRoom(1024)
        for (k, field) in table.fields.enumerated() {
            if k > 0 { comma() }
            ascii(field)
        }
        newline()
    }

    /// A file of rows without a header (a part of a table written in pieces), with a buffer of `capacity`
    /// bytes (at least 64 KiB).
    init(path: String, capacity: Int) throws {
        precondition(capacity >= 1 << 16)
        self.path = path
        self.capacity = capacity
        guard let f = fopen(path, "wb") else { throw WorldGenerationError("\(path): cannot be written") }
        file = f
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        if let file { fclose(file) }
        buffer.deallocate()
    }

    /// Makes room for `n` more bytes (n ≤ 64 KiB).
    @inline(__always)
    func ensureRoom(_ n: Int) {
        if count + n > capacity { flush() }
    }

    private func flush() {
        guard count > 0, let file else { return }
        _ = fwrite(buffer, 1, count, file)
        count = 0
    }

    func close() throws {
        flush()
        guard let f = file else { return }
        file = nil
        if ferror(f) != 0 || fclose(f) != 0 { throw WorldGenerationError("\(path): could not be written completely") }
    }

    @inline(__always) func byte(_ b: UInt8) { buffer[count] = b; count += 1 }
    @inline(__always) func comma() { byte(0x2C) }
    @inline(__always) func newline() { byte(0x0A) }

    @inline(__always)
    func bytes(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { p in
            (buffer + count).update(from: p.baseAddress!, count: p.count)
            count += p.count
        }
    }

    @inline(__always)
    func bytes(_ p: UnsafeBufferPointer<UInt8>) {
        (buffer + count).update(from: p.baseAddress!, count: p.count)
        count += p.count
    }

    /// Text known to need no quoting.
    func ascii(_ s: String) {
        for c in s.utf8 { byte(c) }
    }

    /// A text cell, quoted (RFC 4180) when it holds a comma, a quote or a line break.
    func text(_ s: String) { textBytes(Array(s.utf8)) }

    func textBytes(_ a: [UInt8]) {
        if a.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            byte(0x22)
            for c in a {
                if c == 0x22 { byte(0x22) }
                byte(c)
            }
            byte(0x22)
        } else {
            bytes(a)
        }
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    func int(_ v: Int) {
        precondition(v >= 0)
        var digits = 1, t = v
        while t >= 10 { t /= 10; digits += 1 }
        padded(v, width: digits)
    }

    /// A non-negative integer in exactly `width` digits, zero-padded.
    @inline(__always)
    func padded(_ v: Int, width: Int) {
        var x = v
        var k = count + width - 1
        while k >= count {
            buffer[k] = UInt8(truncatingIfNeeded: 0x30 + x % 10)
            x /= 10
            k -= 1
        }
        count += width
    }

    /// A decimal number with up to two places: `1`, `0.6`, `0.35`.
    func hundredths(_ v: Int) {
        int(v / 100)
        let frac = v % 100
        if frac == 0 { return }
        byte(0x2E)
        byte(UInt8(0x30 + frac / 10))
        if frac % 10 != 0 { byte(UInt8(0x30 + frac % 10)) }
    }

    func day(_ d: Int32?) {
        if let d { ascii(Day(rawValue: d).description) }
    }

    func double(_ v: Double?) {
        guard let v else { return }
        ascii(formatDecimal(v))
    }

    func code(_ c: DocumentCode) {
        switch c {
        case .none: break
        case .noLicenceRequired: byte(0x4E); byte(0x4C); byte(0x52)
        case .licence(let n): byte(0x44); padded(n, width: 7)
        case .billOfLading(let n): byte(0x42); byte(0x4C); padded(n, width: 10)
        case .invoice(let n): byte(0x49); byte(0x4E); byte(0x56); padded(n, width: 8)
        }
    }
}
