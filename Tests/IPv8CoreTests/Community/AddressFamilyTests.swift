import IPv8Testing
import XCTest
@testable import IPv8Core

/// IPv6 in the introduction protocol: new-style messages for IPv6 peers, our own address per family, and
/// spec §5.8's dual-stack interface switching, on the simulated network and the embedded endpoint.
final class AddressFamilyTests: XCTestCase {
    private let clock = ManualClock(start: 100)
    private lazy var timers = ManualTimerScheduler(clock: clock)
    private static let peerV4 = Address(127, 0, 0, 1, port: 8001)
    private static let peerV6 = Address(ip: "::1", port: 8001)!
    private static let otherV6 = Address(ip: "::1", port: 8002)!
    private static let ourV6 = Address(ip: "::1", port: 9000)!
    private static let dualStack = Address(ip: "::", port: 9000)!

    private func community(on endpoint: EmbeddedEndpoint) throws -> PlainCommunity {
        try PlainCommunity(context: CommunityContext(key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock,
                                                     timers: timers, random: RandomSource(seed: 1)))
    }

    /// A new-style introduction response signed with `key`, telling us we are at `destination` and the
    /// responder is at `sourceWAN`.
    private func response(to community: Community, key: PrivateKey = Vectors.keyB, destination: Address,
                          sourceWAN: Address, identifier: UInt16 = 42) -> [UInt8] {
        let payload = NewIntroductionResponsePayload(destinationAddress: destination, sourceLANAddress: Self.peerV4,
                                                     sourceWANAddress: sourceWAN, lanIntroductionAddress: .zero,
                                                     wanIntroductionAddress: .zero, identifier: identifier)
        return PacketEncoder.coreSigned(payload, prefix: community.prefix, globalTime: 1, key: key)
    }

    private func sourceWAN(ofRequest bytes: [UInt8]) throws -> Address {
        try bytes.withUnsafeBytes { try SignedPacketView.open($0, as: NewIntroductionRequestPayload.self).payload.sourceWANAddress }
    }

    func testTwoIPv6NodesSpeakNewStyleOnlyAndLearnTheirIPv6Addresses() throws {
        let simulation = SimulatedNetwork(seed: 1)
        let a = try SimulatedNode(on: simulation, address: Address(ip: "::1", port: 9101)!, seed: 1) { try PlainCommunity(context: $0) }
        let b = try SimulatedNode(on: simulation, address: Address(ip: "::1", port: 9102)!, seed: 2) { try PlainCommunity(context: $0) }
        a.community.walkTo(b.address)
        XCTAssertTrue(simulation.run(until: { a.knows(b) && b.knows(a) }, within: 5, step: 0.01))
        a.community.getNewIntroduction()
        XCTAssertTrue(simulation.run(until: { a.community.counters.handledByID[233] == 2 }, within: 5, step: 0.01))
        XCTAssertEqual(b.community.counters.handledByID[234], 2)
        for old in [246, 245, 250, 249] {
            XCTAssertEqual(a.community.counters.handledByID[old] + b.community.counters.handledByID[old], 0, "old-style id \(old)")
        }
        XCTAssertEqual(a.community.peers[0].address, b.address)
        XCTAssertEqual(b.community.peers[0].address, a.address)
        XCTAssertEqual(a.community.myPeer.address(of: .ipv6), a.address, "the response told a its IPv6 address")
        XCTAssertEqual(a.community.interfaceSwitchCount, 0)
    }

    func testADualStackNodeTellsEachFamilyItsOwnAddressOfThatFamily() throws {
        let endpoint = EmbeddedEndpoint(at: Self.dualStack)
        let c = try community(on: endpoint)
        XCTAssertEqual(endpoint.families, [.ipv4, .ipv6])
        // Old-style fields cannot carry IPv6: the estimates of a [::]:p socket are 0.0.0.0:p.
        XCTAssertEqual(c.myEstimatedLAN, Address(0, 0, 0, 0, port: 9000))
        XCTAssertEqual(c.myEstimatedWAN, Address(0, 0, 0, 0, port: 9000))
        XCTAssertNil(c.myPeer.address(of: .ipv6))
        XCTAssertNil(c.ownAddress(in: .ipv6), "nothing told us our IPv6 address yet")
        XCTAssertEqual(try sourceWAN(ofRequest: c.createIntroductionRequest(to: Self.peerV6)), Self.dualStack)

        // An IPv6 peer's response tells us where it saw us.
        endpoint.writeInbound(response(to: c, key: Vectors.keyC, destination: Self.ourV6, sourceWAN: Self.otherV6), from: Self.otherV6)
        XCTAssertEqual(c.ownAddress(in: .ipv6), Self.ourV6)
        XCTAssertEqual(try sourceWAN(ofRequest: c.createIntroductionRequest(to: Self.peerV6)), Self.ourV6)
        XCTAssertEqual(try sourceWAN(ofRequest: c.createIntroductionRequest(to: Self.peerV4, newStyle: true)),
                       c.myEstimatedWAN, "an IPv4 peer is never told our IPv6 address")
        // The 233 we answer an IPv6 peer with names our IPv6 address too.
        let answer = c.createIntroductionResponse(lanSocket: Self.ourV6, socket: Self.peerV6, identifier: 1, newStyle: true).packet
        let payload = try answer.withUnsafeBytes { try SignedPacketView.open($0, as: NewIntroductionResponsePayload.self).payload }
        XCTAssertEqual(payload.sourceWANAddress, Self.ourV6)
        XCTAssertEqual(payload.destinationAddress, Self.peerV6)
    }

