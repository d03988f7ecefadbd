import IPv8Testing
import XCTest
@testable import IPv8Core

/// The introduction protocol (spec §5.6–5.8) between communities on the simulated network: no sockets,
/// manual time.
final class IntroductionTests: SimulatedTestCase {
    func testOldStyleWalkVerifiesBothPeersAndUpgradesTheResponderToNewStyle() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB)

        a.community.walkTo(b.address)
        run { a.knows(b) && b.knows(a) }

        XCTAssertEqual(b.community.counters.handledByID[246], 1)
        XCTAssertEqual(a.community.counters.handledByID[245], 1)
        XCTAssertEqual(a.community.counters.handledByID[233], 0)
        // Every 245 we send sets supports_new_style, so A addresses B new-style from now on.
        XCTAssertTrue(a.community.peers[0].newStyleIntro)
        XCTAssertFalse(b.community.peers[0].newStyleIntro)
        XCTAssertEqual(a.community.peers[0].address, b.address)
        XCTAssertEqual(b.community.peers[0].address, a.address)
        // Global time: A claimed one for its request, B one for its response.
        XCTAssertEqual(a.community.globalTime, 1)
        XCTAssertEqual(b.community.globalTime, 1)

        // The second contact goes new style (234/233).
        a.community.getNewIntroduction()
        run { a.community.counters.handledByID[233] == 1 }
        XCTAssertEqual(b.community.counters.handledByID[234], 1)
    }

    func testNewStyleWalkVerifiesBothPeers() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB)

        a.endpoint.send(a.community.createIntroductionRequest(to: b.address, newStyle: true), to: b.address)
        run { a.knows(b) && b.knows(a) }

        XCTAssertEqual(b.community.counters.handledByID[234], 1)
        XCTAssertEqual(a.community.counters.handledByID[233], 1)
        XCTAssertTrue(b.community.peers[0].newStyleIntro)
        XCTAssertTrue(a.community.peers[0].newStyleIntro)
    }

    /// B knows C (B walked to C, so no response has told C where it is seen yet: its connection estimate is
    /// unknown); A walks to B; B introduces C to A and asks C to puncture; A then walks to C.
    private func threeNodeFlow(newStyle: Bool) throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB), c = try node(key: Vectors.keyC)
        let (request, response, punctureRequest, puncture) = newStyle ? (234, 233, 232, 231) : (246, 245, 250, 249)

        b.community.walkTo(c.address)
        run { c.knows(b) && b.knows(c) }
        XCTAssertEqual(c.community.connectionEstimate, .unknown)

        a.endpoint.send(a.community.createIntroductionRequest(to: b.address, newStyle: newStyle), to: b.address)
        run { a.knows(b) && b.knows(a) && b.community.counters.handledByID[puncture] == 1 }

        // A used the style under test.
        XCTAssertEqual(b.community.counters.handledByID[request], 1)
        XCTAssertEqual(a.community.counters.handledByID[response], 1)
        XCTAssertEqual(c.community.counters.handledByID[punctureRequest], 1)
        // On one host the puncture goes to the puncture request's LAN walker: B, as A saw it (spec §14.9).
        XCTAssertEqual(b.community.counters.handledByID[puncture], 1)
        XCTAssertEqual(a.community.walkableAddresses, [c.address])
        XCTAssertFalse(a.knows(c))

        a.community.walkTo(c.address)
        run { a.knows(c) && c.knows(a) }
        XCTAssertEqual(a.community.peerCount, 2)
        XCTAssertEqual(b.community.peerCount, 2)
        XCTAssertEqual(c.community.peerCount, 2)
        XCTAssertEqual(a.community.walkableAddresses, [])
        for node in [a, b, c] {
            XCTAssertEqual(node.community.counters.malformed, 0)
            XCTAssertEqual(node.community.counters.badSignature, 0)
        }
    }

    /// C, asked by its peer B to puncture toward A, takes A's address as walkable (introduced by B), and one
    /// walk from C gives both A and C a peer; A's address for C is then a peer's, not walkable. A puncture
    /// request from a node that is not C's peer teaches C nothing.
    func testAPunctureRequestFromAPeerMakesTheWalkerWalkable() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB), c = try node(key: Vectors.keyC)
        b.community.walkTo(c.address)
        run { c.knows(b) && b.knows(c) }

        a.community.walkTo(b.address)
        run { a.knows(b) && c.community.counters.handledByID[250] == 1 }
        // All three on 127.0.0.1: the LAN walker is B as A saw it (spec §14.9), the WAN walker is A.
        XCTAssertEqual(c.community.walkableAddresses, [a.address])
        XCTAssertEqual(a.community.walkableAddresses, [c.address])

        c.community.walkTo(a.address)
        run { a.knows(c) && c.knows(a) }
        XCTAssertEqual(a.community.walkableAddresses, [], "C walked first: A has it as a peer")
        XCTAssertEqual(c.community.walkableAddresses, [])

        let stranger = try node(key: PrivateKey.deterministic(seed: 404))
        let walker = Address(127, 0, 0, 1, port: 7777)
        stranger.endpoint.send(stranger.community.createPunctureRequest(lanWalker: walker, wanWalker: walker, identifier: 1),
                               to: c.address)
        run { c.community.counters.handledByID[250] == 2 || c.community.counters.punctureRequestsRefused == 1 }
        XCTAssertFalse(c.community.network.isKnown(walker), "not from a peer: nothing learnt")
    }

    /// A peer table that knows ``Community/walkerDiscoveryLimit`` addresses learns no walker from a puncture
    /// request (a peer flooding them cannot grow it); the puncture is still sent.
    func testNoWalkerIsLearntPastTheLimit() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB), c = try node(key: Vectors.keyC)
        b.community.walkTo(c.address)
        run { c.knows(b) && b.knows(c) }
        let bAtC = try XCTUnwrap(c.community.peers.first)
        var port: UInt16 = 20_000
        while c.network.knownAddressCount < Community.walkerDiscoveryLimit {
            port += 1
            c.network.discoverAddress(bAtC, Address(127, 1, 0, 1, port: port), service: PlainCommunity.defaultID)
        }
        a.community.walkTo(b.address)
        run { a.knows(b) && b.community.counters.handledByID[249] == 1 }
        XCTAssertFalse(c.network.isKnown(a.address))
        XCTAssertEqual(c.network.knownAddressCount, Community.walkerDiscoveryLimit)
    }

    func testThreeNodesOldStyleIntroductionAndPuncture() throws {
        try threeNodeFlow(newStyle: false)
    }

    func testThreeNodesNewStyleIntroductionAndPuncture() throws {
        try threeNodeFlow(newStyle: true)
    }

    /// C walked to B, so B's response told C it is seen at its own address: C is public, has no NAT mapping to
    /// open, and answers B's puncture request with nothing (counted); A still reaches C.
    func testAPublicNodeAskedToPunctureSendsNothingAndIsStillReached() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB), c = try node(key: Vectors.keyC)
        c.community.walkTo(b.address)
        run { c.knows(b) && b.knows(c) }
        XCTAssertEqual(c.community.connectionEstimate, .public)

        a.community.walkTo(b.address)
        run { a.knows(b) && c.community.counters.puncturesNotNeeded == 1 }
        XCTAssertEqual(c.community.counters.handledByID[250], 1)
        XCTAssertEqual(b.community.counters.handledByID[249], 0)
        XCTAssertEqual(a.community.counters.handledByID[249], 0)

        a.community.walkTo(c.address)
        run { a.knows(c) && c.knows(a) }
    }

    func testAtThePeerCapResponsesFromStrangersAreDroppedAndCounted() throws {
        let hub = try node(maxPeers: 2)
        let members = try (0..<2).map { _ in try node() }
        for member in members {
            member.community.walkTo(hub.address)
            run { member.knows(hub) }
        }
        XCTAssertTrue(hub.community.isAtPeerLimit)
        // Signed introduction responses nobody asked for, from 20 fresh keys (py-ipv8 would add them all).
        let strangers = try (0..<20).map { _ in try node() }
        for stranger in strangers {
            let response = stranger.community.createIntroductionResponse(lanSocket: hub.address, socket: hub.address,
                                                                         identifier: 7).packet
            stranger.endpoint.send(response, to: hub.address)
        }
        run { hub.community.counters.responsesOverPeerLimit == 20 }
        XCTAssertEqual(hub.community.peerCount, 2)
        XCTAssertEqual(hub.community.counters.handledByID[Int(MessageID.introductionResponse)], 20, "verified, then dropped")
        // A member's response is still handled at the cap.
        let member = members[0]
        member.endpoint.send(member.community.createIntroductionResponse(lanSocket: hub.address, socket: hub.address,
                                                                         identifier: 8).packet, to: hub.address)
        run { hub.community.counters.handledByID[Int(MessageID.introductionResponse)] == 21 }
        XCTAssertEqual(hub.community.counters.responsesOverPeerLimit, 20)
    }

    func testResponseIntroducesARandomOtherPeerAndFlagsThePeerLimit() throws {
        let hub = try node(maxPeers: 2)
        let others = try (0..<4).map { _ in try node() }

        for (i, node) in others.enumerated() {
            node.community.walkTo(hub.address)
            run { node.knows(hub) }
            // At the cap (2 peers) the hub still answers but stops adding requesters.
            XCTAssertEqual(hub.community.peerCount, min(i + 1, 2))
        }
        // Nodes 2 and 3 got in the door anyway: they were introduced to someone to walk to. Node 3 was
        // introduced to node 2 (the latest requester), and the hub's puncture request told node 2 of node 3.
        XCTAssertEqual(others[2].community.walkableAddresses.count, 2)
        XCTAssertTrue(others[2].community.walkableAddresses.contains(others[3].address))
        XCTAssertEqual(others[3].community.walkableAddresses, [others[2].address])
        XCTAssertTrue(hub.community.isAtPeerLimit)
    }

    func testResponseIntroducesARecentRequesterFirstEvenOneOverThePeerCap() throws {
        let hub = try node(maxPeers: 2)
        // The hub's two peers answered its walks; neither asked it for an introduction.
        let peers = try (0..<2).map { _ in try node() }
        for peer in peers {
            hub.community.walkTo(peer.address)
            run { hub.knows(peer) }
        }
        XCTAssertTrue(hub.community.isAtPeerLimit)
        let late = try node(), next = try node()
        late.community.walkTo(hub.address)
        run { late.knows(hub) }
        XCTAssertFalse(hub.knows(late), "over the cap: answered, not taken")
        XCTAssertEqual(hub.community.counters.handled(id: MessageID.introductionRequest), 1)

        next.community.walkTo(hub.address)
        run { next.knows(hub) }
        // A random peer would have been one of `peers`; the hub introduced the node that asked before.
        XCTAssertEqual(next.community.walkableAddresses, [late.address])
        next.community.walkTo(late.address)
        run { next.knows(late) && late.knows(next) }
        XCTAssertEqual(late.community.peerCount, 2, "the hub, and the walker it was introduced to")
    }
}
