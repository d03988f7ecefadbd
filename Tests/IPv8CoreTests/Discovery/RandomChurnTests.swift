import IPv8Testing
import XCTest
@testable import IPv8Core

/// Ports of py-ipv8's test_churn.py: two Discovery nodes on the simulated network, then one community in
/// memory on an embedded endpoint.
final class RandomChurnTests: SimulatedTestCase {
    // MARK: On the simulated network

    private func discoveryPair() throws -> (SimulatedNode<DiscoveryCommunity>, SimulatedNode<DiscoveryCommunity>) {
        let a = try node(key: Vectors.keyA, maxPeers: -1) { try DiscoveryCommunity(context: $0) }
        let b = try node(key: Vectors.keyB, maxPeers: -1) { try DiscoveryCommunity(context: $0) }
        a.community.walkTo(b.address)
        run { a.knows(b) && b.knows(a) }
        return (a, b)
    }

    private func peer(_ other: SimulatedNode<DiscoveryCommunity>, of node: SimulatedNode<DiscoveryCommunity>) throws -> Peer {
        try XCTUnwrap(node.network.verifiedPeer(byPublicKeyBin: other.community.myPeer.publicKeyBin))
    }

    func testReachablePeerWithOldLastResponseIsPingedAnswersAndIsKept() throws {
        let (a, b) = try discoveryPair()
        let peerB = try peer(b, of: a)
        let churn = RandomChurn(overlay: a.community, settings: .init(pingInterval: .zero))
        let old = simulation.clock.now - 30
        peerB.lastResponse = old

        try churn.takeStep()
        XCTAssertNotNil(churn.pinged[peerB.address])
        run { peerB.pings.count == 1 }
        XCTAssertGreaterThan(peerB.lastResponse, old, "the pong refreshed last_response")
        try churn.takeStep()
        XCTAssertTrue(a.network.isVerified(peerB))
    }

    func testStoppedNodeIsPingedDoesNotAnswerAndIsDropped() throws {
        let (a, b) = try discoveryPair()
        let peerB = try peer(b, of: a)
        b.stop()
        let churn = RandomChurn(overlay: a.community, settings: .init(pingInterval: .zero))
        peerB.lastResponse = simulation.clock.now - 30

        try churn.takeStep()
        XCTAssertNotNil(churn.pinged[peerB.address])
        XCTAssertEqual(a.community.pendingPings.count, 1)
        XCTAssertFalse(simulation.run(until: { peerB.pings.count > 0 }, within: 0.2), "no pong")
        XCTAssertTrue(a.network.isVerified(peerB))

        peerB.lastResponse = simulation.clock.now - 60
        try churn.takeStep()
        XCTAssertFalse(a.network.isVerified(peerB))
        XCTAssertEqual(a.network.verifiedPeerCount, 0)
        XCTAssertNil(churn.pinged[peerB.address])
    }

    /// Cut off for good, b is removed; its address is tried again after 5, then 10 s (backing off) while the
    /// split lasts, and once it answers it is a peer again and forgotten from the lost list.
    func testARemovedPeersAddressIsTriedAgainWithBackoffUntilItAnswers() throws {
        let (a, b) = try discoveryPair()
        let peerB = try peer(b, of: a)
        simulation.partition([[a.address], [b.address]])
        let churn = RandomChurn(overlay: a.community, settings: .init(pingInterval: .zero))
        peerB.lastResponse = simulation.clock.now - 60
        try churn.takeStep()   // pinged
        try churn.takeStep()   // removed
        XCTAssertFalse(a.network.isVerified(peerB))
        XCTAssertEqual(churn.lost.map(\.address), [b.address])

        let cut = simulation.counters.partitionDropped
        try churn.takeStep()
        XCTAssertEqual(simulation.counters.partitionDropped, cut, "nothing before 5 s")
        simulation.advance(by: 5)
        try churn.takeStep()
        XCTAssertEqual(simulation.counters.partitionDropped, cut + 1, "one introduction request after 5 s")
        simulation.advance(by: 9)
        try churn.takeStep()
        XCTAssertEqual(simulation.counters.partitionDropped, cut + 1, "the next waits 10 s")

        simulation.healPartitions()
        simulation.advance(by: 1)
        try churn.takeStep()
        run { a.knows(b) }
        try churn.takeStep()
        XCTAssertEqual(churn.lost, [], "an address that answered is forgotten")
    }

    func testWithoutReprobingARemovedPeerIsForgotten() throws {
        let (a, b) = try discoveryPair()
        let peerB = try peer(b, of: a)
        var settings = RandomChurn.Settings(pingInterval: .zero)
        settings.reprobeInterval = nil
        let churn = RandomChurn(overlay: a.community, settings: settings)
        b.stop()
        peerB.lastResponse = simulation.clock.now - 60
        try churn.takeStep()
        try churn.takeStep()
        XCTAssertFalse(a.network.isVerified(peerB))
        XCTAssertEqual(churn.lost, [])
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
