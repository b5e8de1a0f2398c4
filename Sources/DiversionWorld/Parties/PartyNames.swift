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
    static func mix(_ x: UInt64) -> UInt64 {
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

    private static let units = words("Unit Room Suite Flat Office Bay")
    private static let buildings = words("Tower Plaza Centre Building House Court Logistics-Hub Trade-Centre Block")
    private static let streets = words("""
        Harbour Canal Station Market Airport Bridge Lake Garden Temple Mill Park Kings Queens Industrial Commerce \
        Victoria Jalan Nguyen Sukhumvit Orchard Riverside Hillview Expo Innovation Science
        """)
    private static let streetKinds = words("Road Street Avenue Boulevard Lane Drive Way")
    private static let districts = words("""
        North South East West Central Old New Upper Lower Free-Trade Export-Processing High-Tech Bonded Airport
        """)
    private static let districtKinds = words("District Zone Area Estate Ward Township")

    /// Appends an address to the name in `out` (`, Unit 12-03, Harbour Tower B, 88 Canal Road, …`) and
    /// sometimes a quoted alias, so that the whole is 40 to 120 bytes: the long names of real customs data,
    /// where the address is often written into the name. Every name then holds commas, and some hold
    /// quotes, so the cell needs RFC 4180 quoting.
    static func appendAddress(party: Int32, seed: UInt64, to out: inout [UInt8]) {
        var h = mix(UInt64(UInt32(bitPattern: party)) ^ (seed &* 0x2D35_8DCC_AA6C_78A5) ^ 0x5EED)
        func next(_ n: Int) -> Int {
            h = mix(h)
            return Int(h % UInt64(n))
        }
        let target = 40 + next(81)
        func digits(_ v: Int) -> [UInt8] { Array(String(v).utf8) }
        let comma: [UInt8] = [0x2C, 0x20]
        // A unit first, then a building, a street and a district in some order, each at most once, and for
        // one name in four an alias among them.
        var kinds = next(4) == 0 ? [1, 2, 3, 4] : [1, 2, 3]
        for i in stride(from: kinds.count - 1, to: 0, by: -1) { kinds.swapAt(i, next(i + 1)) }
        for kind in [0] + kinds where out.count < target {
            var segment: [UInt8]
            switch kind {
            case 0: segment = units[next(units.count)] + [0x20] + digits(1 + next(40)) + [0x2D] + digits(10 + next(90))
            case 1: segment = streets[next(streets.count)] + [0x20] + buildings[next(buildings.count)]
                + [0x20] + [UInt8(0x41 + next(6))]
            case 2: segment = digits(1 + next(400)) + [0x20] + streets[next(streets.count)] + [0x20]
                + streetKinds[next(streetKinds.count)]
            case 3: segment = districts[next(districts.count)] + [0x20] + districtKinds[next(districtKinds.count)]
            default:
                // An alias in quotes, as extracts often carry one: a.k.a. "Apexlink".
                segment = Array("a.k.a. \"".utf8) + prefixes[next(prefixes.count)] + [0x22]
            }
            if out.count + comma.count + segment.count > 120 { continue }
            out += comma + segment
        }
        while out.count < 40 { out += comma + digits(100 + next(900)) }
    }
}
