import IPv8Testing
import XCTest
@testable import IPv8

final class IntroductionTests: XCTestCase {
    func testOldStyleWalkVerifiesBothPeersAndUpgradesTheResponderToNewStyle() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop, key: Vectors.keyA), b = try TestNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }

        a.community.walkTo(b.address)
        drive(loop) { a.knows(b) && b.knows(a) }

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
        drive(loop) { a.community.counters.handledByID[233] == 1 }
        XCTAssertEqual(b.community.counters.handledByID[234], 1)
    }

    func testNewStyleWalkVerifiesBothPeers() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop, key: Vectors.keyA), b = try TestNode(loop: loop, key: Vectors.keyB)
        defer { a.service.stop(); b.service.stop() }

        a.service.endpoint.send(a.community.createIntroductionRequest(to: b.address, newStyle: true), to: b.address)
        drive(loop) { a.knows(b) && b.knows(a) }

        XCTAssertEqual(b.community.counters.handledByID[234], 1)
        XCTAssertEqual(a.community.counters.handledByID[233], 1)
        XCTAssertTrue(b.community.peers[0].newStyleIntro)
        XCTAssertTrue(a.community.peers[0].newStyleIntro)
    }

    /// C knows B; A walks to B; B introduces C to A and asks C to puncture; A then walks to C.
    private func threeNodeFlow(newStyle: Bool) throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop, key: Vectors.keyA), b = try TestNode(loop: loop, key: Vectors.keyB)
        let c = try TestNode(loop: loop, key: Vectors.keyC)
        defer { a.service.stop(); b.service.stop(); c.service.stop() }
        let (request, response, punctureRequest, puncture) = newStyle ? (234, 233, 232, 231) : (246, 245, 250, 249)

        c.community.walkTo(b.address)
        drive(loop) { c.knows(b) && b.knows(c) }

        a.service.endpoint.send(a.community.createIntroductionRequest(to: b.address, newStyle: newStyle), to: b.address)
        drive(loop) { a.knows(b) && b.knows(a) && b.community.counters.handledByID[puncture] == 1 }

        // C walked old style; A used the style under test.
        XCTAssertEqual(b.community.counters.handledByID[request], newStyle ? 1 : 2)
        XCTAssertEqual(a.community.counters.handledByID[response], 1)
        XCTAssertEqual(c.community.counters.handledByID[punctureRequest], 1)
        // On one host the puncture goes to the puncture request's LAN walker: B, as A saw it (spec §14.9).
        XCTAssertEqual(b.community.counters.handledByID[puncture], 1)
        XCTAssertEqual(a.community.walkableAddresses, [c.address])
        XCTAssertFalse(a.knows(c))

        a.community.walkTo(c.address)
        drive(loop) { a.knows(c) && c.knows(a) }
        XCTAssertEqual(a.community.peerCount, 2)
        XCTAssertEqual(b.community.peerCount, 2)
        XCTAssertEqual(c.community.peerCount, 2)
        XCTAssertEqual(a.community.walkableAddresses, [])
        for node in [a, b, c] {
            XCTAssertEqual(node.community.counters.malformed, 0)
            XCTAssertEqual(node.community.counters.badSignature, 0)
        }
    }

    func testThreeNodesOldStyleIntroductionAndPuncture() throws {
        try threeNodeFlow(newStyle: false)
    }

    func testThreeNodesNewStyleIntroductionAndPuncture() throws {
        try threeNodeFlow(newStyle: true)
    }

    func testResponseIntroducesARandomOtherPeerAndFlagsThePeerLimit() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let hub = try TestNode(loop: loop, maxPeers: 2)
        let others = try (0..<4).map { _ in try TestNode(loop: loop) }
        defer { hub.service.stop(); others.forEach { $0.service.stop() } }

        for (i, node) in others.enumerated() {
            node.community.walkTo(hub.address)
            drive(loop) { node.knows(hub) }
            // At the cap (2 peers) the hub still answers but stops adding requesters.
            XCTAssertEqual(hub.community.peerCount, min(i + 1, 2))
        }
        // Nodes 2 and 3 got in the door anyway: they were introduced to someone to walk to.
        XCTAssertEqual(others[2].community.walkableAddresses.count, 1)
        XCTAssertEqual(others[3].community.walkableAddresses.count, 1)
        XCTAssertTrue(hub.community.isAtPeerLimit)
    }
}
