import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import IPv8
import IPv8Testing

/// `ipv8-node simulate`: N nodes on the simulated network (IPv8Testing's ``SimulatedSwarm``: no sockets,
/// manual time, one seed for keys, randomness and delivery order), node 0 the bootstrap node, every node
/// random-walking to its target. Progress lines in simulated time; the last line gives the simulated and
/// wall seconds and a digest of the final state (same seed, same digest).
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run N nodes on a simulated network, in simulated time, until every node has its target number of peers.",
        discussion: """
            Nothing is sent on any network. The last line reads `converged: simulated X s, wall Y s (Z× real time), \
            … digest=<hex>`; the same seed gives the same digest. Exits 0 when the swarm converged, 1 when \
            --timeout (simulated seconds) passed first.
            """
    )

    @Option(help: "How many nodes (2-65000).") var nodes: Int = 1_000
    @Option(help: "Seeds keys, randomness and delivery order.") var seed: UInt64 = 1
    @Option(help: "Peers each node needs (default: min(20, nodes - 1)).") var target: Int?
    @Option(help: "Simulated seconds between strategy steps.") var walkInterval: Double = 0.5
    @Option(help: "Most peers a node keeps.") var maxPeers: Int = Community.defaultMaxPeers
    @Option(help: "Give up after this many simulated seconds.") var timeout: Double = 600
    @Option(help: "Simulated seconds between progress lines.") var progressInterval: Double = 5
    @Flag(help: "Stand-in signatures nobody checks (same wire layout): protocol logic at scale, several times faster.")
    var skipSignatures = false
    @Flag(help: "At the end, print where the random walks' steps went (whole swarm and slowest 5 % of nodes).")
    var stepReport = false

    static let communityID = CommunityID(hex: "5377696674495076384465666d6f53696d753031")!

    func validate() throws {
        guard (2...65_000).contains(nodes) else { throw ValidationError("--nodes: must be between 2 and 65000") }
        if let target, !(1..<nodes).contains(target) {
            throw ValidationError("--target: must be between 1 and \(nodes - 1)")
        }
        guard walkInterval > 0 else { throw ValidationError("--walk-interval: must be positive") }
        guard maxPeers >= 1 else { throw ValidationError("--max-peers: must be at least 1") }
        guard timeout > 0, progressInterval > 0 else { throw ValidationError("--timeout and --progress-interval: must be positive") }
    }

    func run() throws {
        let target = self.target ?? min(20, nodes - 1)
        let wallStart = ContinuousClock.now
        let swarm = try SimulatedSwarm(count: nodes, seed: seed, walkInterval: .milliseconds(Int64(walkInterval * 1000)),
                                       maxPeers: maxPeers, signatures: skipSignatures ? .skipped : .checked,
                                       bootstrapToFirst: true, randomWalkTarget: target) {
            try GenericCommunity(communityID: Self.communityID, context: $0)
        }
        let setUp = (ContinuousClock.now - wallStart) / .seconds(1)
        print("simulate: \(nodes) nodes, seed \(seed), target \(target) peers each, walk interval \(walkInterval) s, "
            + "max peers \(maxPeers), signatures \(skipSignatures ? "skipped" : "checked") (set up in \(cFormat("%.2f", setUp)) s)")
        let simulation = swarm.simulation
        let start = simulation.clock.now
        let runStart = ContinuousClock.now
        var reachedAt = [Double?](repeating: nil, count: nodes)
        func converged() -> Bool {
            var all = true
            for (i, node) in swarm.nodes.enumerated() where reachedAt[i] == nil {
                if node.community.peerCount >= target {
                    reachedAt[i] = simulation.clock.now - start
                } else {
                    all = false
                }
            }
            return all
        }
        var ok = converged()
        while !ok && simulation.clock.now - start < timeout {
            let slice = min(progressInterval, timeout - (simulation.clock.now - start))
            ok = simulation.run(until: converged, within: slice)
            printProgress(swarm, target: target, simulated: simulation.clock.now - start, since: runStart)
        }
        let simulated = simulation.clock.now - start
        let wall = (ContinuousClock.now - runStart) / .seconds(1)
        let counters = simulation.counters
        print((ok ? "converged" : "NOT converged")
            + ": simulated \(cFormat("%.1f", simulated)) s, wall \(cFormat("%.2f", wall)) s "
            + "(\(cFormat("%.2f", simulated / max(wall, 1e-9)))× real time), \(counters.delivered) datagrams delivered, "
            + "digest=" + cFormat("%016llx", swarm.digest))
        if stepReport { printStepReport(swarm, reachedAt: reachedAt) }
        if !ok { throw ExitCode.failure }
    }

    /// `value` with one decimal.
    private func tenths(_ value: Double) -> String { cFormat("%.1f", value) }

    /// Where the random walks' steps went, for the whole swarm and for the slowest 5 % of nodes (by the time
    /// they reached the target; those that never did count as slowest).
    private func printStepReport(_ swarm: SimulatedSwarm<GenericCommunity>, reachedAt: [Double?]) {
        let order = reachedAt.indices.sorted { (reachedAt[$0] ?? .infinity) < (reachedAt[$1] ?? .infinity) }
        let tailCount = max(1, nodes / 20)
        func report(_ label: String, _ indices: some Collection<Int>) {
            var tally = RandomWalk.Tally()
            var c = CommunityCounters()
            for i in indices {
                let node = swarm.nodes[i]
                for case let walk as RandomWalk in node.scheduler.strategies { tally = tally + walk.tally }
                let n = node.community.counters
                c.requestsOverPeerLimit += n.requestsOverPeerLimit
                c.introductionsEmpty += n.introductionsEmpty
                c.introductionsOfPeers += n.introductionsOfPeers
                c.introductionsKnown += n.introductionsKnown
                c.introductionsNew += n.introductionsNew
            }
            let steps = Double(max(tally.steps, 1))
            func pct(_ n: Int, of total: Double) -> String { "\(n) (\(tenths(100 * Double(n) / max(total, 1))) %)" }
            let intros = Double(c.introductionsEmpty + c.introductionsOfPeers + c.introductionsKnown + c.introductionsNew)
            let times = indices.compactMap { reachedAt[$0] }
            let span = times.isEmpty ? "never" : "\(tenths(times.min()!))-\(tenths(times.max()!)) s"
            print("steps \(label) [\(indices.count) nodes, at target \(span)]: \(tally.steps) steps: walked \(pct(tally.walked, of: steps)), "
                + "asked (nothing walkable) \(pct(tally.askedNothingWalkable, of: steps)), asked (reset) \(pct(tally.askedByReset, of: steps)), "
                + "idle (window full) \(pct(tally.idledWindowFull, of: steps)), idle (interval) \(pct(tally.idledInterval, of: steps)); "
                + "walks answered \(tally.answered), expired \(tally.expired)")
            print("  introductions received \(Int(intros)): new \(pct(c.introductionsNew, of: intros)), known \(pct(c.introductionsKnown, of: intros)), "
                + "of a peer \(pct(c.introductionsOfPeers, of: intros)), empty \(pct(c.introductionsEmpty, of: intros)); "
                + "requests answered at the cap without taking the requester \(c.requestsOverPeerLimit)")
        }
        report("all", reachedAt.indices)
        report("slowest 5 %", order.suffix(tailCount))
        report("slowest node", order.suffix(1))
    }

    private func printProgress(_ swarm: SimulatedSwarm<GenericCommunity>, target: Int, simulated: Double,
                               since start: ContinuousClock.Instant) {
        let counts = swarm.nodes.map(\.community.peerCount).sorted()
        let done = counts.count - (counts.firstIndex { $0 >= target } ?? counts.count)
        let wall = (ContinuousClock.now - start) / .seconds(1)
        print(cFormat("t=%6.1fs (wall %6.2fs) ", simulated, wall)
            + "at target \(done)/\(counts.count) | peers min \(counts.first!) median \(counts[counts.count / 2]) max \(counts.last!)")
        fflush(nil)   // progress goes out at once, also into a pipe
    }
}
