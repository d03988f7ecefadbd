import XCTest
@testable import IPv8

extension MyConfiguredCommunity: LaunchableCommunity {}

/// The seed's launcher for the configured community: RandomWalk (20) and MyDiscoveryStrategy (-1).
enum MyConfiguredLauncher: CommunityLauncher {
    typealias Overlay = MyConfiguredCommunity
    static var walkStrategies: [LaunchedStrategy<MyConfiguredCommunity>] {
        [LaunchedStrategy(targetPeers: -1) { MyDiscoveryStrategy(overlay: $0) },
         LaunchedStrategy(targetPeers: 20) { RandomWalk(overlay: $0) }]
    }
}

/// JSON, ConfigBuilder and launcher build the same node: the same overlay types with the same strategies
/// and targets.
final class ThreeFormsTests: XCTestCase {
    func shape(_ service: IPv8Service) -> [String] {
        service.overlays.map { String(describing: type(of: $0)) }
            + service.scheduler.strategies.map { "\(type(of: $0)):\(service.scheduler.targetPeers(of: $0)!)" }
    }

    func testJSONBuilderAndLauncherBuildTheSameNode() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var registry = OverlayRegistry()
        registry.register(MyConfiguredCommunity.self) { try MyConfiguredCommunity(context: $0) }
        let here = Address(127, 0, 0, 1, port: 0)

        let fromJSON = try IPv8Service.load(Configuration(json: ConfigurationLoadingTests.seedJSON), registry: registry,
                                            loop: loop, bindOverride: here)
        let built = try ConfigBuilder(clean: true)
            .addEphemeralKey(alias: "anonymous id")
            .addOverlay("MyConfiguredCommunity", key: "anonymous id",
                        walkers: [.init(strategy: "MyDiscoveryStrategy", peers: -1),
                                  .init(strategy: "RandomWalk", peers: 20, initArguments: ["timeout": .double(3.0)])],
                        bootstrappers: [])
            .finalize()
        let fromBuilder = try IPv8Service.load(built, registry: registry, loop: loop, bindOverride: here)
        let launched = try IPv8Service(loop: loop, bindTo: here)
        var loader = CommunityLoader()
        loader.set(MyConfiguredLauncher.self)
        try loader.load(into: launched)

        let expected = ["MyConfiguredCommunity", "MyDiscoveryStrategy:-1", "RandomWalk:20"]
        XCTAssertEqual(shape(fromJSON), expected)
        XCTAssertEqual(shape(fromBuilder), expected)
        XCTAssertEqual(shape(launched), expected)
        for s in [fromJSON, fromBuilder, launched] { s.stop() }
    }
}
