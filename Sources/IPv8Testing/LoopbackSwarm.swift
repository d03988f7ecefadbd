import IPv8
import Logging

/// Many real nodes in one process: one `EventLoop` run by the calling thread, one UDP socket per node on
/// 127.0.0.1 that sends to loopback addresses only (`UDPEndpoint/sendsOnlyToLoopback`), one community of the user's type per node.
///
/// ```swift
/// let swarm = try LoopbackSwarm(count: 5) { try MyCommunity(context: $0) }
/// defer { swarm.stop() }
/// swarm.introduceAll()
/// let ok = swarm.run(until: { swarm.everyoneKnowsEveryone }, timeout: .seconds(5))
/// ```
///
/// Strategies tick on the loop's timers after ``start()``, or by hand with ``stepStrategies()``. Loop-confined:
/// use it from the thread that created it.
public final class LoopbackSwarm<C: Community> {
    /// The loop every node runs on.
    public let loop: EventLoop
    /// The nodes, in creation order.
    public private(set) var nodes: [LoopbackNode<C>] = []
    private let ownsLoop: Bool
    private var stopped = false

    /// Starts `count` nodes, each bound to 127.0.0.1 on a port the system picks.
    /// - Parameters:
    ///   - count: how many nodes to start.
    ///   - loop: the loop to use; by default the swarm makes one and closes it in ``stop()``.
    ///   - seed: when given, keys (`PrivateKey/deterministic(seed:)`) and community randomness derive from it
    ///     and the node index (real sockets and timers still make runs differ in timing).
    ///   - walkInterval: every node's strategy walk interval.
    ///   - maxPeers: every community's peer cap.
    ///   - bootstrapToFirst: every node but the first bootstraps to the first node.
    ///   - randomWalkTarget: when given, every node schedules a `RandomWalk` with this target.
    ///   - logger: the loop's and the nodes' logger (quiet by default).
    ///   - makeCommunity: builds a node's community from its context.
    /// - Throws: when a loop or socket cannot be opened, or what `makeCommunity` throws.
    public init(count: Int, loop: EventLoop? = nil, seed: UInt64? = nil, walkInterval: Duration = StrategyScheduler.Settings().walkInterval,
                maxPeers: Int = Community.defaultMaxPeers, bootstrapToFirst: Bool = false, randomWalkTarget: Int? = nil,
                logger: Logger = Logger(label: "ipv8.testing.loopback", factory: { _ in SwiftLogNoOpLogHandler() }),
                makeCommunity: (CommunityContext) throws -> C) throws {
        ownsLoop = loop == nil
        self.loop = try loop ?? EventLoop(logger: logger)
        do {
            for index in 0..<count {
                let service = try IPv8Service(loop: self.loop, bindTo: Address(127, 0, 0, 1, port: 0),
                                              scheduling: .init(walkInterval: walkInterval), logger: logger)
                service.endpoint.sendsOnlyToLoopback = true
                let bootstrap = bootstrapToFirst && index > 0 ? [nodes[0].address] : []
                let key = seed.map { PrivateKey.deterministic(seed: SimulatedSwarm<C>.nodeSeed($0, index)) } ?? .generate()
                let random = seed.map { RandomSource(seed: SimulatedSwarm<C>.nodeSeed($0 &+ 1, index)) } ?? RandomSource()
                let context = service.context(key: key, maxPeers: maxPeers,
                                              bootstrappers: bootstrap.isEmpty ? [] : [AddressListBootstrapper(bootstrap)],
                                              random: random)
                let community: C
                do {
                    community = service.addOverlay(try makeCommunity(context))
                } catch {
                    service.stop()
                    throw error
                }
                let node = LoopbackNode(service: service, community: community)
                nodes.append(node)
                if let randomWalkTarget {
                    service.addStrategy(RandomWalk(overlay: community), targetPeers: randomWalkTarget)
                }
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Starts every node's strategy timer.
    public func start() {
        for node in nodes { node.service.start() }
    }

    /// Runs one tick of every node's scheduler by hand, in node order (no timer needed).
    public func stepStrategies() {
        for node in nodes { node.service.scheduler.tick() }
    }

    /// Every node sends an introduction request to every other node (py-ipv8's `introduce_nodes`); run the
    /// loop afterwards for the answers. Quadratic: meant for small swarms.
    public func introduceAll() {
        for node in nodes {
            for other in nodes where other !== node { node.community.walkTo(other.address) }
        }
    }

    /// Runs the loop on the calling thread until `condition` holds or `timeout` has passed.
    /// - Returns: whether the condition held.
    @discardableResult
    public func run(until condition: () -> Bool, timeout: Duration) -> Bool {
        loop.run(until: condition, timeout: timeout)
    }

    /// Whether every node has every other node as a verified peer.
    public var everyoneKnowsEveryone: Bool {
        nodes.allSatisfy { node in nodes.allSatisfy { $0 === node || node.knows($0) } }
    }

    /// Stops every node (timers, overlays, sockets) and, when the swarm made the loop, closes it. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for node in nodes { node.service.stop() }
        if ownsLoop {
            // Let libuv finish closing the sockets before the loop goes.
            loop.run(for: .milliseconds(10))
            loop.stop()
        }
    }
}