    func testAPeerMetOverIPv4ThatReportsAnIPv6AddressIsDiscoveredOnIPv6AndAskedToPuncture() throws {
        let endpoint = EmbeddedEndpoint(at: Self.dualStack)
        let c = try community(on: endpoint)
        endpoint.writeInbound(response(to: c, key: Vectors.keyC, destination: Self.ourV6, sourceWAN: Self.otherV6), from: Self.otherV6)
        endpoint.clearOutbound()

        // Met over IPv4; its 233 says its (preferred) source WAN address is IPv6, as py-ipv8's does once it knows one.
        endpoint.writeInbound(response(to: c, destination: Address(127, 0, 0, 1, port: 9000), sourceWAN: Self.peerV6,
                                       identifier: 42), from: Self.peerV4)
        let peer = try XCTUnwrap(c.peers.first { $0.key == Vectors.keyB.publicKey })
        XCTAssertEqual(c.interfaceSwitchCount, 1)
        XCTAssertEqual(peer.address, Self.peerV4, "not switched until the IPv6 address answers")
        XCTAssertTrue(c.walkableAddresses.contains(Self.peerV6))
        XCTAssertTrue(c.network.isNewStyle(Self.peerV6))
        // py-ipv8's puncture request: new style, to the address we use, naming our IPv6 address.
        let sent = endpoint.outbound.filter { $0.bytes[22] == NewPunctureRequestPayload.messageID }
        XCTAssertEqual(sent.map(\.destination), [Self.peerV4])
        let request = try sent[0].bytes.withUnsafeBytes { try UnsignedPacketView.open($0, as: NewPunctureRequestPayload.self).payload }
        XCTAssertEqual(request, NewPunctureRequestPayload(lanWalkerAddress: .zero, wanWalkerAddress: Self.ourV6, identifier: 42))

        // The walk there goes new style; its answer makes IPv6 the peer's preferred address, IPv4 stays IPv4.
        endpoint.clearOutbound()
        c.walkTo(Self.peerV6)
        XCTAssertEqual(endpoint.readOutbound()?.bytes[22], NewIntroductionRequestPayload.messageID)
        endpoint.writeInbound(response(to: c, destination: Self.ourV6, sourceWAN: Self.peerV6), from: Self.peerV6)
        XCTAssertEqual(peer.address, Self.peerV6)
        XCTAssertEqual(peer.address(of: .ipv4), Self.peerV4)
        XCTAssertEqual(c.interfaceSwitchCount, 1, "same family now: nothing more to switch")
        XCTAssertEqual(c.counters.badSignature + c.counters.malformed, 0)
    }

    func testWithoutTheOtherFamilyOrAnAddressNothingIsSwitched() throws {
        // An IPv4 socket cannot use the IPv6 address.
        let v4 = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
        let c4 = try community(on: v4)
        v4.writeInbound(response(to: c4, destination: v4.localAddress, sourceWAN: Self.peerV6), from: Self.peerV4)
        XCTAssertEqual(c4.peerCount, 1)
        XCTAssertEqual(c4.interfaceSwitchCount, 0)
        XCTAssertFalse(c4.walkableAddresses.contains(Self.peerV6))
        XCTAssertFalse(v4.outbound.contains { $0.bytes[22] == NewPunctureRequestPayload.messageID })

        // A dual-stack socket ignores an unspecified address or port 0; and with our IPv6 address unknown it
        // discovers the peer's but has nothing to name in a puncture request.
        let dual = EmbeddedEndpoint(at: Self.dualStack)
        let c = try community(on: dual)
        dual.writeInbound(response(to: c, destination: dual.localAddress, sourceWAN: Address(ip: "::", port: 8001)!), from: Self.peerV4)
        dual.writeInbound(response(to: c, key: Vectors.keyC, destination: dual.localAddress, sourceWAN: Address(ip: "::1", port: 0)!),
                          from: Address(127, 0, 0, 1, port: 8002))
        XCTAssertEqual(c.peerCount, 2)
        XCTAssertEqual(c.interfaceSwitchCount, 0)
        dual.writeInbound(response(to: c, destination: dual.localAddress, sourceWAN: Self.peerV6, identifier: 2), from: Self.peerV4)
        XCTAssertEqual(c.interfaceSwitchCount, 1)
        XCTAssertTrue(c.walkableAddresses.contains(Self.peerV6))
        XCTAssertFalse(dual.outbound.contains { $0.bytes[22] == NewPunctureRequestPayload.messageID })
    }

    func testIPv4MappedAddressesAreIPv4WhereverTheyAreMade() throws {
        XCTAssertEqual(Address(ip: "::ffff:127.0.0.1", port: 5), Address(127, 0, 0, 1, port: 5))
        var packer = Packer()
        packer.u8(0x03)
        packer.u64(0)
        packer.u64(0xFFFF_7F00_0001)
        packer.u16(5)
        try packer.bytes.withUnsafeBytes { raw in
            var unpacker = Unpacker(raw)
            XCTAssertEqual(try unpacker.ipAddress(), Address(127, 0, 0, 1, port: 5))
        }
    }
}

private extension Community {
    var interfaceSwitchCount: Int { counters.interfaceSwitches }
}
