// Loading a strategy through the configuration: the community names its strategies, the configuration
// refers to them by name.
import IPv8

final class MyDiscoveryStrategy: DiscoveryStrategy {
    override func step() {}
}

// snippet.show
final class MyCommunity: Community {
    static let id = CommunityID(hex: "0123456789abcdef0123456789abcdef01234567")!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
    override var availableStrategies: [String: StrategyFactory] {
        ["MyDiscoveryStrategy": StrategyFactory { overlay, _ in MyDiscoveryStrategy(overlay: overlay) }]
    }
}

func start(on loop: EventLoop) throws -> IPv8Service {
    var registry = OverlayRegistry()
    registry.register(MyCommunity.self) { try MyCommunity(context: $0) }
    let config = try ConfigBuilder(clean: true)
        .addEphemeralKey(alias: "anonymous id")
        .setPort(0)
        .addOverlay("MyCommunity", key: "anonymous id",
                    walkers: [.init(strategy: "MyDiscoveryStrategy", peers: -1)],
                    bootstrappers: [])   // or [Configuration.publicTrackers]
        .finalize()
    let service = try IPv8Service.load(config, registry: registry, loop: loop)
    service.start()
    return service
}
// snippet.end
