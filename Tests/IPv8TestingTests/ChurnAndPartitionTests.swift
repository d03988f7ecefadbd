import Foundation
import IPv8
import IPv8Testing
import XCTest

/// Churn and partitions in the simulated network: nodes (200 in `make test`; `make churn` runs 1,000,
/// IPV8_CHURN_NODES) running py-ipv8's stock discovery overlay
/// (DiscoveryCommunity with RandomWalk to 20 peers, RandomChurn and PeriodicSimilarity; peer cap 30,
/// walk interval 0.5 s). Each test prints its figures (`CHURN:` lines) and asserts the bounds it states.
final class ChurnAndPartitionTests: XCTestCase {
    /// The nodes of one run and the way new ones join.
    final class World {
        let simulation: SimulatedNetwork
        private(set) var nodes: [SimulatedNode<DiscoveryCommunity>] = []
        let seed: UInt64
        var random: RandomSource

        init(nodes count: Int, seed: UInt64) throws {
            self.seed = seed
            simulation = SimulatedNetwork(seed: seed)
            random = RandomSource(seed: seed &+ 99)
            for _ in 0..<count { try join() }
        }

        var hub: Address { SimulatedSwarm<DiscoveryCommunity>.address(ofNode: 0) }

        /// A new node with the stock strategies, bootstrapping to node 0.
        @discardableResult
        func join() throws -> SimulatedNode<DiscoveryCommunity> {
            let index = nodes.count
            let node = try SimulatedNode(on: simulation, address: SimulatedSwarm<DiscoveryCommunity>.address(ofNode: index),
                                         seed: seed ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15, maxPeers: 30,
                                         bootstrap: index == 0 ? [] : [hub]) { try DiscoveryCommunity(context: $0) }
            node.addRandomWalk(targetPeers: 20)
            node.addStrategy(RandomChurn(overlay: node.community), targetPeers: -1)
            node.addStrategy(PeriodicSimilarity(overlay: node.community), targetPeers: -1)
            nodes.append(node)
            return node
        }

        var running: [SimulatedNode<DiscoveryCommunity>] { nodes.filter(\.isRunning) }
        var graph: OverlayGraph { OverlayGraph(nodes) }
        var components: Int { graph.componentSizes.count }

        /// Runs until every running node has `peers` peers; returns the simulated seconds it took.
        func converge(peers: Int = 20, within seconds: Double = 300) -> Double? {
            let start = simulation.clock.now
            let ok = simulation.run(until: { running.allSatisfy { $0.community.peerCount >= peers } }, within: seconds)
            return ok ? simulation.clock.now - start : nil
        }

        /// Runs until `condition` holds, checking every simulated second; the seconds it took, or nil.
        func time(within seconds: Double, until condition: () -> Bool) -> Double? {
            let start = simulation.clock.now
            let ok = simulation.run(until: condition, within: seconds, step: 1)
            return ok ? simulation.clock.now - start : nil
        }

        /// `k` distinct running nodes other than node 0, drawn from the world's seed.
        func pick(_ k: Int) -> [SimulatedNode<DiscoveryCommunity>] {
            var pool = Array(running.dropFirst())
            for i in 0..<k { pool.swapAt(i, random.int(in: i...(pool.count - 1))) }
            return Array(pool.prefix(k))
        }
    }

    private var nodeCount: Int { ProcessInfo.processInfo.environment["IPV8_CHURN_NODES"].flatMap(Int.init) ?? 200 }

