/// A run of consecutive entity rows, validated, held as columns.
///
/// The bulk reader of `entities.csv` hands a large table to a sink in batches rather than row by row; row `k`
/// of a batch is the `k`-th row of its slice of the file.
public struct EntityBatch: Sendable {
    /// The identifiers and the names, row `k`'s as text `k` of each (text only, no hash index).
    public internal(set) var ids = IdTable.unindexed()
    public internal(set) var names = IdTable.unindexed()
    public internal(set) var country: [CountryCode] = []
    public internal(set) var role: [PartyRole?] = []
    /// `nil` where the row gives no headquarters.
    public internal(set) var headquarters: [CountryCode?] = []

    public init() {}

    public var count: Int { ids.count }

    /// Calls `body` with the UTF-8 bytes of row `k`'s identifier.
    @inline(__always)
    public func withID<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try ids.withText(Int32(k), body)
    }

    /// Row `k` as an ``Entity`` (for sinks that take rows one at a time).
    public func entity(_ k: Int) -> Entity {
        Entity(id: withID(k) { String(decoding: $0, as: UTF8.self) }, name: names[Int32(k)], country: country[k],
               role: role[k], headquarters: headquarters[k])
    }
}
