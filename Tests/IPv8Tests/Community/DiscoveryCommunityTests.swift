import IPv8Testing
import XCTest
@testable import IPv8

final class DiscoveryCommunityTests: XCTestCase {
    func testSimilarityBothWaysRecordsServicesPerLocalKey() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try DiscoveryNode(loop: loop, key: Vectors.keyA), b = try DiscoveryNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }
        try a.addTestCommunity(key: Vectors.keyC)
        let aDiscoveryKey = Peer(key: Vectors.keyA.publicKey), aTestKey = Peer(key: Vectors.keyC.publicKey)

        // A walks to B; B's response makes A send one similarity request per local key.
        a.discovery.walkTo(b.address)
        drive(loop) { b.network.services(for: aTestKey) == [PlainCommunity.defaultID] && a.peer(b) != nil }
        XCTAssertEqual(b.discovery.counters.handledByID[Int(SimilarityRequestPayload.messageID)], 2)
        XCTAssertEqual(b.network.services(for: aDiscoveryKey), [DiscoveryCommunity.id])
        XCTAssertFalse(b.network.isVerified(aTestKey), "a similarity request alone does not verify")
        drive(loop) { a.discovery.counters.handledByID[Int(SimilarityResponsePayload.messageID)] == 2 }
        XCTAssertEqual(a.network.services(for: a.peer(b)!), [DiscoveryCommunity.id])

        // B asks A: A answers once per key, so B verifies both of A's keys with the right services.
        b.discovery.sendSimilarityRequest(to: a.address)
        drive(loop) { b.network.isVerified(aTestKey) }
        XCTAssertEqual(b.network.verifiedPeerCount, 2)
        XCTAssertEqual(b.network.services(for: aDiscoveryKey), [DiscoveryCommunity.id])
        XCTAssertEqual(b.network.services(for: aTestKey), [PlainCommunity.defaultID])
        XCTAssertEqual(b.network.peersForService(PlainCommunity.defaultID).map(\.publicKeyBin), [aTestKey.publicKeyBin])
    }

    func testPingPongBothWaysRecordsRTT() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try DiscoveryNode(loop: loop, key: Vectors.keyA), b = try DiscoveryNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }
        a.discovery.walkTo(b.address)
        drive(loop) { a.peer(b) != nil && b.peer(a) != nil }
        let peerB = try XCTUnwrap(a.peer(b)), peerA = try XCTUnwrap(b.peer(a))

        a.discovery.sendPing(peerB)
        drive(loop) { peerB.pings.count == 1 }
        b.discovery.sendPing(peerA)
        drive(loop) { peerA.pings.count == 1 }
        XCTAssertTrue(a.discovery.pendingPings.isEmpty)
        XCTAssertTrue(b.discovery.pendingPings.isEmpty)
        XCTAssertGreaterThanOrEqual(peerB.pings[0], 0)
        XCTAssertEqual(a.discovery.counters.handledByID[Int(PingPayload.messageID)], 1)
        XCTAssertEqual(a.discovery.counters.handledByID[Int(PongPayload.messageID)], 1)
    }

    func testLegacyDispersyIntroductionRequestYieldsAVerifiedPeer() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try DiscoveryNode(loop: loop, key: Vectors.keyA), b = try DiscoveryNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }
        let request = IntroductionRequestPayload(destinationAddress: b.address, sourceLANAddress: a.address,
                                                 sourceWANAddress: a.address, identifier: 4242, supportsNewStyle: true)
        let legacy = DiscoveryIntroductionRequestPayload(introduceTo: Vectors.keyC.publicKey.mid, request: request)
        let packet = PacketEncoder.coreSigned(legacy, prefix: a.discovery.prefix, globalTime: 4242, key: Vectors.keyA)
        XCTAssertEqual(packet[CommunityPrefix.length + 1 + 2 + 74 + 8], 0x59, "the legacy \"Y\" marker")
        a.service.endpoint.send(packet, to: b.address)

        drive(loop) { b.peer(a) != nil && a.peer(b) != nil }
        XCTAssertEqual(b.discovery.peers.map(\.publicKeyBin), [Vectors.keyA.publicKey.bin])
        XCTAssertEqual(b.discovery.counters.handledByID[246], 1)
        XCTAssertEqual(a.discovery.counters.handledByID[245], 1, "answered in the old style")
    }
}