    private func spread(_ values: [Int]) -> String {
        let sorted = values.sorted()
        let mean = Double(values.reduce(0, +)) / Double(max(values.count, 1))
        let sd = (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(values.count, 1))).squareRoot()
        return "min \(sorted.first ?? 0) p10 \(sorted[sorted.count / 10]) median \(sorted[sorted.count / 2]) "
            + "p90 \(sorted[sorted.count * 9 / 10]) max \(sorted.last ?? 0) mean \(String(format: "%.1f", mean)) sd \(String(format: "%.1f", sd))"
    }

    func testKillingThirtyPercentLeavesOneComponentThatRepairsItself() throws {
        let world = try World(nodes: nodeCount, seed: 11)
        let converged = try XCTUnwrap(world.converge(), "the swarm converges")
        world.simulation.advance(by: 60)   // steady state
        let degrees = world.graph.inDegrees
        print("CHURN: \(nodeCount) nodes converged in \(converged) s; steady-state in-degree \(spread(degrees))")
        XCTAssertGreaterThan(degrees.min() ?? 0, 0, "no node is unknown to all others")

        for node in world.pick(nodeCount * 3 / 10) { node.stop() }
        let survivors = world.running.count
        let right = world.graph.componentSizes
        let oneComponent = world.time(within: 30) { world.components == 1 }
        let cleaned = world.time(within: 180) { OverlayGraph.stalePeerCount(world.nodes) == 0 }
        let refilled = world.converge(within: 120)
        print("CHURN: killed 30 % → \(survivors) survivors in \(right.count) components (largest \(right.first ?? 0)) at once; "
              + "one component after \(oneComponent.map { "\($0) s" } ?? "more than 30 s"); dead peers gone after "
              + "\(cleaned.map { "\($0) s more" } ?? "more than 180 s"); all back to 20 peers \(refilled.map { "\($0) s later" } ?? "not within 120 s")")
        XCTAssertNotNil(oneComponent, "the survivors form one component within 30 s")
        XCTAssertNotNil(cleaned, "RandomChurn removes every dead peer")
        XCTAssertNotNil(refilled, "every survivor walks back to its target")
        XCTAssertEqual(world.components, 1)
    }

    /// Splits a converged swarm in two random halves for `seconds`, heals it; the components at the end of
    /// the split and the seconds until one component again (nil: not within `healWithin`).
    private func split(for seconds: Double, healWithin: Double, seed: UInt64) throws -> (split: [Int], healed: Double?) {
        let world = try World(nodes: nodeCount, seed: seed)
        XCTAssertNotNil(world.converge())
        world.simulation.advance(by: 30)
        let shuffled = world.pick(world.running.count - 1) + [world.nodes[0]]
        let halves = [Array(shuffled.prefix(shuffled.count / 2)), Array(shuffled.dropFirst(shuffled.count / 2))]
        world.simulation.partition(halves.map { $0.map(\.address) })
        world.simulation.advance(by: seconds)
        let split = world.graph.componentSizes
        world.simulation.healPartitions()
        let healed = world.time(within: healWithin) { world.components == 1 }
        print("CHURN: \(nodeCount) nodes split in halves for \(Int(seconds)) s → \(split.count) components "
              + "(\(split.prefix(4).map(String.init).joined(separator: ", "))); one component "
              + "\(healed.map { "\($0) s after healing" } ?? "not within \(Int(healWithin)) s of healing")")
        return (split, healed)
    }

    /// py-ipv8's churn removes a peer after 57.5 s of silence, pinged: within a 60 s split most links across
    /// survive, so the overlay stays one component and heals at once.
    func testASixtySecondSplitHealsIntoOneComponentWithinThirtySeconds() throws {
        let (_, healed) = try split(for: 60, healWithin: 30, seed: 12)
        XCTAssertNotNil(healed, "one component within 30 s of healing")
    }

    /// A split longer than churn's drop time cuts every link across: two components. The stock strategies
    /// stop walking at their target, so nothing would cross again; RandomChurn tries removed peers'
    /// addresses again (``RandomChurn/Settings/reprobeInterval``), and one answer joins the halves.
    func testASplitPastTheDropTimeCutsTheOverlayInTwoAndStillHealsWithinThirtySeconds() throws {
        let (split, healed) = try split(for: 120, healWithin: 60, seed: 14)
        XCTAssertGreaterThanOrEqual(split.count, 2, "no link across survives 120 s of silence")
        XCTAssertLessThanOrEqual(try XCTUnwrap(healed, "one component again"), 30)
    }

    func testInterleavedJoinsAndLeavesNeverPartitionForGood() throws {
        let world = try World(nodes: nodeCount, seed: 13)
        XCTAssertNotNil(world.converge())
        var samples: [Int] = [], largestShare: [Double] = []
        // Every second one node leaves and a new one joins, until 30 % of the swarm is replaced.
        let churnSeconds = nodeCount * 3 / 10
        for second in 1...churnSeconds {
            world.pick(1)[0].stop()
            try world.join()
            world.simulation.advance(by: 1)
            if second % 5 == 0 {
                let sizes = world.graph.componentSizes
                samples.append(sizes.count)
                largestShare.append(Double(sizes.first ?? 0) / Double(world.running.count))
            }
        }
        let merged = world.time(within: 60) { world.components == 1 }
        let degrees = world.graph.inDegrees
        print("CHURN: \(churnSeconds) joins and \(churnSeconds) leaves interleaved in \(nodeCount) nodes → components per 5 s sample: max \(samples.max() ?? 0), "
              + "\(samples.filter { $0 > 1 }.count) of \(samples.count) samples split; smallest largest-component share "
              + "\(String(format: "%.3f", largestShare.min() ?? 0)); one component \(merged.map { "\($0) s" } ?? "not within 60 s") after "
              + "churn stopped; in-degree \(spread(degrees))")
        XCTAssertNotNil(merged, "no permanent partition")
    }
}
