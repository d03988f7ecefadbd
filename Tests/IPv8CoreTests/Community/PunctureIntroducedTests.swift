import IPv8Testing
import XCTest
@testable import IPv8Core

/// An introduction response that names a peer makes us puncture it at once, with the low puncture TTL, so
/// that our NAT's mapping exists before the far node's puncture (sent at the system's TTL by py-ipv8)
/// reaches our NAT. On the embedded endpoint, with the NAT lab's addresses.
final class PunctureIntroducedTests: XCTestCase {
    let clock = ManualClock(start: 100)
    lazy var timers = ManualTimerScheduler(clock: clock)
    let endpoint = EmbeddedEndpoint(at: Address(10, 1, 0, 11, port: 8090))
    let tracker = Address(198, 18, 0, 2, port: 6421)
    let farLAN = Address(10, 2, 0, 11, port: 8090), farWAN = Address(198, 18, 2, 2, port: 8090)

    func makeCommunity() throws -> PlainCommunity {
        try PlainCommunity(context: CommunityContext(key: Vectors.keyA, endpoint: endpoint, network: Network(),
                                                     clock: clock, timers: timers))
    }

    /// The tracker's response to our request, introducing the node at `lan`/`wan`.
    func introduce(_ community: Community, lan: Address, wan: Address, newStyle: Bool = false) {
        let payload = IntroductionResponsePayload(
            destinationAddress: Address(198, 18, 1, 2, port: 8090), sourceLANAddress: tracker, sourceWANAddress: tracker,
            lanIntroductionAddress: lan, wanIntroductionAddress: wan, identifier: 1, introSupportsNewStyle: newStyle)
        XCTAssertTrue(endpoint.writeInbound(PacketEncoder.coreSigned(payload, prefix: community.prefix, globalTime: 1,
                                                                     key: Vectors.keyB), from: tracker))
    }

    func punctures() -> [EmbeddedEndpoint.Datagram] {
        endpoint.outbound.filter { [MessageID.puncture, MessageID.newPuncture].contains($0.bytes[22]) }
    }

    func testAnIntroducedNodeIsPuncturedAtOnceWithTheLowTTL() throws {
        let community = try makeCommunity()
        defer { community.unload() }
        introduce(community, lan: farLAN, wan: farWAN)
        XCTAssertEqual(punctures().map(\.destination), [farWAN, farWAN, farLAN, farLAN], "the public address first, twice")
        XCTAssertEqual(punctures().map(\.ttl), [2, 2, 2, 2])
        XCTAssertEqual(Set(punctures().map { $0.bytes[22] }), [MessageID.puncture])
        XCTAssertEqual(community.counters.puncturesIntroduced, 2)
        XCTAssertEqual(community.walkableAddresses, [farLAN, farWAN], "and we still walk to them as py-ipv8 does")

        // A peer that asked for new-style messages gets a new-style puncture.
        endpoint.clearOutbound()
        introduce(community, lan: .zero, wan: Address(198, 18, 3, 2, port: 8090), newStyle: true)
        XCTAssertEqual(punctures().map { $0.bytes[22] }, [MessageID.newPuncture, MessageID.newPuncture])
    }

    func testNothingIsSentWhenSwitchedOffAtTheSystemTTLOrToAPeerOrOurOwnHost() throws {
        let community = try makeCommunity()
        defer { community.unload() }
        community.puncturesIntroduced = false
        introduce(community, lan: farLAN, wan: farWAN)
        community.puncturesIntroduced = true
        community.punctureTTL = nil   // at the system's TTL a puncture would reach, and poison, the far NAT
        introduce(community, lan: farLAN, wan: farWAN)
        community.punctureTTL = 2
        // The tracker is a verified peer now (it signed responses); our own host is never punctured.
        introduce(community, lan: .zero, wan: tracker)
        introduce(community, lan: .zero, wan: Address(10, 1, 0, 11, port: 9999))
        XCTAssertEqual(punctures(), [])
        XCTAssertEqual(community.counters.puncturesIntroduced, 0)
    }

    /// A node the responders see at its own address has no NAT mapping to open: it punctures nothing ahead,
    /// as its puncture could reach (and poison) a NAT one router away.
    func testAPublicNodePuncturesNothingAhead() throws {
        try assertPuncturesNothingAhead(on: EmbeddedEndpoint(at: Address(198, 18, 0, 3, port: 8090)))
    }

    /// The same node bound to `::` (the NAT lab's dual-stack scenario, which failed once in CI): it knows
    /// its host's addresses, so it is public too. When it took itself for NATed, its TTL-2 puncture reached
    /// a NATed py-ipv8 node's NAT before that node's first datagram left, and took its port pair.
    func testAPublicNodeBoundToTheUnspecifiedAddressPuncturesNothingAhead() throws {
        try assertPuncturesNothingAhead(on: EmbeddedEndpoint(
            at: Address(ip: "::", port: 8090)!, interfaceHosts: [.ipv6(0xFD00_0013 << 32, 3), .v4(198 << 24 | 18 << 16 | 3)]))
    }

