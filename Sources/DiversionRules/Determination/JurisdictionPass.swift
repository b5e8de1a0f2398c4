import DiversionGraph
import Foundation

/// The jurisdiction of every shipment of a graph, in one pass that reuses work.
///
/// A determination depends on the item, the destination, the rule version, whether the shipper is in the
/// United States, and what the rules see of the consignee and declared end user (their screening-list
/// entries in force, headquarters, ultimate parent's headquarters). Shipments that agree on all of these share
/// one determination, so a graph of ten million shipments needs only as many determinations as it has
/// distinct questions.
///
/// - Complexity: O(shipments) lookups plus one full determination per distinct question; split over the
///   worker threads.
public struct JurisdictionPass: Sendable {
    /// Per shipment position: subject to the EAR.
    public var isSubject: [Bool]
    /// Per shipment position: a license is required.
    public var licenseRequired: [Bool]
    /// How many distinct questions were decided in full.
    public var distinctQuestions: Int

    public static func run(graph g: ShipmentGraph, rules: RuleBook, asOf: Day? = nil, threads: Int = 2) -> JurisdictionPass {
        let engine = JurisdictionEngine(rules: rules, graph: g, explains: false, asksOpenQuestions: false)
        let n = g.shipmentCount
        let workers = max(1, threads)
        let us = CountryCode("US")!
        final class Results: @unchecked Sendable {
            var subject: [Bool]
            var license: [Bool]
            var distinct = 0
            let lock = NSLock()
            init(_ n: Int) { subject = Array(repeating: false, count: n); license = Array(repeating: false, count: n) }
        }
        let results = Results(n)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var memo: [String: (Bool, Bool)] = [:]
            var profiles: [Int64: String] = [:]
            // What the rules see of a party on a day; parties with no listings and no owners look the same
            // on every day.
            func profile(_ e: Int32?, _ day: Day) -> String {
                guard let e else { return "-" }
                let plain = g.listings(of: e).isEmpty && g.owners(of: e).isEmpty
                let key = Int64(e) << 32 | Int64(plain ? 0 : Int64(day.rawValue) & 0xFFFF_FFFF)
                if let p = profiles[key] { return p }
                // NB: the party's own country never enters a determination (the destination does); its
                // headquarters does (the headquarters rule, 734.9(h)(1)(ii)).
                var p = g.entityHeadquarters[Int(e)].code
                if !plain {
                    let f = g.facts(of: e, on: day)
                    p += "/\(f.ultimateParentHeadquarters?.code ?? "")/" + f.listings.map { "\($0.list):\($0.footnote ?? 0)" }.sorted().joined(separator: ",")
                }
                profiles[key] = p
                return p
            }
            var subject: [(Int, Bool, Bool)] = []
            subject.reserveCapacity(n / workers + 1)
            var p = w
            while p < n {
                defer { p += workers }
                var q = TransactionQuery.forShipment(at: p, in: g)
                q.recordedLicense = nil
                if let a = asOf { q.date = a }
                let version = rules.version(on: q.date).version.id
                let shipperUS = q.shipper.map { g.entityCountry[Int($0)] == us } ?? false
                let key = "\(q.item)|\(q.destination.code)|\(version)|\(shipperUS)|\(profile(q.consignee, q.date))|\(profile(q.endUser, q.date))"
                if let v = memo[key] { subject.append((p, v.0, v.1)); continue }
                let d = engine.determine(q)
                memo[key] = (d.isSubjectToEAR, d.licenseRequired)
                subject.append((p, d.isSubjectToEAR, d.licenseRequired))
            }
            results.lock.lock()
            for (p, s, l) in subject { results.subject[p] = s; results.license[p] = l }
            results.distinct += memo.count
            results.lock.unlock()
        }
        return JurisdictionPass(isSubject: results.subject, licenseRequired: results.license, distinctQuestions: results.distinct)
    }
}
