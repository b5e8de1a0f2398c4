import DiversionGraph

/// Fictional trading names, derived from the party number and the seed without storing them.
///
/// Names repeat in big worlds, as they do in real customs data; they are not identifiers.
enum PartyNames {
    private static func words(_ s: String) -> [[UInt8]] { s.split(separator: " ").map { Array($0.utf8) } }

    private static let prefixes = words("""
        Apex Summit Pacific Golden Silver Blue Harbor Orient Zenith Nova Vertex Crest Meridian Horizon Lotus Falcon \
        Jade Crystal Pioneer Sterling Atlas Aurora Bright Cedar Delta Eastern Everest Frontier Grand Granite Keystone \
        Liberty Majestic Northern Oak Pinnacle Prime Radiant Sapphire Southern Stellar Sun Titan Unity Vista Western \
        Silk Coral Ember Glacier Hyperion Ivory Kestrel Lumen Maple Nimbus Onyx Polaris Quasar Redwood Sierra Tiger
        """)
    private static let cores = words("""
        Micro Data Tech Logic Compute Net Link Wave Chip Core Silicon Cloud Byte Circuit Signal Vector Matrix Photon \
        Pixel Quanta Nexus Volt Fusion Stream Grid Pulse Spark Flux Sync Arc Bridge Star Dragon Phoenix River Ocean
        """)
    private static let sectorsByRole: [PartyRole: [[UInt8]]] = [
        .designer: words("Semiconductor Devices Microsystems Design Graphics"),
        .fab: words("Semiconductor Foundry Wafer Fabrication"),
        .assembler: words("Systems Manufacturing Assembly Electronics Industries Hardware"),
        .distributor: words("Trading Distribution Supply Components Electronics Imports International"),
        .forwarder: words("Logistics Freight Shipping Express Cargo Forwarding"),
        .reseller: words("Trading Solutions Technologies Computer Resources Commerce"),
        .cloud: words("Cloud Data Datacenter Compute Hosting Networks"),
        .endUser: words("Research Labs Analytics Intelligence Institute Robotics Bank Telecom"),
        .equipmentMaker: words("Equipment Instruments Process Tools"),
        .other: words("Holdings Group Industries Capital Ventures Enterprises Global Services"),
    ]

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Appends the name of party `party` (located in `country`, with `role`) to `out`, without quoting.
    static func append(party: Int32, seed: UInt64, country: UInt8, role: PartyRole, to out: inout [UInt8]) {
        let h = mix(UInt64(UInt32(bitPattern: party)) ^ (seed &* 0xA076_1D64_78BD_642F))
        let prefix = prefixes[Int(h % UInt64(prefixes.count))]
        let core = cores[Int((h >> 12) % UInt64(cores.count))]
        let sectors = sectorsByRole[role]!
        let sector = sectors[Int((h >> 24) % UInt64(sectors.count))]
        let suffixes = Countries.table[Int(country)].suffixes
        let suffix = suffixes[Int((h >> 36) % UInt64(suffixes.count))]
        out.append(contentsOf: prefix)
        if (h >> 48) & 3 == 0 {
            out.append(0x20)
            out.append(contentsOf: core)
        } else {
            // "Apex" + "link" → "Apexlink"
            out.append(core[0] | 0x20)
            out.append(contentsOf: core.dropFirst())
        }
        out.append(0x20)
        out.append(contentsOf: sector)
        out.append(0x20)
        out.append(contentsOf: suffix)
    }
}
