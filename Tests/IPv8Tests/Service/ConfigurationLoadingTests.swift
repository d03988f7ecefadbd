import XCTest
@testable import IPv8

/// The seed's "load your strategy through the configuration" example, in Swift.
final class MyConfiguredCommunity: Community {
    static let id = CommunityID(bytes: [UInt8](repeating: 0x5E, count: 20))!
    var started: [String] = []

    init(context: CommunityContext) throws {
        try super.init(communityID: Self.id, context: context)
    }

    override var availableStrategies: [String: StrategyFactory] {
        ["MyDiscoveryStrategy": StrategyFactory { overlay, _ in MyDiscoveryStrategy(overlay: overlay) }]
    }

    override func onStart(_ method: String, arguments: [JSONValue]) throws {
        guard method == "greet" else { return try super.onStart(method, arguments: arguments) }
        started.append("greet \(arguments)")
    }
}

final class ConfigurationLoadingTests: XCTestCase {
    var registry: OverlayRegistry {
        var r = OverlayRegistry()
        r.register(MyConfiguredCommunity.self) { try MyConfiguredCommunity(context: $0) }
        return r
    }

    static let seedJSON = """
    {"keys": [{"alias": "anonymous id", "generation": "curve25519", "file": ""}],
     "walker_interval": 0.05,
     "overlays": [{"class": "MyConfiguredCommunity", "key": "anonymous id",
                   "walkers": [{"strategy": "MyDiscoveryStrategy", "peers": -1, "init": {}},
                               {"strategy": "RandomWalk", "peers": 20, "init": {"timeout": 3.0}}],
                   "bootstrappers": [], "initialize": {"max_peers": 12}, "on_start": [["greet", 1]]}]}
    """

    func testTheSeedConfigurationLoadsItsCustomStrategyAndTheTickCallsIt() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let service = try IPv8Service.load(Configuration(json: Self.seedJSON), registry: registry, loop: loop,
                                           bindOverride: Address(127, 0, 0, 1, port: 0))
        let overlay = try XCTUnwrap(service.overlay(MyConfiguredCommunity.self))
        XCTAssertEqual(overlay.maxPeers, 12, "initialize values reach the community")
        let strategies = service.scheduler.strategies
        let mine = try XCTUnwrap(strategies.compactMap { $0 as? MyDiscoveryStrategy }.first)
        XCTAssertEqual(strategies.count, 2)
        XCTAssertTrue(overlay.started.isEmpty, "on_start runs after start, not before")
        service.start()
        XCTAssertEqual(overlay.started, ["greet [1]"])
        drive(loop) { mine.calls >= 3 }
        service.stop()
    }

    func testTheAdmissionSectionSetsTheGateAndKeepsTheSocketsBacklogProbe() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var config = try Configuration(json: Self.seedJSON)
        config.admission.perSourceRate = 50
        let service = try IPv8Service.load(config, registry: registry, loop: loop, bindOverride: Address(127, 0, 0, 1, port: 0))
        defer { service.stop() }
        let gate = service.endpoint.router.verificationGate
        XCTAssertEqual(gate.settings.perSourceRate, 50)
        XCTAssertNotNil(gate.backlogProbe)
    }

    func testUnknownNamesAreReportedWithTheKnownOnesAndNothingStarts() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let json = Self.seedJSON
            .replacingOccurrences(of: "\"MyDiscoveryStrategy\", \"peers\"", with: "\"MyDiscoveryStrateg\", \"peers\"")
        XCTAssertThrowsError(try IPv8Service.load(Configuration(json: json), registry: registry, loop: loop,
                                                  bindOverride: Address(127, 0, 0, 1, port: 0))) { error in
            XCTAssertTrue("\(error)".contains(#"overlays[0].walkers[0].strategy: unknown strategy "MyDiscoveryStrateg" for MyConfiguredCommunity (known: EdgeWalk, MyDiscoveryStrategy, RandomWalk)"#), "\(error)")
        }
        XCTAssertThrowsError(try IPv8Service.load(Configuration(json: Self.seedJSON), registry: OverlayRegistry(), loop: loop)) { error in
            XCTAssertTrue("\(error)".contains(#"overlays[0].class: unknown community "MyConfiguredCommunity" (known: none registered)"#), "\(error)")
        }
        let badArgument = Self.seedJSON.replacingOccurrences(of: #"{"timeout": 3.0}"#, with: #"{"timeout": "3"}"#)
        XCTAssertThrowsError(try IPv8Service.load(Configuration(json: badArgument), registry: registry, loop: loop,
                                                  bindOverride: Address(127, 0, 0, 1, port: 0))) { error in
            XCTAssertTrue("\(error)".contains("overlays[0].walkers[1].init.timeout: expected a number"), "\(error)")
        }
        let typo = Self.seedJSON.replacingOccurrences(of: #"{"timeout": 3.0}"#, with: #"{"timeuot": 3.0}"#)
        XCTAssertThrowsError(try IPv8Service.load(Configuration(json: typo), registry: registry, loop: loop,
                                                  bindOverride: Address(127, 0, 0, 1, port: 0))) { error in
            XCTAssertTrue("\(error)".contains("overlays[0].walkers[1].init.timeuot: unknown argument"), "\(error)")
        }
        let badKeyFile = Self.seedJSON.replacingOccurrences(of: #""file": """#, with: #""file": "/nonexistent-dir/key.pem""#)
        XCTAssertThrowsError(try IPv8Service.load(Configuration(json: badKeyFile), registry: registry, loop: loop)) { error in
            XCTAssertTrue("\(error)".contains("keys[0]") && "\(error)".contains("/nonexistent-dir/key.pem"), "\(error)")
        }
    }

    func testTheDefaultConfigurationBuildsWithTrackersBlacklistedAndNothingSent() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var r = OverlayRegistry()
        // Stand-ins for py-ipv8's three default communities (the DiscoveryCommunity names its strategies).
        final class StandIn: Community {
            override var availableStrategies: [String: StrategyFactory] {
                ["RandomChurn": StrategyFactory { o, _ in MyDiscoveryStrategy(overlay: o) },
                 "PeriodicSimilarity": StrategyFactory { o, _ in MyDiscoveryStrategy(overlay: o) },
                 "PingChurn": StrategyFactory { o, _ in MyDiscoveryStrategy(overlay: o) }]
            }
        }
        for (n, name) in ["DiscoveryCommunity", "HiddenTunnelCommunity", "DHTDiscoveryCommunity"].enumerated() {
            r.register(name) { context, _ in try StandIn(communityID: CommunityID(bytes: [UInt8](repeating: UInt8(n), count: 20))!, context: context) }
        }
        var config = Configuration.default
        config.keys[0].file = ""   // no key file written by the test
        let service = try IPv8Service.load(config, registry: r, loop: loop, bindOverride: Address(127, 0, 0, 1, port: 0))
        XCTAssertEqual(service.overlays.count, 3)
        XCTAssertEqual(service.scheduler.strategies.count, 6)
        XCTAssertTrue(service.overlays.allSatisfy { $0.bootstrappers.count == 1 })
        // Built but never started: not a single datagram went anywhere (the trackers are public addresses).
        loop.runOnce(timeout: .zero)
        XCTAssertEqual(service.endpoint.counters.packetsOut, 0)
        service.stop()
    }
}
