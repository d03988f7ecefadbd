import IPv8Testing
import XCTest
@testable import IPv8Core

/// Ping bookkeeping and PeriodicSimilarity, in memory with a manual clock.
final class DiscoveryPingTests: XCTestCase {
    private let clock = ManualClock(start: 100)
    private lazy var timers = ManualTimerScheduler(clock: clock)
    private let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
    private let network = Network()
    private var community: DiscoveryCommunity!
    private var peer: Peer!

    override func setUpWithError() throws {
        community = try DiscoveryCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, timers: timers, random: RandomSource(seed: 3)))
        peer = Peer(key: Vectors.keyB.publicKey, address: Address(127, 0, 0, 1, port: 9001), intro: false, now: clock.now)
        network.addVerifiedPeer(peer)
    }

    private func pong(_ identifier: UInt16) {
        let packet = PacketEncoder.coreUnsigned(PongPayload(identifier: identifier), prefix: community.prefix, globalTime: 1)
        packet.withUnsafeBytes { community.receive($0, from: peer.address) }
    }

    private func lastPingIdentifier() throws -> UInt16 {
        let bytes = try XCTUnwrap(endpoint.outbound.last).bytes
        XCTAssertEqual(bytes.count, 33)
        XCTAssertEqual(bytes[22], PingPayload.messageID)
        return UInt16(bytes[31]) << 8 | UInt16(bytes[32])
    }

    func testPongMatchesByWireIdentifierPastTheSixteenBitClock() throws {
        community.myPeer.updateClock(70_000, now: clock.now)
        community.sendPing(peer)
        let id = try lastPingIdentifier()
        XCTAssertEqual(id, UInt16(70_001 % 65_536))
        clock.advance(by: 0.25)
        pong(id)
        XCTAssertEqual(peer.pings, [0.25])
        pong(id)                                            // a duplicate pong has nothing to match
        XCTAssertEqual(peer.pings.count, 1)
    }

    func testUnansweredPingsExpireAfterFiveSeconds() throws {
        community.sendPing(peer)
        let id = try lastPingIdentifier()
        timers.advance(by: 4.9)
        XCTAssertEqual(community.pendingPings.count, 1, "still pending before the timeout")
        timers.advance(by: 0.6)
        XCTAssertTrue(community.pendingPings.isEmpty, "the timeout timer forgot it")
        pong(id)
        XCTAssertTrue(peer.pings.isEmpty)
        XCTAssertTrue(community.pendingPings.isEmpty)
    }

    func testPeriodicSimilaritySendsAtMostOncePerSecond() throws {
        let strategy = PeriodicSimilarity(overlay: community)
        func requests() -> Int { endpoint.outbound.filter { $0.bytes[22] == SimilarityRequestPayload.messageID }.count }
        try strategy.takeStep()
        try strategy.takeStep()
        XCTAssertEqual(requests(), 1)
        XCTAssertEqual(endpoint.outbound.last?.destination, peer.address)
        clock.advance(by: 0.5)
        try strategy.takeStep()
        XCTAssertEqual(requests(), 1)
        clock.advance(by: 0.6)
        try strategy.takeStep()
        XCTAssertEqual(requests(), 2)
    }

    func testPeriodicSimilarityDoesNothingWithoutPeers() throws {
        network.removePeer(peer)
        try PeriodicSimilarity(overlay: community).takeStep()
        XCTAssertTrue(endpoint.outbound.isEmpty)
    }
}
