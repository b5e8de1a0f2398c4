import Dispatch
import Foundation

extension NameMatcher {
    /// NB: a blocking key held by more names than this says little about identity (ELEC…, SHEN…, TRAD…): it
    /// is skipped, so that a list name meets at most a few hundred parties per key and the cost grows with the
    /// number of names, not with their product. A name whose every key is that common falls back on the parties
    /// that hold two of its three rarest keys.
    static let blockingCap = 200

    /// Every pair (list entry, party) scoring at or above the threshold, found through blocking (never all
    /// pairs), on `threads` threads, in a deterministic order (listID, then partyID).
    ///
    /// - Complexity: O((*L* + *P*) × *k*) to prepare and index, *k* the keys of a name, plus one comparison per
    ///   candidate pair: at most *k* × ``blockingCap`` per list name.
    public func match(_ list: [MatchCandidate], against parties: [MatchCandidate], threads: Int = 2) -> [ProposedMatch] {
        matchReport(list, against: parties, threads: threads).matches
    }

    /// ``match(_:against:threads:)`` with the number of candidate pairs blocking put forward.
    public func matchReport(_ list: [MatchCandidate], against parties: [MatchCandidate], threads: Int = 2) -> MatchReport {
        let pl = prepare(list, threads: threads), pp = prepare(parties, threads: threads)
        let index = BlockingIndex(pp)
        let chunks = chunked(list.count, threads: threads)
        let results = Slots<([ProposedMatch], Int)>(count: chunks.count)
        forEachChunk(chunks.count, threads: threads) { c in
            var out: [ProposedMatch] = []
            var pairs = 0
            var stamp = [Int32](repeating: -1, count: parties.count)
            var found: [Int32] = []
            for e in chunks[c] {
                index.candidates(for: pl[e], marker: Int32(e), stamp: &stamp, into: &found)
                pairs += found.count
                for p in found {
                    guard let best = bestScore(pl[e], pp[Int(p)], bound: threshold), best.score >= threshold else { continue }
                    out.append(proposal(list[e], pl[e], parties[Int(p)], pp[Int(p)]))
                }
            }
            results.set(c, (out, pairs))
        }
        var all = results.values.flatMap(\.0)
        all.sort { ($0.listID, $0.partyID) < ($1.listID, $1.partyID) }
        return MatchReport(matches: all, candidatePairs: results.values.reduce(0) { $0 + $1.1 })
    }

    /// Groups candidates that name the same firm (pairs at or above the threshold, joined transitively), for
    /// resolving free-text parties of a customs extract; each group sorted by id, groups by their first id.
    ///
    /// Every candidate is in exactly one group; placeholders ("TO ORDER", "SAME AS CONSIGNEE", blank) are
    /// always alone in theirs.
    ///
    /// - Complexity: as ``match(_:against:threads:)`` with the candidates on both sides, plus near-linear
    ///   union-find.
    public func clusters(_ candidates: [MatchCandidate], threads: Int = 2) -> [[String]] {
        let prepared = prepare(candidates, threads: threads)
        let index = BlockingIndex(prepared)
        let chunks = chunked(candidates.count, threads: threads)
        let results = Slots<[(Int32, Int32)]>(count: chunks.count)
        forEachChunk(chunks.count, threads: threads) { c in
            var edges: [(Int32, Int32)] = []
            var stamp = [Int32](repeating: -1, count: candidates.count)
            var found: [Int32] = []
            for i in chunks[c] {
                index.candidates(for: prepared[i], marker: Int32(i), stamp: &stamp, into: &found)
                for j in found where Int(j) > i {
                    if let best = bestScore(prepared[i], prepared[Int(j)], bound: threshold), best.score >= threshold { edges.append((Int32(i), j)) }
                }
            }
            results.set(c, edges)
        }
        var parent = Array(0..<Int32(candidates.count))
        func root(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        for (a, b) in results.values.joined() {
            let ra = root(a), rb = root(b)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        var groups: [Int32: [String]] = [:]
        for i in candidates.indices { groups[root(Int32(i)), default: []].append(candidates[i].id) }
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    func prepare(_ c: [MatchCandidate], threads: Int) -> [PreparedCandidate] {
        let chunks = chunked(c.count, threads: threads)
        let slots = Slots<[PreparedCandidate]>(count: chunks.count)
        let forms = self.forms
        forEachChunk(chunks.count, threads: threads) { k in
            slots.set(k, chunks[k].map { PreparedCandidate(c[$0], forms: forms) })
        }
        return slots.values.flatMap { $0 }
    }

    /// Runs `body` on every chunk index on `threads` threads (chunk *k* on thread *k* mod `threads`).
    func forEachChunk(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let workers = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for k in stride(from: w, to: count, by: workers) { body(k) }
        }
    }

    /// Ranges covering 0..<n, a few per thread so that the threads finish together.
    func chunked(_ n: Int, threads: Int) -> [Range<Int>] {
        let pieces = max(1, min(n, max(1, threads) * 8))
        return (0..<pieces).map { k in (n * k / pieces)..<(n * (k + 1) / pieces) }
    }
}

/// Per-chunk result slots for `concurrentPerform`, read back in chunk order.
final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}

/// An inverted index from blocking keys (the first four and the last four letters of each word) to the
/// candidates holding them, in compressed rows.
struct BlockingIndex: Sendable {
    var rows: [UInt64: (start: Int32, count: Int32)]
    var postings: [Int32]

