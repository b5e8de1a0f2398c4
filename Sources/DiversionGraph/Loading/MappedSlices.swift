#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Maps a CSV file, cuts its body into slices at line ends and parses the slices on several threads.
enum MappedSlices {
    /// The result of `parse` for each slice, in file order, or `nil` when the file cannot be mapped or any
    /// slice throws (the other workers stop at their next slice).
    ///
    /// - Parameters:
    ///   - bodyStart: byte offset of the first row after the header.
    ///   - progress: called with the bytes done, the rows done and the file size, one call at a time.
    static func parse<Batch>(path: String, bodyStart: Int, threads: Int, sliceSize: Int, rows: (Batch) -> Int,
                             progress: ((Int64, Int, Int64) -> Void)?,
                             _ parse: (UnsafePointer<UInt8>, Range<Int>) throws -> Batch) -> [Batch]? {
        withMapped(path: path, bodyStart: bodyStart, sliceSize: sliceSize) { file in
            file.map(threads: threads, rows: rows, progress: progress) { try parse(file.base, file.range($0)) }
        } ?? nil
    }

    /// Maps the file, cuts its body into slices at line ends and calls `body` with them; `nil` when the file
    /// cannot be mapped. The mapping lasts until `body` returns.
    static func withMapped<R>(path: String, bodyStart: Int, sliceSize: Int, _ body: (MappedFile) -> R) -> R? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let size = Int(st.st_size)
        guard size > bodyStart else {
            return body(MappedFile(base: UnsafePointer(bitPattern: 1)!, size: size, bodyStart: bodyStart, bounds: [bodyStart]))
        }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, size) }
        _ = madvise(map, size, MADV_SEQUENTIAL)
        let base = UnsafePointer(map.assumingMemoryBound(to: UInt8.self))

        // Slice boundaries: just after the first line end at or past each multiple of the slice size.
        var bounds = [bodyStart]
        var nominal = bodyStart + sliceSize
        while nominal < size {
            guard let nl = memchr(base + nominal, 0x0A, size - nominal) else { break }
            let cut = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
            if cut >= size { break }
            bounds.append(cut)
            nominal = max(cut, nominal) + sliceSize
        }
        bounds.append(size)
        return body(MappedFile(base: base, size: size, bodyStart: bodyStart, bounds: bounds))
    }

    /// The closures the workers share (each only reads what it is given).
    private struct UncheckedWork<Batch>: @unchecked Sendable {
        let parse: (Int) throws -> Batch
        let rows: (Batch) -> Int
        let progress: ((Int64, Int, Int64) -> Void)?
    }

    /// A mapped file cut into slices of whole lines.
    struct MappedFile: @unchecked Sendable {
        let base: UnsafePointer<UInt8>
        let size: Int
        let bodyStart: Int
        /// Slice `k` is the bytes `bounds[k]..<bounds[k + 1]`.
        let bounds: [Int]

        var slices: Int { bounds.count - 1 }

        func range(_ k: Int) -> Range<Int> { bounds[k]..<bounds[k + 1] }

        /// Takes the pages that lie wholly inside slice `k` out of the process (the file keeps them in the page
        /// cache), so that a file read once does not count in the process's memory.
        func release(_ k: Int) {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (bounds[k] + page - 1) & ~(page - 1), end = bounds[k + 1] & ~(page - 1)
            if end > start { _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED) }
        }

        /// `work(k)` for every slice on `threads` threads, each slice's pages released after it; the results in
        /// slice order, or `nil` when any slice throws (the other workers stop at their next slice).
        func map<Batch>(threads: Int, rows: (Batch) -> Int, progress: ((Int64, Int, Int64) -> Void)?,
                        _ work: (Int) throws -> Batch) -> [Batch]? {
            let results = SliceResults<Batch>(count: slices)
            let workers = min(max(1, threads), slices)
            guard workers > 0 else { return [] }
            withoutActuallyEscaping(work) { work in
                withoutActuallyEscaping(rows) { rows in
                    let shared = UncheckedWork(parse: work, rows: rows, progress: progress)
                    // Each worker takes the next slice nobody has taken, so that a worker slowed down does not hold
                    // the others up.
                    DispatchQueue.concurrentPerform(iterations: workers) { _ in
                        while let k = results.take(), k < slices {
                            guard let batch = try? shared.parse(k) else {
                                results.fail()
                                return
                            }
                            release(k)
                            results.set(k, batch, rows: shared.rows(batch), bytes: bounds[k + 1] - bounds[k]) { done, rows in
                                shared.progress?(Int64(bodyStart + done), rows, Int64(size))
                            }
                        }
                    }
                }
            }
            return results.failed ? nil : results.batches
        }
    }
}

/// A flag any worker thread may raise.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    func raise() { lock.lock(); raised = true; lock.unlock() }
    var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

/// The mapped file, shared read-only by the worker threads.
struct MappedBytes: @unchecked Sendable { let base: UnsafePointer<UInt8> }
/// A buffer of 32-bit integers whose disjoint parts worker threads work on.
struct MutableInt32s: @unchecked Sendable { let base: UnsafeMutableBufferPointer<Int32> }

/// Per-slice results written by worker threads, each slot by one thread.
final class SliceResults<Batch>: @unchecked Sendable {
    private var slots: [Batch?]
    private let lock = NSLock()
    private var didFail = false
    private var bytesDone = 0
    private var rowsDone = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Stores slice `i` and calls `report` with the bytes and rows done so far (under the lock, so that
    /// progress reports arrive one at a time and never go backwards).
    func set(_ i: Int, _ b: Batch, rows: Int, bytes: Int, report: (Int, Int) -> Void) {
        lock.lock()
        slots[i] = b
        bytesDone += bytes
        rowsDone += rows
        report(bytesDone, rowsDone)
        lock.unlock()
    }
    private var taken = 0

    /// The next slice no worker has taken, or `nil` once any has failed.
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !didFail else { return nil }
        taken += 1
        return taken - 1
    }

    func fail() { lock.lock(); didFail = true; lock.unlock() }
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return didFail }
    var batches: [Batch] { slots.compactMap { $0 } }
}