    private func assertPuncturesNothingAhead(on publicEndpoint: EmbeddedEndpoint) throws {
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: publicEndpoint, network: Network(), clock: clock, timers: timers))
        defer { community.unload() }
        let payload = IntroductionResponsePayload(
            destinationAddress: Address(198, 18, 0, 3, port: 8090), sourceLANAddress: tracker, sourceWANAddress: tracker,
            lanIntroductionAddress: farLAN, wanIntroductionAddress: farWAN, identifier: 1)
        XCTAssertTrue(publicEndpoint.writeInbound(PacketEncoder.coreSigned(payload, prefix: community.prefix, globalTime: 1,
                                                                           key: Vectors.keyB), from: tracker))
        XCTAssertEqual(community.connectionEstimate, .public)
        XCTAssertEqual(publicEndpoint.outbound.filter { [MessageID.puncture, MessageID.newPuncture].contains($0.bytes[22]) }, [])
        XCTAssertEqual(community.counters.puncturesIntroduced, 0)
        XCTAssertEqual(community.walkableAddresses, [farLAN, farWAN], "it still walks to them")

        // Asked by the tracker to puncture a walker behind a NAT, it sends nothing either: its puncture would
        // only reach the walker's NAT, perhaps before the walker's own first datagram leaves it.
        let request = PunctureRequestPayload(lanWalkerAddress: farLAN, wanWalkerAddress: farWAN, identifier: 2)
        XCTAssertTrue(publicEndpoint.writeInbound(PacketEncoder.coreUnsigned(request, prefix: community.prefix, globalTime: 2),
                                                  from: tracker))
        XCTAssertEqual(publicEndpoint.outbound.filter { [MessageID.puncture, MessageID.newPuncture].contains($0.bytes[22]) }, [])
        XCTAssertEqual(community.counters.puncturesNotNeeded, 1)
    }

    /// a3 (us, 10.1.0.13) introduces b1 (behind natb) to a2, our LAN neighbour: b1 must puncture a2's public
    /// address (our WAN host, a2's port), not a2's LAN address, which it cannot reach from behind natb.
    func testAPunctureRequestForALANRequesterNamesItsPublicAddress() throws {
        let endpoint = EmbeddedEndpoint(at: Address(10, 1, 0, 13, port: 8092))
        let community = try PlainCommunity(context: CommunityContext(key: Vectors.keyA, endpoint: endpoint, network: Network(),
                                                                     clock: clock, timers: timers))
        defer { community.unload() }
        let b1 = farWAN, a2 = Address(10, 1, 0, 12, port: 8091)
        let response = IntroductionResponsePayload(
            destinationAddress: Address(198, 18, 1, 2, port: 8092), sourceLANAddress: farLAN, sourceWANAddress: b1,
            lanIntroductionAddress: .zero, wanIntroductionAddress: .zero, identifier: 1)
        endpoint.writeInbound(PacketEncoder.coreSigned(response, prefix: community.prefix, globalTime: 1, key: Vectors.keyC), from: b1)
        XCTAssertEqual(community.peers.map(\.address), [b1])
        endpoint.clearOutbound()

        let request = IntroductionRequestPayload(destinationAddress: endpoint.localAddress, sourceLANAddress: a2,
                                                 sourceWANAddress: a2, identifier: 7)
        endpoint.writeInbound(PacketEncoder.coreSigned(request, prefix: community.prefix, globalTime: 1, key: Vectors.keyB), from: a2)
        let sent = try XCTUnwrap(endpoint.outbound.first { $0.bytes[22] == MessageID.punctureRequest })
        XCTAssertEqual(sent.destination, b1)
        let payload = try sent.bytes.withUnsafeBytes { try UnsignedPacketView.open($0, as: PunctureRequestPayload.self).1 }
        XCTAssertEqual(payload.wanWalkerAddress, Address(198, 18, 1, 2, port: 8091))
        XCTAssertEqual(payload.lanWalkerAddress, a2)

        // A requester outside our LAN is named as it was seen, as py-ipv8 does.
        endpoint.clearOutbound()
        let stranger = Address(198, 18, 3, 2, port: 8090)
        endpoint.writeInbound(PacketEncoder.coreSigned(
            IntroductionRequestPayload(destinationAddress: Address(198, 18, 1, 2, port: 8092), sourceLANAddress: stranger,
                                       sourceWANAddress: stranger, identifier: 8),
            prefix: community.prefix, globalTime: 2, key: PrivateKey.generate()), from: stranger)
        let other = try XCTUnwrap(endpoint.outbound.first { $0.bytes[22] == MessageID.punctureRequest })
        let named = try other.bytes.withUnsafeBytes { try UnsignedPacketView.open($0, as: PunctureRequestPayload.self).1 }
        XCTAssertEqual(named.wanWalkerAddress, stranger)
        XCTAssertEqual(named.lanWalkerAddress, Address(198, 18, 1, 2, port: 8092))
    }
}
