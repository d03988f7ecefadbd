import IPv8Testing
import XCTest
@testable import IPv8Core

/// DiscoveryCommunity's messages (similarity, ping/pong, the legacy introduction request) between two nodes on
/// the simulated network.
final class DiscoveryCommunityTests: SimulatedTestCase {
    private func discoveryNode(key: PrivateKey) throws -> SimulatedNode<DiscoveryCommunity> {
        try node(key: key, maxPeers: -1) { try DiscoveryCommunity(context: $0) }
    }

    /// The verified peer of `node` with `other`'s discovery key, if any.
    private func peer(_ other: SimulatedNode<DiscoveryCommunity>, of node: SimulatedNode<DiscoveryCommunity>) -> Peer? {
        node.network.verifiedPeer(byPublicKeyBin: other.community.myPeer.publicKeyBin)
    }

    func testSimilarityBothWaysRecordsServicesPerLocalKey() throws {
        let a = try discoveryNode(key: Vectors.keyA), b = try discoveryNode(key: Vectors.keyB)
        // A second overlay on A's endpoint and peer table, signing with another key.
        let extra = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyC, endpoint: a.endpoint, network: a.network, clock: simulation.clock, timers: simulation,
            random: RandomSource(seed: 2)))
        defer { extra.unload() }
        let aDiscoveryKey = Peer(key: Vectors.keyA.publicKey), aTestKey = Peer(key: Vectors.keyC.publicKey)

        // A walks to B; B's response makes A send one similarity request per local key.
        a.community.walkTo(b.address)
        run { b.network.services(for: aTestKey) == [PlainCommunity.defaultID] && peer(b, of: a) != nil }
        XCTAssertEqual(b.community.counters.handledByID[Int(SimilarityRequestPayload.messageID)], 2)
        XCTAssertEqual(b.network.services(for: aDiscoveryKey), [DiscoveryCommunity.id])
        XCTAssertFalse(b.network.isVerified(aTestKey), "a similarity request alone does not verify")
        run { a.community.counters.handledByID[Int(SimilarityResponsePayload.messageID)] == 2 }
        XCTAssertEqual(a.network.services(for: peer(b, of: a)!), [DiscoveryCommunity.id])

        // B asks A: A answers once per key, so B verifies both of A's keys with the right services.
        b.community.sendSimilarityRequest(to: a.address)
        run { b.network.isVerified(aTestKey) }
        XCTAssertEqual(b.network.verifiedPeerCount, 2)
        XCTAssertEqual(b.network.services(for: aDiscoveryKey), [DiscoveryCommunity.id])
        XCTAssertEqual(b.network.services(for: aTestKey), [PlainCommunity.defaultID])
        XCTAssertEqual(b.network.peersForService(PlainCommunity.defaultID).map(\.publicKeyBin), [aTestKey.publicKeyBin])
    }

    func testPingPongBothWaysRecordsRTT() throws {
        let a = try discoveryNode(key: Vectors.keyA), b = try discoveryNode(key: Vectors.keyB)
        a.community.walkTo(b.address)
        run { peer(b, of: a) != nil && peer(a, of: b) != nil }
        let peerB = try XCTUnwrap(peer(b, of: a)), peerA = try XCTUnwrap(peer(a, of: b))

        a.community.sendPing(peerB)
        run { peerB.pings.count == 1 }
        b.community.sendPing(peerA)
        run { peerA.pings.count == 1 }
        XCTAssertTrue(a.community.pendingPings.isEmpty)
        XCTAssertTrue(b.community.pendingPings.isEmpty)
        XCTAssertGreaterThanOrEqual(peerB.pings[0], 0)
        XCTAssertEqual(a.community.counters.handledByID[Int(PingPayload.messageID)], 1)
        XCTAssertEqual(a.community.counters.handledByID[Int(PongPayload.messageID)], 1)
    }

    func testLegacyDispersyIntroductionRequestYieldsAVerifiedPeer() throws {
        let a = try discoveryNode(key: Vectors.keyA), b = try discoveryNode(key: Vectors.keyB)
        let request = IntroductionRequestPayload(destinationAddress: b.address, sourceLANAddress: a.address,
                                                 sourceWANAddress: a.address, identifier: 4242, supportsNewStyle: true)
        let legacy = DiscoveryIntroductionRequestPayload(introduceTo: Vectors.keyC.publicKey.mid, request: request)
        let packet = PacketEncoder.coreSigned(legacy, prefix: a.community.prefix, globalTime: 4242, key: Vectors.keyA)
        XCTAssertEqual(packet[CommunityPrefix.length + 1 + 2 + 74 + 8], 0x59, "the legacy \"Y\" marker")
        a.endpoint.send(packet, to: b.address)

        run { peer(a, of: b) != nil && peer(b, of: a) != nil }
        XCTAssertEqual(b.community.peers.map(\.publicKeyBin), [Vectors.keyA.publicKey.bin])
        XCTAssertEqual(b.community.counters.handledByID[246], 1)
        XCTAssertEqual(a.community.counters.handledByID[245], 1, "answered in the old style")
    }
}
