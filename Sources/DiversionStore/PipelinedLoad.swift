import DiversionGraph
import Foundation

/// Runs a graph load on a parsing thread while the calling thread stores the rows, so that reading and
/// parsing the file and inserting into SQLite use both cores. Rows travel in batches through a bounded
/// channel; the caller's sink sees exactly the sequence of calls the loader made.
final class SummaryBox: @unchecked Sendable { var summary: LoadSummary? }

enum PipelinedLoad {
    enum Message {
        case begin(String?)
        case entity(Entity)
        case item(Item, Int32?)
        case ownership(Ownership, Int32, Int32)
        case listing(Listing, Int32)
        case component(Component, Int32, Int32)
        case provenance(Provenance, Int32)
        case equipment(Equipment, Int32, Int32)
        case shipments([ShipmentRow])
        case batch(ShipmentBatch)
        case finish
    }

    /// A bounded queue of message batches between the parsing thread and the storing thread.
    final class Channel: @unchecked Sendable {
        private let condition = NSCondition()
        private var queue: [[Message]] = []
        private var closed = false
        private var failure: Error?
        private let capacity = 8

        func put(_ batch: [Message]) {
            condition.lock()
            while queue.count >= capacity && !closed { condition.wait() }
            queue.append(batch)
            condition.broadcast()
            condition.unlock()
        }

        func close(_ error: Error?) {
            condition.lock()
            closed = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch; `nil` once the producer closed and everything was taken (then `failure` is set if
        /// the load failed).
        func take() -> [Message]? {
            condition.lock()
            defer { condition.unlock() }
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty { return nil }
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }

        /// Stops the producer early (the consumer failed).
        func abandon() {
            condition.lock()
            closed = true
            queue.removeAll()
            condition.broadcast()
            condition.unlock()
        }

        var error: Error? { condition.lock(); defer { condition.unlock() }; return failure }
        var isClosed: Bool { condition.lock(); defer { condition.unlock() }; return closed }
    }

    /// Collects the loader's calls into batches.
    struct ForwardingSink: GraphSink {
        let channel: Channel
        var pending: [Message] = []
        var rows: [ShipmentRow] = []
        static let batch = 4_096

        mutating func send() {
            if !rows.isEmpty { pending.append(.shipments(rows)); rows = []; rows.reserveCapacity(ForwardingSink.batch) }
            if !pending.isEmpty { channel.put(pending); pending = [] }
        }

        struct Abandoned: Error {}
        func check() throws { if channel.isClosed { throw Abandoned() } }

        mutating func begin(name: String?) { pending.append(.begin(name)) }
        mutating func add(entity: Entity) { pending.append(.entity(entity)); if pending.count >= ForwardingSink.batch { send() } }
        mutating func add(item: Item, maker: Int32?) { pending.append(.item(item, maker)) }
        mutating func add(ownership: Ownership, owner: Int32, owned: Int32) { pending.append(.ownership(ownership, owner, owned)) }
        mutating func add(listing: Listing, entity: Int32) { pending.append(.listing(listing, entity)) }
        mutating func add(component: Component, assembly: Int32, part: Int32) { pending.append(.component(component, assembly, part)) }
        mutating func add(provenance: Provenance, item: Int32) { pending.append(.provenance(provenance, item)) }
        mutating func add(equipment: Equipment, plant: Int32, item: Int32) { pending.append(.equipment(equipment, plant, item)) }
        mutating func add(shipment: ShipmentRow) throws {
            if !pending.isEmpty { send() }
            rows.append(shipment)
            if rows.count >= ForwardingSink.batch { send(); try check() }
        }
        mutating func add(shipments batch: ShipmentBatch) throws {
            send()
            channel.put([.batch(batch)])
            try check()
        }
        mutating func finish() { send(); channel.put([.finish]) }
    }

    /// Loads `path` on a parsing thread and replays every call into `sink` on this thread.
    static func load(path: String, into sink: inout some GraphSink,
                     progress: (@Sendable (LoadProgress) -> Void)?) throws -> LoadSummary {
        let channel = Channel()
        let box = SummaryBox()
        let thread = Thread {
            var forward = ForwardingSink(channel: channel)
            do {
                box.summary = try GraphLoader(progress: progress).load(path: path, into: &forward)
                channel.close(nil)
            } catch {
                channel.close(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let batch = channel.take() {
                for m in batch {
                    switch m {
                    case .begin(let n): try sink.begin(name: n)
                    case .entity(let e): try sink.add(entity: e)
                    case .item(let i, let m): try sink.add(item: i, maker: m)
                    case .ownership(let o, let a, let b): try sink.add(ownership: o, owner: a, owned: b)
                    case .listing(let l, let e): try sink.add(listing: l, entity: e)
                    case .component(let c, let a, let p): try sink.add(component: c, assembly: a, part: p)
                    case .provenance(let p, let i): try sink.add(provenance: p, item: i)
                    case .equipment(let e, let p, let i): try sink.add(equipment: e, plant: p, item: i)
                    case .shipments(let rows): for r in rows { try sink.add(shipment: r) }
                    case .batch(let b): try sink.add(shipments: b)
                    case .finish: try sink.finish()
                    }
                }
            }
        } catch {
            channel.abandon()
            while !channel.isClosed || channel.take() != nil { if channel.isClosed { break } }
            throw error
        }
        if let e = channel.error { throw e }
        guard let summary = box.summary else { throw channel.error ?? StoreError.database("the load stopped") }
        return summary
    }
}
