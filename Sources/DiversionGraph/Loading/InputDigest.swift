#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A content digest of a graph file or CSV folder, to tell whether an input changed between imports and
/// to record which input a run analysed. Not cryptographic: two independent 64-bit hashes of the bytes.
public enum InputDigest {
    public static func of(path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "missing" }
        var h = Hasher128()
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
            for name in names {
                h.add(Array(name.utf8))
                h.addFile("\(path)/\(name)")
            }
        } else {
            h.addFile(path)
        }
        return h.hex
    }

    public static func of(bytes: [UInt8]) -> String {
        var h = Hasher128()
        h.add(bytes)
        return h.hex
    }
}

struct Hasher128 {
    var a: UInt64 = 0x9E3779B97F4A7C15
    var b: UInt64 = 0xC2B2AE3D27D4EB4F
    var length: UInt64 = 0

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            a = (a ^ w) &* 0x100000001B3
            a ^= a >> 32
            b = (b &+ w) &* 0xFF51AFD7ED558CCD
            b ^= b >> 29
            i += 8
        }
        while i < n {
            a = (a ^ UInt64(bytes[i])) &* 0x100000001B3
            b = (b &+ UInt64(bytes[i])) &* 0xC4CEB9FE1A85EC53
            i += 1
        }
        length &+= UInt64(n)
    }

    mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { add($0) } }

    mutating func addFile(_ path: String) {
        guard let f = fopen(path, "rb") else { return }
        defer { fclose(f) }
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
        defer { chunk.deallocate() }
        while true {
            let n = fread(chunk.baseAddress, 1, chunk.count, f)
            if n == 0 { break }
            add(UnsafeBufferPointer(rebasing: chunk[0..<n]))
        }
    }

    var hex: String {
        func h(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return h(a ^ length) + h(b)
    }
}
