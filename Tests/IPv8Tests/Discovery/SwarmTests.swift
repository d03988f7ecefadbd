import XCTest
@testable import IPv8

/// Fifty nodes on loopback, one loop, one bootstrap node.
final class SwarmTests: XCTestCase {
    func testFiftyNodesBehindOneBootstrapNodeAllReachTwentyPeersThenRandomWalkPausesAndResumes() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let interval = 0.05
        let hub = try TestNode(loop: loop, walkInterval: interval, seed: 1)
        var nodes = [hub]
        for i in 1..<50 {
            nodes.append(try TestNode(loop: loop, walkInterval: interval, bootstrap: [hub.address], seed: UInt64(i + 1)))
        }
        defer { nodes.forEach { $0.service.stop() } }
        var walks: [RandomWalk] = []
        for node in nodes {
            let walk = RandomWalk(overlay: node.community)
            walks.append(walk)
            node.service.addStrategy(walk, targetPeers: 20)
            node.service.start()
        }

        let clock = hub.service.clock
        let start = clock.now
        let converged = loop.run(until: { nodes.allSatisfy { $0.community.peerCount >= 20 } }, timeout: .seconds(60))
        let elapsed = clock.now - start
        let counts = nodes.map(\.community.peerCount)
        XCTAssertTrue(converged, "peer counts after \(elapsed) s: \(counts)")
        XCTAssertTrue(counts.allSatisfy { $0 <= 30 }, "maxPeers 30 holds: \(counts)")
        print("SWARM: 50 nodes reached 20 peers in \(String(format: "%.2f", elapsed)) s; " +
              "peer counts min \(counts.min()!) max \(counts.max()!); hub \(hub.community.peerCount)")

        // At the target every RandomWalk is skipped: steps stop increasing.
        let steps = nodes.map { $0.service.scheduler.stepsTaken(by: walks[nodes.firstIndex(of: $0)!]) }
        loop.run(for: .milliseconds(300))
        let later = nodes.enumerated().map { $0.element.service.scheduler.stepsTaken(by: walks[$0.offset]) }
        XCTAssertEqual(steps, later)

        // Remove peers from one node: its walk resumes and brings it back to 20.
        let victim = nodes[7], walk = walks[7]
        for peer in victim.community.peers.prefix(victim.community.peerCount - 15) { victim.network.removePeer(peer) }
        XCTAssertEqual(victim.community.peerCount, 15)
        let before = victim.service.scheduler.stepsTaken(by: walk)
        drive(loop, seconds: 30) { victim.community.peerCount >= 20 }
        XCTAssertGreaterThan(victim.service.scheduler.stepsTaken(by: walk), before)
        XCTAssertEqual(victim.service.scheduler.overruns, 0)
    }
}

extension TestNode: Equatable {
    static func == (lhs: TestNode, rhs: TestNode) -> Bool { lhs === rhs }
}
