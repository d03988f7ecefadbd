import IPv8Core
import Logging

/// One IPv8 node (py-ipv8's `IPv8` object): an event loop, one UDP endpoint shared by every overlay, one
/// shared `Network`, the overlays, the `StrategyScheduler` and one `Peer` per private key.
///
/// ```swift
/// let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
/// let community = try MyCommunity(context: service.context(key: key))
/// service.addOverlay(community)
/// service.addStrategy(RandomWalk(overlay: community), targetPeers: 20)
/// service.start()
/// ```
///
/// Loop-confined: build and use it on the loop thread (or before the loop runs).
public final class IPv8Service {
    /// The loop everything runs on.
    public let loop: EventLoop
    /// The one socket.
    public let endpoint: UDPEndpoint
    /// The peer table every overlay shares.
    public let network = Network()
    /// Steps the strategies.
    public let scheduler: StrategyScheduler
    /// The one timer that ticks ``scheduler``.
    public let schedulerTimer: SchedulerTimer
    /// The clock protocol logic reads.
    public let clock: any EngineClock
    /// Where the service and, by default, its overlays log.
    public let logger: Logger
    /// The loaded overlays, in the order they were added.
    public private(set) var overlays: [Community] = []
    /// The keys a configuration loaded (``load(_:registry:loop:bindOverride:logger:random:)``), by alias;
    /// an ephemeral key is generated once and kept here, so whatever asks for an alias gets the same key.
    public internal(set) var keys: [String: PrivateKey] = [:]
    /// One peer per key, in the order first asked for (a node has a key or a few: a list, not a dictionary).
    private var myPeers: [Peer] = []

    /// Opens the endpoint on `loop` at `address`.
    /// - Parameters:
    ///   - loop: the loop the node runs on (create the service on its thread, or before it first runs).
    ///   - address: the address to bind (port 0: any free port; `::` gives one dual-stack socket for IPv4
    ///     and IPv6 peers).
    ///   - ipv6Only: with an IPv6 `address`, take IPv6 only (py-ipv8's `UDPIPv6` interface alone).
    ///   - scheduling: the strategy pacing (py-ipv8's `walker_interval`, 0.5 s by default).
    ///   - logger: where the node logs (nowhere by default).
    /// - Throws: when the socket cannot be bound.
    public init(loop: EventLoop, bindTo address: Address, ipv6Only: Bool = false, scheduling: StrategyScheduler.Settings = .init(),
                logger: Logger = IPv8Service.silentLogger) throws {
        self.loop = loop
        self.logger = logger
        self.clock = LoopClock(loop: loop)
        self.endpoint = try UDPEndpoint(loop: loop, bindTo: address, ipv6Only: ipv6Only, logger: logger)
        self.scheduler = StrategyScheduler(settings: scheduling, clock: clock, logger: logger)
        self.schedulerTimer = SchedulerTimer(scheduler: scheduler, loop: loop)
    }

    /// The default logger: label "ipv8", logs nowhere. One value for every service (a logger allocates its
    /// storage, 72 bytes, when created).
    @usableFromInline static let silentLogger = Logger(label: "ipv8", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The peer object for `key`: one per key, shared by every overlay that uses it (and so is its
    /// Lamport clock).
    public func myPeer(for key: PrivateKey) -> Peer {
        let bin = key.publicKey.bin
        if let peer = myPeers.first(where: { $0.keyBin.bytes == bin }) { return peer }
        let peer = Peer(key: key.publicKey, address: endpoint.preferredLocalAddress, intro: false, now: clock.now)
        myPeers.append(peer)
        return peer
    }

    /// A context to build an overlay with: this node's endpoint, network, clock and logger, and the shared
    /// peer for `key`.
    public func context(key: PrivateKey, maxPeers: Int = Community.defaultMaxPeers,
                        bootstrappers: [any Bootstrapper] = [], random: RandomSource = RandomSource()) -> CommunityContext {
        CommunityContext(key: key, myPeer: myPeer(for: key), endpoint: endpoint, network: network, clock: clock,
                         timers: loop, random: random, logger: logger, maxPeers: maxPeers, bootstrappers: bootstrappers)
    }

    /// Adds `overlay` to the loaded overlays (idempotent) and returns it.
    @discardableResult
    public func addOverlay<C: Community>(_ overlay: C) -> C {
        loop.assertInEventLoop()
        if !overlays.contains(where: { $0 === overlay }) { overlays.append(overlay) }
        return overlay
    }

    /// The first loaded overlay of type `type`.
    public func overlay<C: Community>(_ type: C.Type) -> C? {
        overlays.lazy.compactMap { $0 as? C }.first
    }

    /// Every loaded overlay of type `type`.
    public func overlays<C: Community>(_ type: C.Type) -> [C] {
        overlays.compactMap { $0 as? C }
    }

    /// Schedules `strategy` with `targetPeers` (−1: always) and adds its overlay if it is missing.
    public func addStrategy(_ strategy: DiscoveryStrategy, targetPeers: Int) {
        addOverlay(strategy.overlay)
        scheduler.addStrategy(strategy, targetPeers: targetPeers)
    }

    /// Removes `overlay`'s strategies, unloads it (its endpoint listener goes) and forgets it.
    public func unload(_ overlay: Community) {
        loop.assertInEventLoop()
        scheduler.removeStrategies(of: overlay)
        overlays.removeAll { $0 === overlay }
        overlay.unload()
    }

    /// Work to do once the node has started (a configuration's `on_start` entries), in order.
    public var onStartActions: [() throws -> Void] = []

    /// Starts the strategy ticks, then runs the ``onStartActions`` (a failing action is logged; the others
    /// still run).
    public func start() {
        schedulerTimer.start()
        for action in onStartActions {
            do { try action() } catch { logger.error("on_start failed: \(error)") }
        }
    }

    /// Stops the ticks, unloads every overlay and closes the endpoint.
    public func stop() {
        schedulerTimer.stop()
        for overlay in overlays { unload(overlay) }
        endpoint.close()
    }
}
