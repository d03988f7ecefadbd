import ArgumentParser
import IPv8

/// discoverystrategy_tutorial_1's strategy: ask a random known peer for an introduction, under the walk lock.
final class MyDiscoveryStrategy: DiscoveryStrategy {
    private(set) var steps = 0
    override func step() {
        steps += 1
        if let peer = overlay.random.element(of: overlay.peers) { overlay.sendIntroductionRequest(to: peer) }
    }
}

/// discoverystrategy_tutorial_1: add our own strategy to a running node (target −1: never stops).
struct Discovery1: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "discovery1", abstract: "discoverystrategy_tutorial_1: a custom strategy.")
    @Option(help: "Seconds to wait at most.") var duration: Double = 10

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let nodes = try (1...2).map { _ in try net.node { try TutorialCommunity(context: $0) } }
        let strategy = MyDiscoveryStrategy(overlay: nodes[0].community)
        nodes[0].service.addStrategy(strategy, targetPeers: -1)
        net.start()
        let ok = net.run(seconds: duration) { nodes[0].community.peerCount == 1 && strategy.steps > 3 }
        print("MyDiscoveryStrategy took \(strategy.steps) steps; peers: \(nodes[0].community.peers)")
        guard ok else { throw ExampleFailed("the strategy did not run with a peer to ask") }
    }
}

/// discoverystrategy_tutorial_2: a community offers the strategy by name, and a configuration uses it.
final class NamedStrategyCommunity: TutorialCommunity {
    /// The strategies made by name for this community.
    var made: [MyDiscoveryStrategy] = []
    override var availableStrategies: [String: StrategyFactory] {
        ["MyDiscoveryStrategy": StrategyFactory { overlay, _ in
            let strategy = MyDiscoveryStrategy(overlay: overlay)
            (overlay as? NamedStrategyCommunity)?.made.append(strategy)
            return strategy
        }]
    }
}

struct Discovery2: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "discovery2", abstract: "discoverystrategy_tutorial_2: a strategy by name.")

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        var configuration = loopbackDefaultConfiguration(tracker: net.trackerEndpoint.localAddress)
        configuration.overlays = [Configuration.Overlay(
            className: "MyCommunity", key: "anonymous id",
            walkers: [Configuration.Walker(strategy: "MyDiscoveryStrategy", peers: -1)],
            bootstrappers: configuration.overlays[0].bootstrappers)]
        var registry = OverlayRegistry.builtIns
        registry.register("MyCommunity") { context, _ in try NamedStrategyCommunity(context: context) }
        let service = try IPv8Service.load(configuration, registry: registry, loop: net.loop)
        service.start()
        defer { service.stop() }
        let community = service.overlays.first as? NamedStrategyCommunity
        let made = community?.made ?? []
        net.run(seconds: 2) { made.first.map { $0.steps > 0 } ?? true }
        print("loaded \(made.count) MyDiscoveryStrategy from the configuration; it took \(made.first?.steps ?? 0) steps")
        guard made.count == 1, made[0].steps > 0 else { throw ExampleFailed("the strategy was not made by name, or never ran") }
    }
}
