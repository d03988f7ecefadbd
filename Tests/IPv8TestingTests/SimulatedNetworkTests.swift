import IPv8
import Logging
import IPv8Testing
import XCTest

/// The simulated internet's mechanics: deferred delivery, latency, drops, partitions, unknown addresses.
final class SimulatedNetworkTests: XCTestCase {
    private func swarm(_ count: Int, seed: UInt64 = 1, latency: Double = 0) throws -> SimulatedSwarm<PlainCommunity> {
        try SimulatedSwarm(count: count, seed: seed, latency: latency) { try PlainCommunity(context: $0) }
    }

    func testSendsAreDeferredUntilDeliverMessagesThenEveryoneKnowsEveryone() throws {
        let swarm = try swarm(4)
        let (a, b) = (swarm.nodes[0], swarm.nodes[1])
        a.community.walkTo(b.address)
        XCTAssertEqual(swarm.simulation.pendingCount, 1, "queued, not delivered")
        XCTAssertEqual(b.community.peerCount, 0)
        swarm.simulation.deliverMessages()
        XCTAssertTrue(a.knows(b) && b.knows(a))
        XCTAssertEqual(swarm.simulation.pendingCount, 0)

        swarm.introduceAll()
        XCTAssertTrue(swarm.everyoneKnowsEveryone)
        let counters = swarm.simulation.counters
        XCTAssertEqual(counters.sent, counters.delivered + counters.dropped)
    }

    /// A scheduler driven twice ticks once per period; once no longer driven it does not tick; driven again, it does.
    func testDrivingASchedulerTwiceTicksItOnceAndStoppingStopsIt() {
        let simulation = SimulatedNetwork()
        let scheduler = StrategyScheduler(clock: simulation.clock, logger: Logger(label: "test"))
        simulation.drive(scheduler)
        simulation.drive(scheduler)
        simulation.advance(by: 10 * scheduler.tickPeriod.seconds + 1e-6)
        XCTAssertEqual(scheduler.ticks, 10)
        simulation.stopDriving(scheduler)
        simulation.advance(by: 10)
        XCTAssertEqual(scheduler.ticks, 10)
        simulation.drive(scheduler)
        simulation.advance(by: 2 * scheduler.tickPeriod.seconds + 1e-6)
        XCTAssertEqual(scheduler.ticks, 12)
    }

    func testLatencyDelaysDeliveryUntilTimeAdvances() throws {
        let swarm = try swarm(2, latency: 0.2)
        let (a, b) = (swarm.nodes[0], swarm.nodes[1])
        a.community.walkTo(b.address)
        swarm.simulation.deliverMessages()
        XCTAssertEqual(swarm.simulation.counters.delivered, 0, "not due yet")
        swarm.simulation.advance(by: 0.2)
        XCTAssertTrue(b.knows(a), "the request arrived")
        XCTAssertFalse(a.knows(b), "the response is still in flight")
        swarm.simulation.advance(by: 0.2)
        XCTAssertTrue(a.knows(b))
        XCTAssertEqual(swarm.simulation.clock.now, 0.4, accuracy: 1e-9)
    }

    func testDropProbabilityOneDeliversNothing() throws {
        let swarm = try swarm(5)
        swarm.simulation.dropProbability = 1
        swarm.introduceAll()
        swarm.simulation.advance(by: 5)
        let counters = swarm.simulation.counters
        XCTAssertEqual(counters.sent, 20)
        XCTAssertEqual(counters.randomlyDropped, 20)
        XCTAssertEqual(counters.delivered, 0)
        XCTAssertTrue(swarm.nodes.allSatisfy { $0.community.peerCount == 0 })
    }

    func testPartitionedHalvesNeverVerifyEachOther() throws {
        let swarm = try SimulatedSwarm(count: 10, seed: 3, randomWalkTarget: -1) { try PlainCommunity(context: $0) }
        let left = Array(swarm.nodes[0..<5]), right = Array(swarm.nodes[5..<10])
        swarm.simulation.partition([left.map(\.address), right.map(\.address)])
        swarm.introduceAll()
        swarm.simulation.advance(by: 30)    // random walks keep trying across the cut
        for node in left { for other in right { XCTAssertFalse(node.knows(other) || other.knows(node)) } }
        for half in [left, right] {
            for node in half { for other in half where other !== node { XCTAssertTrue(node.knows(other)) } }
        }
        XCTAssertGreaterThanOrEqual(swarm.simulation.counters.partitionDropped, 50)

        swarm.simulation.healPartitions()
        swarm.introduceAll()
        XCTAssertTrue(swarm.everyoneKnowsEveryone, "healed")
    }

    func testUnknownDestinationIsACountedDrop() throws {
        let swarm = try swarm(1)
        swarm.nodes[0].community.walkTo(Address(127, 0, 9, 9, port: 1))
        swarm.nodes[0].endpoint.send([1, 2, 3], to: swarm.nodes[0].address)
        swarm.simulation.deliverMessages()
        XCTAssertEqual(swarm.simulation.counters.unknownDestination, 1)
        XCTAssertEqual(swarm.simulation.counters.noListener, 1, "too short for a prefix")
    }

    func testStoppedNodeGoesOffline() throws {
        let swarm = try swarm(2)
        swarm.nodes[1].stop()
        swarm.nodes[0].community.walkTo(swarm.nodes[1].address)
        swarm.simulation.deliverMessages()
        XCTAssertEqual(swarm.simulation.counters.unknownDestination, 1)
        XCTAssertThrowsError(try SimulatedNode(on: swarm.simulation, address: swarm.nodes[0].address, seed: 9) {
            try PlainCommunity(context: $0)
        })
    }

    func testDeterministicKeys() {
        XCTAssertEqual(PrivateKey.deterministic(seed: 5).bin, PrivateKey.deterministic(seed: 5).bin)
        XCTAssertNotEqual(PrivateKey.deterministic(seed: 5).bin, PrivateKey.deterministic(seed: 6).bin)
    }
}
