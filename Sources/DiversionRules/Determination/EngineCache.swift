import DiversionGraph
import Foundation

/// Facts about items that do not depend on the destination or the parties, computed once per engine:
/// effective ECCNs per rule version, U.S.-origin content of each bill of materials, plant routes and
/// contained plant products. Deep bills of materials make these the expensive part of a determination.
final class EngineCache: @unchecked Sendable {
    private let lock = NSLock()
    private var eccn: [String: String?] = [:]
    private var content: [Int32: [ContentPart]] = [:]
    private var plant: [String: [String]?] = [:]
    private var contained: [String: String?] = [:]

    struct ContentPart {
        var part: Int32
        var quantity: Double
        /// From the bill-of-materials line, when it gives one.
        var lineUnitValue: Double?
    }

    func eccn(_ item: Int32, _ version: String, _ make: () -> String?) -> String? {
        let key = "\(item)|\(version)"
        if let v = lock.withLock({ eccn[key] }) { return v }
        let v = make()
        lock.withLock { eccn[key] = .some(v) }
        return v
    }

    func content(_ item: Int32, _ make: () -> [ContentPart]) -> [ContentPart] {
        if let v = lock.withLock({ content[item] }) { return v }
        let v = make()
        lock.withLock { content[item] = v }
        return v
    }

    func plantRoute(_ item: Int32, _ set: String, _ make: () -> [String]?) -> [String]? {
        let key = "\(item)|\(set)"
        if let v = lock.withLock({ plant[key] }) { return v }
        let v = make()
        lock.withLock { plant[key] = .some(v) }
        return v
    }

    func contained(_ item: Int32, _ rule: String, _ make: () -> String?) -> String? {
        let key = "\(item)|\(rule)"
        if let v = lock.withLock({ contained[key] }) { return v }
        let v = make()
        lock.withLock { contained[key] = .some(v) }
        return v
    }
}
