import DiversionWorld
import Testing

@Test func scratch() throws {
    for p in WorldProfile.allCases {
        let t = try WorldGenerator(WorldConfiguration(shipments: 20_000, seed: 3, profile: p)).write(to: "/tmp/dw-scratch-\(p)")
        print(t.schemes.count, t.decoys.count, t.entities)
    }
}