    init(_ candidates: [PreparedCandidate]) {
        var counts: [UInt64: Int32] = [:]
        let keys = candidates.map(BlockingIndex.keys)
        for ks in keys { for k in ks { counts[k, default: 0] += 1 } }
        var rows: [UInt64: (start: Int32, count: Int32)] = [:]
        rows.reserveCapacity(counts.count)
        var next: Int32 = 0
        for (k, n) in counts { rows[k] = (next, 0); next += n }
        var postings = [Int32](repeating: 0, count: Int(next))
        for (i, ks) in keys.enumerated() {
            for k in ks {
                let r = rows[k]!
                postings[Int(r.start + r.count)] = Int32(i)
                rows[k]!.count += 1
            }
        }
        self.rows = rows
        self.postings = postings
    }

    /// The distinct keys of a candidate's names: the letters of each word's first four, sorted ("<" marks
    /// them), and for words of six letters or more those of its last four (">"), so that a misspelling at one
    /// end, or two letters swapped, still meets (CHANGLING and CHNAGLING share ACHN).
    static func keys(_ c: PreparedCandidate) -> [UInt64] {
        var out = Set<UInt64>()
        for n in c.names {
            for t in n.tokens {
                let b = t.bytes
                if !t.isASCII { out.insert(fnv1a(b, seed: 0x3c)); continue }
                out.insert(fnv1a(b.prefix(4).sorted(), seed: 0x3c))
                if b.count >= 6 { out.insert(fnv1a(b.suffix(4).sorted(), seed: 0x3e)) }
            }
        }
        return out.sorted()
    }

    /// The candidates sharing a usable key with `c`, each once, in index order; `stamp` (one slot per indexed
    /// candidate) and `marker` keep them distinct without clearing.
    func candidates(for c: PreparedCandidate, marker: Int32, stamp: inout [Int32], into found: inout [Int32]) {
        found.removeAll(keepingCapacity: true)
        // NB: ties between keys are broken by the key, never by a row's place in `postings`, which follows a
        // dictionary's order and so changes from run to run.
        let present = BlockingIndex.keys(c).compactMap { k in rows[k].map { (key: k, start: $0.start, count: $0.count) } }
        let usable = present.filter { $0.count <= NameMatcher.blockingCap }
        if !usable.isEmpty {
            for r in usable {
                for p in postings[Int(r.start)..<Int(r.start + r.count)] where stamp[Int(p)] != marker {
                    stamp[Int(p)] = marker
                    found.append(p)
                }
            }
        } else if present.count >= 2 {
            // Every key is common: the parties holding two of the three rarest (so one word may be missing or
            // misspelt). Rows list their candidates in increasing order, so each pair is a merge.
            // An intersection as common as a skipped key is skipped too.
            let rare = Array(present.sorted { ($0.count, $0.key) < ($1.count, $1.key) }.prefix(3))
            var both: [Int32] = []
            for x in 0..<(rare.count - 1) {
                for y in (x + 1)..<rare.count {
                    let p = postings[Int(rare[x].start)..<Int(rare[x].start + rare[x].count)]
                    let q = postings[Int(rare[y].start)..<Int(rare[y].start + rare[y].count)]
                    var i = p.startIndex, k = q.startIndex
                    both.removeAll(keepingCapacity: true)
                    while i < p.endIndex && k < q.endIndex && both.count <= NameMatcher.blockingCap {
                        if p[i] < q[k] { i += 1 } else if p[i] > q[k] { k += 1 } else { both.append(p[i]); i += 1; k += 1 }
                    }
                    if both.count > NameMatcher.blockingCap { continue }
                    for c in both where stamp[Int(c)] != marker { stamp[Int(c)] = marker; found.append(c) }
                }
            }
        } else if let r = present.first, r.count <= 4 * NameMatcher.blockingCap {
            for p in postings[Int(r.start)..<Int(r.start + r.count)] where stamp[Int(p)] != marker {
                stamp[Int(p)] = marker
                found.append(p)
            }
        }
        found.sort()
    }
}
