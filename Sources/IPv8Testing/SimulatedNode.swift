import IPv8
import Logging

/// One node of a ``SimulatedNetwork``: a simulated endpoint, its own peer table, one community of the
/// user's type and a `StrategyScheduler` the simulation ticks as its time advances.
///
/// ```swift
/// let node = try SimulatedNode(on: sim, address: Address(127, 0, 0, 1, port: 8090), seed: 1) {
///     try MyCommunity(context: $0)
/// }
/// node.addRandomWalk(targetPeers: 20)
/// ```
public final class SimulatedNode<C: Community> {
    /// The simulation the node lives in.
    public let simulation: SimulatedNetwork
    /// The node's endpoint.
    public let endpoint: SimulatedEndpoint
    /// The node's peer table.
    public let network: Network
    /// The node's community.
    public let community: C
    /// The node's strategy scheduler (ticked by ``simulation``, never started on a loop).
    public let scheduler: StrategyScheduler

    /// Attaches a node at `address` and builds its community with `makeCommunity`.
    /// - Parameters:
    ///   - simulation: the simulated network the node joins.
    ///   - address: the node's address on it (must be free).
    ///   - seed: seeds the node's key (`PrivateKey/deterministic(seed:)`, unless `key` is given) and the
    ///     community's `RandomSource`, so the node behaves the same on every run.
    ///   - key: the node's identity; by default derived from `seed`. On a network whose signatures are
    ///     `.skipped` the node signs with stand-ins for this key.
    ///   - walkInterval: the scheduler's walk interval in simulated time.
    ///   - maxPeers: the community's peer cap.
    ///   - bootstrap: addresses the community walks to when it has no peers.
    ///   - trackers: trackers the community bootstraps from as py-ipv8's `DispersyBootstrapper` does
    ///     (blacklisted, at most once per 30 s, walked to now and then as a keep-alive).
    ///   - logger: the node's logger (quiet by default).
    ///   - makeCommunity: builds the node's community from its context.
    /// - Throws: when the address is taken, or what `makeCommunity` throws.
    public init(on simulation: SimulatedNetwork, address: Address, seed: UInt64, key: PrivateKey? = nil,
                walkInterval: Duration = StrategyScheduler.Settings().walkInterval, maxPeers: Int = Community.defaultMaxPeers, bootstrap: [Address] = [],
                trackers: [Address] = [],
                logger: Logger = Logger(label: "ipv8.testing.node", factory: { _ in SwiftLogNoOpLogHandler() }),
                makeCommunity: (CommunityContext) throws -> C) throws {
        self.simulation = simulation
        endpoint = try simulation.attach(at: address)
        network = Network()
        let identity = key ?? .deterministic(seed: seed)
        var bootstrappers: [any Bootstrapper] = []
        if !bootstrap.isEmpty { bootstrappers.append(AddressListBootstrapper(bootstrap)) }
        if !trackers.isEmpty { bootstrappers.append(DispersyBootstrapper(ipAddresses: trackers)) }
        let context = CommunityContext(
            key: simulation.signatures == .skipped && identity.ec == nil ? PrivateKey(standInFor: identity) : identity, endpoint: endpoint, network: network, clock: simulation.clock, timers: simulation,
            random: RandomSource(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 1), logger: logger, maxPeers: maxPeers,
            bootstrappers: bootstrappers)
        do {
            community = try makeCommunity(context)
        } catch {
            simulation.detach(address)
            throw error
        }
        scheduler = StrategyScheduler(settings: .init(walkInterval: walkInterval), clock: simulation.clock, logger: logger)
        simulation.drive(scheduler)
    }

    /// The node's address.
    public var address: Address { endpoint.localAddress }

    /// Schedules `strategy` with `targetPeers` (−1: always).
    public func addStrategy(_ strategy: DiscoveryStrategy, targetPeers: Int) {
        scheduler.addStrategy(strategy, targetPeers: targetPeers)
    }

    /// Schedules a `RandomWalk` over the community with py-ipv8's defaults and returns it.
    @discardableResult
    public func addRandomWalk(targetPeers: Int = 20) -> RandomWalk {
        let walk = RandomWalk(overlay: community)
        addStrategy(walk, targetPeers: targetPeers)
        return walk
    }

    /// Whether `other` is a verified peer of this node's community.
    public func knows<D: Community>(_ other: SimulatedNode<D>) -> Bool {
        community.knows(other.community)
    }

    /// Whether the node is attached (not ``stop()``ped).
    public var isRunning: Bool { simulation.endpoint(at: address) === endpoint }

    /// Takes the node offline: the scheduler stops, the community unloads, the address is detached.
    public func stop() {
        simulation.stopDriving(scheduler)
        community.unload()
        simulation.detach(address)
    }
}
