import IPv8Testing
import XCTest
@testable import IPv8

/// Ports of py-ipv8's test_churn.py.
final class RandomChurnTests: XCTestCase {
    // MARK: On loopback

    func testReachablePeerWithOldLastResponseIsPingedAnswersAndIsKept() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try DiscoveryNode(loop: loop, key: Vectors.keyA), b = try DiscoveryNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }
        a.discovery.walkTo(b.address)
        drive(loop) { a.peer(b) != nil && b.peer(a) != nil }
        let peerB = try XCTUnwrap(a.peer(b))
        let churn = RandomChurn(overlay: a.discovery, settings: .init(pingInterval: .zero))
        let old = a.service.clock.now - 30
        peerB.lastResponse = old

        try churn.takeStep()
        XCTAssertNotNil(churn.pinged[peerB.address])
        drive(loop) { peerB.pings.count == 1 }
        XCTAssertGreaterThan(peerB.lastResponse, old, "the pong refreshed last_response")
        try churn.takeStep()
        XCTAssertTrue(a.network.isVerified(peerB))
    }

    func testStoppedNodeIsPingedDoesNotAnswerAndIsDropped() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try DiscoveryNode(loop: loop, key: Vectors.keyA), b = try DiscoveryNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop() }
        a.discovery.walkTo(b.address)
        drive(loop) { a.peer(b) != nil && b.peer(a) != nil }
        let peerB = try XCTUnwrap(a.peer(b))
        b.service.stop()
        let churn = RandomChurn(overlay: a.discovery, settings: .init(pingInterval: .zero))
        peerB.lastResponse = a.service.clock.now - 30

        try churn.takeStep()
        XCTAssertNotNil(churn.pinged[peerB.address])
        XCTAssertEqual(a.discovery.pendingPings.count, 1)
        XCTAssertFalse(loop.run(until: { peerB.pings.count > 0 }, timeout: .milliseconds(200)), "no pong")
        XCTAssertTrue(a.network.isVerified(peerB))

        peerB.lastResponse = a.service.clock.now - 60
        try churn.takeStep()
        XCTAssertFalse(a.network.isVerified(peerB))
        XCTAssertEqual(a.network.verifiedPeerCount, 0)
        XCTAssertNil(churn.pinged[peerB.address])
    }

    // MARK: In memory

    private let clock = ManualClock(start: 100)
    private lazy var timers = ManualTimerScheduler(clock: clock)
    private let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))

    private func inMemoryCommunity() throws -> DiscoveryCommunity {
        let network = Network()
        let community = try DiscoveryCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, timers: timers, random: RandomSource(seed: 5)))
        network.addVerifiedPeer(Peer(key: Vectors.keyB.publicKey, address: Address(127, 0, 0, 1, port: 9001),
                                     intro: false, now: clock.now))
        return community
    }

    private var pings: Int { endpoint.outbound.filter { $0.bytes[22] == PingPayload.messageID }.count }

    func testSampleSizeZeroDoesNothing() throws {
        let churn = RandomChurn(overlay: try inMemoryCommunity(), settings: .init(sampleSize: 0, pingInterval: .zero))
        try churn.takeStep()
        XCTAssertTrue(endpoint.outbound.isEmpty)
        XCTAssertTrue(churn.pinged.isEmpty)
    }

    func testLargePingIntervalSendsOnePingInTwoSteps() throws {
        let churn = RandomChurn(overlay: try inMemoryCommunity(), settings: .init(pingInterval: .seconds(1000)))
        try churn.takeStep()
        clock.advance(by: 1)
        try churn.takeStep()
        XCTAssertEqual(pings, 1)
    }

    func testNegativePingIntervalSendsTwoPingsInTwoSteps() throws {
        let churn = RandomChurn(overlay: try inMemoryCommunity(), settings: .init(pingInterval: .seconds(-1)))
        try churn.takeStep()
        try churn.takeStep()
        XCTAssertEqual(pings, 2)
    }

    func testSilentPeerThatWasNeverPingedIsPingedNotDropped() throws {
        let community = try inMemoryCommunity()
        let peer = community.network.verifiedPeers[0]
        for _ in 0..<Peer.maxPings { peer.addPing(0.01) }
        let churn = RandomChurn(overlay: community)
        try churn.takeStep()
        XCTAssertEqual(pings, 0, "five samples and recently heard from: left alone")
        clock.advance(by: 60)
        try churn.takeStep()
        XCTAssertEqual(pings, 1, "silent past drop_time but never pinged: pinged first")
        XCTAssertTrue(community.network.isVerified(peer))
        try churn.takeStep()
        XCTAssertFalse(community.network.isVerified(peer))
    }
}
