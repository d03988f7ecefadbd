import XCTest
@testable import IPv8

final class ConfigBuilderTests: XCTestCase {
    func testDefaultsRebuiltThroughTheBuilderEqualTheDefaultConfiguration() throws {
        let d = Configuration.default
        var builder = ConfigBuilder(clean: true)
            .setAddress("0.0.0.0").setPort(8090)
            .addKey(alias: "anonymous id", generation: "curve25519", file: "ec_multichain.pem")
            .setLogLevel("INFO").setWorkingDirectory(".").setWalkerInterval(0.5)
        for o in d.overlays {
            builder = builder.addOverlay(o.className, key: o.key, walkers: o.walkers, bootstrappers: o.bootstrappers,
                                         initialize: o.initialize, onStart: o.onStart)
        }
        XCTAssertEqual(try builder.finalize(), d)
        XCTAssertEqual(try ConfigBuilder().finalize(), d)
    }

    func testSettersReplaceAndValidate() throws {
        let config = try ConfigBuilder()
            .clearKeys().clearOverlays()
            .addEphemeralKey(alias: "me").addEphemeralKey(alias: "me")
            .setPort(0).setPort(9, interface: "UDPIPv6")
            .addOverlay("MyCommunity", key: "me", walkers: [.init(strategy: "MyDiscoveryStrategy", peers: -1)], bootstrappers: [])
            .addOverlay("MyCommunity", key: "me", walkers: [], bootstrappers: [])
            .finalize()
        XCTAssertEqual(config.keys.count, 1)
        XCTAssertNotNil(config.keys[0].bin)
        XCTAssertEqual(config.interfaces.map(\.port), [0, 9])
        XCTAssertEqual(config.interfaces[1].ip, "::")
        XCTAssertEqual(config.overlays.count, 1, "a second overlay of the same class replaces the first")
        XCTAssertThrowsError(try ConfigBuilder().setLogLevel("LOUD").finalize()) {
            XCTAssertTrue("\($0)".contains("logger.level"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigBuilder().setWalkerInterval(-1).finalize())
        XCTAssertThrowsError(try ConfigBuilder(clean: true)
            .addOverlay("C", key: "missing", walkers: [], bootstrappers: []).finalize()) {
            XCTAssertTrue("\($0)".contains("overlays[0].key"), "\($0)")
        }
    }
}
