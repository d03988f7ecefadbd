import Foundation
import IPv8
import IPv8Testing
import XCTest

/// Large simulated swarms behind one bootstrap node: convergence and bit-for-bit reproducibility.
final class SimulatedConvergenceTests: XCTestCase {
    private struct Outcome: Equatable {
        var converged: Bool
        var seconds: Double
        var digest: UInt64
        var sent: Int
    }

    private func converge(nodes count: Int, seed: UInt64, latency: Double = 0, drop: Double = 0) throws -> Outcome {
        let swarm = try SimulatedSwarm(count: count, seed: seed, maxPeers: 30, latency: latency, bootstrapToFirst: true,
                                       randomWalkTarget: 20) { try PlainCommunity(context: $0) }
        swarm.simulation.dropProbability = drop
        let wall = Date()
        let converged = swarm.simulation.run(until: { swarm.minimumPeerCount >= 20 }, within: 300)
        let seconds = swarm.simulation.clock.now
        let counts = swarm.nodes.map(\.community.peerCount)
        // py-ipv8 drops intro-requests only when the count *exceeds* max_peers, so 31 is reachable (spec §5.6).
        XCTAssertTrue(counts.allSatisfy { $0 <= 31 }, "maxPeers holds, py-ipv8 style")
        let outcome = Outcome(converged: converged, seconds: seconds, digest: swarm.digest,
                              sent: swarm.simulation.counters.sent)
        // Numbers for the record (the test prints, like SwarmTests; the kit itself never does).
        print("SIM: \(count) nodes, seed \(seed): converged \(converged) after \(seconds) simulated s, " +
                               "\(outcome.sent) datagrams, wall \(String(format: "%.1f", -wall.timeIntervalSinceNow)) s, " +
                               "digest \(String(outcome.digest, radix: 16)), peers min \(counts.min() ?? 0) max \(counts.max() ?? 0)")
        return outcome
    }

    /// The debug-build size, 500 (three runs with signatures checked take about 14 s in `make test`; the stock test
    /// below runs 1,000 nodes); set IPV8_SIM_NODES=1000 for the full-size run.
    private var nodeCount: Int {
        ProcessInfo.processInfo.environment["IPV8_SIM_NODES"].flatMap(Int.init) ?? 500
    }

    func testSwarmConvergesAndIsReproducible() throws {
        let first = try converge(nodes: nodeCount, seed: 42)
        XCTAssertTrue(first.converged, "not converged within 300 simulated s")
        let again = try converge(nodes: nodeCount, seed: 42)
        XCTAssertEqual(first, again, "same seed, same run")
        let other = try converge(nodes: nodeCount, seed: 43)
        XCTAssertTrue(other.converged)
        XCTAssertNotEqual(first.digest, other.digest, "another seed, another run")
    }

    func testLossyLaggyNetworkStillConvergesAndIsReproducible() throws {
        let first = try converge(nodes: 100, seed: 7, latency: 0.05, drop: 0.1)
        XCTAssertTrue(first.converged)
        XCTAssertEqual(first, try converge(nodes: 100, seed: 7, latency: 0.05, drop: 0.1))
    }

    /// Issue 15's target on the simulated network: 1,000 nodes with stock settings (target 20, walk interval
    /// 0.5 s, cap 30) behind one bootstrap node converge within 13 simulated s, and most steps walk to a new
    /// address. Measured with `ipv8-node simulate --step-report`: before the walker's address was taken from
    /// puncture requests and the reset chance was limited to walks going unanswered, seeds 1–8 took
    /// 13.5–16.5 s and 65 % of the steps walked (seed 1); now 10.5–13.5 s and 86 %.
    func testStockSwarmConvergesWithinThirteenSimulatedSeconds() throws {
        for seed: UInt64 in [1, 3] {
            let swarm = try SimulatedSwarm(count: 1_000, seed: seed, signatures: .skipped, bootstrapToFirst: true,
                                           randomWalkTarget: 20) { try PlainCommunity(context: $0) }
            let converged = swarm.simulation.run(until: { swarm.minimumPeerCount >= 20 }, within: 13)
            let tally = swarm.nodes.reduce(RandomWalk.Tally()) { sum, node in
                node.scheduler.strategies.compactMap { $0 as? RandomWalk }.reduce(sum) { $0 + $1.tally }
            }
            let walkedShare = Double(tally.walked) / Double(max(tally.steps, 1))
            print("SIM stock 1,000 nodes, seed \(seed): converged \(converged) at \(swarm.simulation.clock.now) s, "
                  + "\(tally.steps) steps, walked \(Int((1000 * walkedShare).rounded())) ‰")
            XCTAssertTrue(converged, "seed \(seed): not converged within 13 simulated s")
            XCTAssertGreaterThan(walkedShare, 0.8, "seed \(seed): too many steps asked a known peer")
        }
    }
}
