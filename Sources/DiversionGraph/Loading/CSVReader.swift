#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over a file: one record at a time, never the whole text in memory.
///
/// Fields are kept as UTF-8 bytes in one reused buffer; callers turn only the fields they need into
/// values. Line numbers are physical lines (a quoted field may span several), so messages point at the
/// line an editor shows.
///
/// - Complexity: O(n) in the size of the file; memory is one read chunk plus the longest record.
public final class CSVReader {
    public enum Problem: Error, Sendable, Equatable {
        case cannotOpen(String)
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)
        case invalidUTF8(line: Int)
    }

    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var chunk: UnsafeMutableBufferPointer<UInt8>
    private var chunkCount = 0
    private var chunkPosition = 0
    private var isAtEOF = false

    /// The bytes of the current record's fields, back to back.
    public private(set) var bytes: [UInt8] = []
    /// End offsets in `bytes` of each field of the current record.
    public private(set) var ends: [Int] = []
    /// The physical line the current record starts on (1-based).
    public private(set) var line = 0
    private var nextLine = 1

    /// Bytes consumed so far, for progress displays.
    public private(set) var bytesRead: Int64 = 0
    /// The file's size in bytes, when the system can tell.
    public let fileSize: Int64?

    public init(path: String, chunkSize: Int = 1 << 20) throws {
        guard let f = fopen(path, "rb") else { throw Problem.cannotOpen(path) }
        self.path = path
        self.file = f
        self.chunk = .allocate(capacity: chunkSize)
        var st = stat()
        fileSize = stat(path, &st) == 0 ? Int64(st.st_size) : nil
        bytes.reserveCapacity(1024)
        ends.reserveCapacity(16)
    }

    deinit {
        fclose(file)
        chunk.deallocate()
    }

    @inline(__always)
    private func nextByte() -> UInt8? {
        if chunkPosition == chunkCount {
            if isAtEOF { return nil }
            chunkCount = fread(chunk.baseAddress, 1, chunk.count, file)
            chunkPosition = 0
            if chunkCount == 0 { isAtEOF = true; return nil }
        }
        let b = chunk[chunkPosition]
        chunkPosition &+= 1
        bytesRead &+= 1
        return b
    }

    @inline(__always)
    private func peekByte() -> UInt8? {
        if chunkPosition == chunkCount {
            if isAtEOF { return nil }
            chunkCount = fread(chunk.baseAddress, 1, chunk.count, file)
            chunkPosition = 0
            if chunkCount == 0 { isAtEOF = true; return nil }
        }
        return chunk[chunkPosition]
    }

    /// Reads the next record; `false` at the end of the file. Blank lines are skipped.
    public func next() throws -> Bool {
        while true {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            line = nextLine
            guard var b = nextByte() else { return false }
            // Skip a UTF-8 byte-order mark at the very start.
            if line == 1 && bytesRead == 1 && b == 0xEF {
                if peekByte() == 0xBB { _ = nextByte(); if peekByte() == 0xBF { _ = nextByte() } }
                guard let c = nextByte() else { return false }
                b = c
            }
            if b == 0x0A { nextLine += 1; continue }
            if b == 0x0D { if peekByte() == 0x0A { _ = nextByte() }; nextLine += 1; continue }
            if b != 0x22, try readSimpleRecord(startingWith: b) { return true }
            try readRecord(startingWith: b)
            return true
        }
    }

    /// The fast path: a record that lies wholly in the current chunk and has no quotes is copied in one go and
    /// split at its commas. Returns false (having consumed nothing) when the record needs the general reader.
    private func readSimpleRecord(startingWith first: UInt8) throws -> Bool {
        let start = chunkPosition - 1  // `first` was just consumed
        guard let base = chunk.baseAddress else { return false }
        var i = chunkPosition
        let end = chunkCount
        while i < end {
            let c = base[i]
            if c == 0x0A { break }
            if c == 0x22 { return false }
            i += 1
        }
        guard i < end else { return false }  // the line runs past this chunk
        var lineEnd = i
        if lineEnd > start && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var fieldStart = start
        var k = start
        while k < lineEnd {
            if base[k] == 0x2C {
                bytes.append(contentsOf: UnsafeBufferPointer(start: base + fieldStart, count: k - fieldStart))
                ends.append(bytes.count)
                fieldStart = k + 1
            }
            k += 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(start: base + fieldStart, count: lineEnd - fieldStart))
        ends.append(bytes.count)
        bytesRead &+= Int64(i + 1 - chunkPosition)
        chunkPosition = i + 1
        nextLine += 1
        if !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { throw Problem.invalidUTF8(line: line) }
        return true
    }

    private func readRecord(startingWith first: UInt8) throws {
        var current: UInt8? = first
        fieldLoop: while true {
            // At the start of a field.
            if current == 0x22 {
                // Quoted field.
                while true {
                    guard let c = nextByte() else { throw Problem.unterminatedQuote(line: line) }
                    if c == 0x22 {
                        if peekByte() == 0x22 { _ = nextByte(); bytes.append(0x22); continue }
                        break
                    }
                    if c == 0x0A { nextLine += 1 }
                    bytes.append(c)
                }
                ends.append(bytes.count)
                let after = nextByte()
                switch after {
                case nil: break fieldLoop
                case 0x2C: current = nextByte(); if current == nil { ends.append(bytes.count); break fieldLoop }
                    if current == 0x0A || current == 0x0D { ends.append(bytes.count); endLine(current!); break fieldLoop }
                    continue fieldLoop
                case 0x0A, 0x0D: endLine(after!); break fieldLoop
                default: throw Problem.textAfterQuote(line: line)
                }
            }
            // Unquoted field.
            var c = current
            while let ch = c, ch != 0x2C, ch != 0x0A, ch != 0x0D {
                bytes.append(ch)
                c = nextByte()
            }
            ends.append(bytes.count)
            guard let stop = c else { break fieldLoop }
            if stop == 0x2C {
                current = nextByte()
                if current == nil { ends.append(bytes.count); break fieldLoop }
                if current == 0x0A || current == 0x0D { ends.append(bytes.count); endLine(current!); break fieldLoop }
                continue fieldLoop
            }
            endLine(stop)
            break fieldLoop
        }
        // NB: one validation pass per record keeps invalid text out of every String we make later.
        if !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { throw Problem.invalidUTF8(line: line) }
    }

    @inline(__always)
    private func endLine(_ b: UInt8) {
        if b == 0x0D, peekByte() == 0x0A { _ = nextByte() }
        nextLine += 1
    }

    public var fieldCount: Int { ends.count }

    @inline(__always)
    private func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Whether field `i` is empty ("not known").
    @inline(__always)
    public func isEmpty(_ i: Int) -> Bool { range(i).isEmpty }

    /// The text of field `i`.
    public func string(_ i: Int) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with the raw bytes of field `i`.
    @inline(__always)
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }
}
