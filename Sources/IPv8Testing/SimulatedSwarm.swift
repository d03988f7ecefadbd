import IPv8
import Logging

/// Many ``SimulatedNode``s of one community type on one ``SimulatedNetwork`` (py-ipv8's `TestBase`
/// node set-up, with simulated time): deterministic addresses, keys and randomness from one seed.
///
/// ```swift
/// let swarm = try SimulatedSwarm(count: 1_000, seed: 7, bootstrapToFirst: true, randomWalkTarget: 20) {
///     try MyCommunity(context: $0)
/// }
/// let converged = swarm.simulation.run(until: { swarm.nodes.allSatisfy { $0.community.peerCount >= 20 } },
///                                      within: 120)
/// ```
public final class SimulatedSwarm<C: Community> {
    /// The simulated internet (and its clock).
    public let simulation: SimulatedNetwork
    /// The nodes, in creation order; node `i` is at ``address(ofNode:)``.
    public private(set) var nodes: [SimulatedNode<C>] = []

    /// Builds `count` nodes.
    /// - Parameters:
    ///   - count: how many nodes (fewer than 65,000); node `i` gets its own address.
    ///   - seed: seeds the simulation (random drops) and, mixed with each node's index, its key and randomness.
    ///   - walkInterval: every node's strategy walk interval, in simulated time.
    ///   - maxPeers: every community's peer cap.
    ///   - latency: simulated seconds each datagram takes to arrive.
    ///   - signatures: `.skipped` for stand-in signatures nobody checks (faster; see `SimulatedNetwork.Signatures`).
    ///   - bootstrapToFirst: every node but the first bootstraps to the first node.
    ///   - randomWalkTarget: when given, every node runs a `RandomWalk` with this target.
    ///   - logger: every node's logger (quiet by default).
    ///   - makeCommunity: builds a node's community from its context.
    public init(count: Int, seed: UInt64, walkInterval: Duration = StrategyScheduler.Settings().walkInterval, maxPeers: Int = Community.defaultMaxPeers,
                latency: Double = 0, signatures: SimulatedNetwork.Signatures = .checked,
                bootstrapToFirst: Bool = false, randomWalkTarget: Int? = nil,
                logger: Logger = Logger(label: "ipv8.testing.swarm", factory: { _ in SwiftLogNoOpLogHandler() }),
                makeCommunity: (CommunityContext) throws -> C) throws {
        precondition(count >= 0 && count < 65_000, "between 0 and 65,000 nodes")
        simulation = SimulatedNetwork(seed: seed, latency: latency, signatures: signatures, logger: logger)
        let hub = Self.address(ofNode: 0)
        for index in 0..<count {
            let node = try SimulatedNode(
                on: simulation, address: Self.address(ofNode: index), seed: Self.nodeSeed(seed, index),
                walkInterval: walkInterval, maxPeers: maxPeers,
                bootstrap: bootstrapToFirst && index > 0 ? [hub] : [], logger: logger, makeCommunity: makeCommunity)
            if let randomWalkTarget { node.addRandomWalk(targetPeers: randomWalkTarget) }
            nodes.append(node)
        }
    }

    /// The fake address of node `index`: `127.0.h.l:8090` with `h.l` = `index + 1` (so node 0 is 127.0.0.1).
    public static func address(ofNode index: Int) -> Address {
        let host = index + 1
        return Address(127, 0, UInt8(truncatingIfNeeded: host >> 8), UInt8(truncatingIfNeeded: host), port: 8090)
    }

    static func nodeSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        RandomSource(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15)).next()
    }

    /// Every node walks to every other node, then the messages are delivered (py-ipv8's `introduce_nodes`).
    /// Quadratic: meant for small swarms.
    public func introduceAll() {
        for node in nodes {
            for other in nodes where other !== node { node.community.walkTo(other.address) }
        }
        simulation.deliverMessages()
    }

    /// Whether every node has every other node as a verified peer.
    public var everyoneKnowsEveryone: Bool {
        nodes.allSatisfy { node in nodes.allSatisfy { $0 === node || node.knows($0) } }
    }

    /// The smallest peer count over all nodes (0 for an empty swarm).
    public var minimumPeerCount: Int {
        nodes.lazy.map(\.community.peerCount).min() ?? 0
    }

    /// A fingerprint of the swarm's state: every node's sorted verified peer mids, in node order, plus the
    /// network counters and the clock. Two runs with the same seeds have the same digest.
    public var digest: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        func mix(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        for node in nodes {
            let mids = node.community.peers.map(\.mid).sorted { $0.lexicographicallyPrecedes($1) }
            mix(UInt64(mids.count))
            for mid in mids { mid.forEach(mix) }
        }
        let counters = simulation.counters
        for value in [counters.sent, counters.delivered, counters.dropped] { mix(UInt64(value)) }
        mix(simulation.clock.now.bitPattern)
        return hash
    }
}
