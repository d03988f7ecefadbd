import IPv8
import IPv8Testing
import XCTest

/// Real sockets on 127.0.0.1, one loop, several nodes.
final class LoopbackSwarmTests: XCTestCase {
    func testFiveNodesIntroduceAllAndEveryoneVerifiesEveryone() throws {
        let swarm = try LoopbackSwarm(count: 5, seed: 1) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        XCTAssertTrue(swarm.nodes.allSatisfy { $0.address.isLoopback && $0.address.port != 0 })
        swarm.introduceAll()
        XCTAssertTrue(swarm.run(until: { swarm.everyoneKnowsEveryone }, timeout: .seconds(5)))
    }

    func testRandomWalkStepsByHandReachTheBootstrapNode() throws {
        let swarm = try LoopbackSwarm(count: 4, seed: 2, bootstrapToFirst: true, randomWalkTarget: 3) {
            try PlainCommunity(context: $0)
        }
        defer { swarm.stop() }
        let hub = swarm.nodes[0]
        let ok = swarm.run(until: {
            swarm.stepStrategies()
            return swarm.nodes.dropFirst().allSatisfy { $0.knows(hub) }
        }, timeout: .seconds(5))
        XCTAssertTrue(ok)
    }
}
