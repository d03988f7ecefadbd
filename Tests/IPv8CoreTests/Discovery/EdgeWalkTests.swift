import IPv8Testing
import XCTest
@testable import IPv8Core

/// Ports of py-ipv8's test_edge_discovery.py on the simulated network: three nodes in a line (0 knows 1,
/// 1 knows 2), EdgeWalk on node 0 with a neighbourhood of one.
final class EdgeWalkTests: SimulatedTestCase {
    private var nodes: [SimulatedNode<PlainCommunity>] = []

    override func setUpWithError() throws {
        nodes = try [Vectors.keyA, Vectors.keyB, Vectors.keyC].map { try node(key: $0) }
        func link(_ from: SimulatedNode<PlainCommunity>, _ to: SimulatedNode<PlainCommunity>) {
            let peer = Peer(key: to.community.myPeer.key, address: to.address, intro: false, now: simulation.clock.now)
            from.network.addVerifiedPeer(peer)
            from.network.discoverServices(peer, [PlainCommunity.defaultID])
        }
        link(nodes[0], nodes[1])
        link(nodes[1], nodes[2])
        link(nodes[2], nodes[1])
    }

    /// Steps `walk`, letting 40 ms of simulated time pass between steps, until `done` or `steps` steps.
    private func pump(_ walk: EdgeWalk, steps: Int = 30, until done: () -> Bool) throws {
        for _ in 0..<steps where !done() {
            try walk.takeStep()
            simulation.advance(by: 0.04)
        }
    }

    func testStepReachesNodeTwoThroughNodeOne() throws {
        let walk = EdgeWalk(overlay: nodes[0].community, settings: .init(neighborhoodSize: 1))
        try walk.takeStep()                              // fills the neighbourhood with node 1
        XCTAssertEqual(walk.neighborhood.map(\.publicKeyBin), [nodes[1].community.myPeer.publicKeyBin])
        try walk.takeStep()                              // starts an edge at node 1: asks it for an introduction
        XCTAssertEqual(walk.underConstruction.count, 1)
        run { self.nodes[0].network.isKnown(self.nodes[2].address) }
        let introducer = try XCTUnwrap(nodes[0].network.verifiedPeer(byAddress: nodes[1].address))
        XCTAssertEqual(nodes[0].network.introductions(from: introducer), [nodes[2].address])
    }

    func testWalkStepsIntoIntroducedNodeAndCompletesAnEdge() throws {
        let walk = EdgeWalk(overlay: nodes[0].community, settings: .init(neighborhoodSize: 1))
        try pump(walk) { !walk.completeEdges.isEmpty }
        XCTAssertEqual(walk.completeEdges.count, 1)
        XCTAssertEqual(walk.completeEdges[0].count, 4)
        XCTAssertEqual(walk.completeEdges[0][0].publicKeyBin, nodes[1].community.myPeer.publicKeyBin)
        XCTAssertEqual(walk.completeEdges[0][1].publicKeyBin, nodes[2].community.myPeer.publicKeyBin)
        XCTAssertTrue(nodes[0].knows(nodes[2]))
    }

    func testUnreachableIntroducedNodeGivesNoCompleteEdge() throws {
        nodes[2].stop()
        let walk = EdgeWalk(overlay: nodes[0].community, settings: .init(neighborhoodSize: 1, edgeTimeout: .milliseconds(200)))
        try pump(walk, steps: 15) { false }
        XCTAssertTrue(walk.completeEdges.isEmpty)
        XCTAssertEqual(nodes[0].network.verifiedPeerCount, 1)
    }

    func testEdgeLengthTwoCompletes() throws {
        let walk = EdgeWalk(overlay: nodes[0].community, settings: .init(edgeLength: 2, neighborhoodSize: 1))
        try pump(walk) { !walk.completeEdges.isEmpty }
        XCTAssertEqual(walk.completeEdges.count, 1)
        XCTAssertEqual(walk.completeEdges[0].map(\.publicKeyBin),
                       [nodes[1].community.myPeer.publicKeyBin, nodes[2].community.myPeer.publicKeyBin])
    }
}
