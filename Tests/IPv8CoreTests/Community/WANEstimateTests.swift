import IPv8Testing
import XCTest
@testable import IPv8Core

/// The WAN estimate and our connection estimate from introduction responses (spec §5.8), on the embedded
/// endpoint: a node on a NAT's LAN, responders on both sides of it. Addresses are the NAT lab's.
final class WANEstimateTests: XCTestCase {
    let clock = ManualClock(start: 100)
    lazy var timers = ManualTimerScheduler(clock: clock)
    let tracker = Address(198, 18, 0, 2, port: 6421), publicNode = Address(198, 18, 0, 3, port: 8090)
    let lanNeighbour = Address(10, 1, 0, 12, port: 8090)

    func community(at address: Address) throws -> (PlainCommunity, EmbeddedEndpoint) {
        let endpoint = EmbeddedEndpoint(at: address)
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock, timers: timers))
        return (community, endpoint)
    }

    /// A signed response from `source` (with `key`) saying it saw us at `seen`.
    func respond(to community: Community, on endpoint: EmbeddedEndpoint, from source: Address, key: PrivateKey,
                 seen: Address) {
        let payload = IntroductionResponsePayload(destinationAddress: seen, sourceLANAddress: source, sourceWANAddress: source,
                                                  lanIntroductionAddress: .zero, wanIntroductionAddress: .zero, identifier: 1)
        XCTAssertTrue(endpoint.writeInbound(PacketEncoder.coreSigned(payload, prefix: community.prefix, globalTime: 1, key: key),
                                            from: source))
    }

    func testANATedNodeLearnsItsNATsAddressAndIgnoresWhatItsLANSays() throws {
        let lan = Address(10, 1, 0, 11, port: 8090), mapped = Address(198, 18, 1, 2, port: 8090)
        let (community, endpoint) = try community(at: lan)
        defer { community.unload() }
        XCTAssertEqual(community.myEstimatedWAN, lan)
        XCTAssertEqual(community.connectionEstimate, .unknown)

        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: mapped)
        XCTAssertEqual(community.myEstimatedWAN, mapped)
        XCTAssertEqual(community.connectionEstimate, .nat)

        respond(to: community, on: endpoint, from: lanNeighbour, key: Vectors.keyC, seen: lan)
        XCTAssertEqual(community.myEstimatedWAN, mapped, "a LAN address says nothing about the WAN side")
        XCTAssertEqual(community.connectionEstimate, .nat)
        XCTAssertEqual(community.wanReports.reports.map(\.responder), [tracker])
    }

    func testRespondersSeeingDifferentPortsMeanASymmetricNATUntilTheOldReportAges() throws {
        let (community, endpoint) = try community(at: Address(10, 1, 0, 11, port: 8090))
        defer { community.unload() }
        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: Address(198, 18, 1, 2, port: 8090))
        clock.advance(by: 1)
        respond(to: community, on: endpoint, from: publicNode, key: Vectors.keyC, seen: Address(198, 18, 1, 2, port: 40_000))
        XCTAssertEqual(community.myEstimatedWAN, Address(198, 18, 1, 2, port: 40_000))
        XCTAssertEqual(community.connectionEstimate, .symmetricNAT)
        // Each responder keeps seeing its own port: still symmetric, until the other report is older than the window.
        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: Address(198, 18, 1, 2, port: 8090))
        XCTAssertEqual(community.connectionEstimate, .symmetricNAT)
        clock.advance(by: 31)
        XCTAssertEqual(community.connectionEstimate, .nat)
    }

    func testAResponderSeeingUsAtANewPortMeansOurMappingChanged() throws {
        let (community, endpoint) = try community(at: Address(10, 1, 0, 11, port: 8090))
        defer { community.unload() }
        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: Address(198, 18, 1, 2, port: 8090))
        respond(to: community, on: endpoint, from: publicNode, key: Vectors.keyC, seen: Address(198, 18, 1, 2, port: 8090))
        // The NAT's mapping changes (the lab's remap scenario): the public node sees the new port first.
        respond(to: community, on: endpoint, from: publicNode, key: Vectors.keyC, seen: Address(198, 18, 1, 2, port: 20_000))
        XCTAssertEqual(community.myEstimatedWAN, Address(198, 18, 1, 2, port: 20_000))
        XCTAssertEqual(community.connectionEstimate, .nat, "the tracker's 8090 predates the change")
        XCTAssertEqual(community.wanReports.reports.map(\.responder), [publicNode])
    }

    func testANodeSeenAtItsOwnAddressIsPublicAndTheWireStillSaysUnknown() throws {
        let (community, endpoint) = try community(at: publicNode)
        defer { community.unload() }
        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: publicNode)
        XCTAssertEqual(community.myEstimatedWAN, publicNode)
        XCTAssertEqual(community.connectionEstimate, .public)

        // py-ipv8 3.2.1 writes "unknown" whatever it knows; so do we.
        let request = community.createIntroductionRequest(to: tracker)
        let payload = try request.withUnsafeBytes { try SignedPacketView.open($0, as: IntroductionRequestPayload.self).2 }
        XCTAssertEqual(payload.connectionType, .unknown)
    }

    /// Bound to `0.0.0.0`, a node guesses its LAN address from its host's addresses (the first IPv4 one, as
    /// py-ipv8 does) and is public wherever a responder sees it at one of them at its own port.
    func testANodeBoundToTheUnspecifiedAddressGuessesItsLANAndKnowsItsOwnHosts() throws {
        let lanHost = Address(10, 1, 0, 5, port: 8090), publicHost = Address(198, 18, 0, 3, port: 8090)
        let endpoint = EmbeddedEndpoint(at: Address(0, 0, 0, 0, port: 8090), interfaceHosts: [.ipv6(0xFD00 << 48, 1), lanHost.host, publicHost.host])
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock, timers: timers))
        defer { community.unload() }
        XCTAssertEqual(community.myEstimatedLAN, lanHost)
        XCTAssertEqual(community.myPeer.address, endpoint.localAddress, "our own peer keeps the bound address; responses add to it")

        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: publicHost)
        XCTAssertEqual(community.connectionEstimate, .public, "seen at one of our own hosts, at our port")
        respond(to: community, on: endpoint, from: tracker, key: Vectors.keyB, seen: Address(198, 18, 0, 3, port: 40_000))
        XCTAssertEqual(community.connectionEstimate, .nat, "our host at another port: something maps us")

        // With no address of its own it knows, the node keeps 0.0.0.0 and cannot tell.
        let bare = EmbeddedEndpoint(at: Address(0, 0, 0, 0, port: 8091))
        let other = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyB, endpoint: bare, network: Network(), clock: clock, timers: timers))
        defer { other.unload() }
        XCTAssertEqual(other.myEstimatedLAN, Address(0, 0, 0, 0, port: 8091))
        respond(to: other, on: bare, from: tracker, key: Vectors.keyC, seen: Address(198, 18, 0, 4, port: 8091))
        XCTAssertEqual(other.connectionEstimate, .nat)
    }

    func testAnIPv4MappedIPv6HostIsIPv4() {
        XCTAssertEqual(Address.Host.ipv6(0, 0xFFFF_C612_0003), .v4(198 << 24 | 18 << 16 | 3))
        XCTAssertEqual(Address.Host.ipv6(0, 0xFFFE_C612_0003), .v6(0, 0xFFFE_C612_0003))
        XCTAssertEqual(Address.Host.ipv6(1, 0xFFFF_C612_0003), .v6(1, 0xFFFF_C612_0003))
    }

    func testReportsAreBoundedTheLeastRecentlyHeardGivingWay() {
        var reports = WANReports(capacity: 2)
        let seen = Address(198, 18, 1, 2, port: 8090)
        for (i, responder) in [tracker, publicNode, tracker, lanNeighbour].enumerated() {
            reports.record(seen: seen, by: responder, now: Double(i))
        }
        XCTAssertEqual(reports.reports.map(\.responder), [tracker, lanNeighbour])
    }
}
