import IPv8TestSupport
import IPv8Testing
import Foundation
import XCTest
@testable import IPv8

/// Our node and real py-ipv8 3.2.1 nodes on 127.0.0.1, asserting from both sides.
final class PyIPv8InteropTests: XCTestCase {
    static let communityHex = PlainCommunity.defaultID.hex

    /// Our node with a RandomWalk on the test community.
    func makeOurNode(loop: EventLoop, bootstrap: [Address] = []) throws -> TestNode {
        let node = try TestNode(loop: loop, walkInterval: 0.5, bootstrap: bootstrap)
        node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: 20)
        node.service.start()
        return node
    }

    func mid(_ node: TestNode) -> String { Hex.encode(node.community.myPeer.mid) }

    func knows(_ node: TestNode, _ py: PyIPv8Node) -> Bool {
        guard let pyMid = py.status?.mid else { return false }
        return bytes(fromHex: pyMid).map(node.community.knows(mid:)) ?? false
    }

    /// Whether our node and the py-ipv8 node have each other as peers.
    func peersBothWays(_ node: TestNode, _ py: PyIPv8Node) -> Bool {
        knows(node, py) && (py.status?.peers.contains(mid(node)) ?? false)
    }

    /// A py-ipv8 node that has reported its first status, and its address.
    func startedPyNode(loop: EventLoop) throws -> (PyIPv8Node, Address) {
        let py = try PyIPv8Node(communityID: Self.communityHex)
        drive(loop, seconds: 30) { py.status != nil }
        return (py, Address(127, 0, 0, 1, port: py.status?.port ?? 0))
    }

    func assertCleanStop(_ py: PyIPv8Node, file: StaticString = #filePath, line: UInt = #line) {
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send outside 127.0.0.0/8", file: file, line: line)
        XCTAssertEqual(py.process.terminationStatus, 0, "pynode exit status; stderr: \(py.errors.suffix(2000))", file: file, line: line)
    }

    func testPyIPv8NodeBootstrapsOffOurs() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try makeOurNode(loop: loop)
        let py = try PyIPv8Node(communityID: Self.communityHex, walkTo: [ours.address.description])
        defer { py.stop() }
        drive(loop, seconds: 30) { peersBothWays(ours, py) }
        assertCleanStop(py)
    }

    /// py-ipv8's trackers and tutorials sign with legacy EC keys: a py-ipv8 node with each EC level walks to
    /// ours, and both sides end up with the other as a verified peer.
    func testPyIPv8NodesWithLegacyECKeysAndOursBecomePeers() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try makeOurNode(loop: loop)
        for level in ECCurve.generationNames {
            let py = try PyIPv8Node(communityID: Self.communityHex, walkTo: [ours.address.description], key: level)
            defer { py.stop() }
            drive(loop, seconds: 30) { peersBothWays(ours, py) }
            let pyPeer = ours.community.peers.first { Hex.encode($0.mid) == py.status?.mid }
            XCTAssertEqual(pyPeer?.key.ec?.curve, ECCurve(generation: level), level)
            XCTAssertEqual(ours.community.counters.badSignature, 0, level)
            assertCleanStop(py)
        }
    }

    /// The other way round: our node signs with each legacy EC level, walks to a py-ipv8 node (curve25519),
    /// and each side has the other as a verified peer under the right mid.
    func testOurNodesWithLegacyECKeysAndPyIPv8BecomePeers() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (py, pyAddress) = try startedPyNode(loop: loop)
        defer { py.stop() }
        for curve in ECCurve.generationNames.compactMap(ECCurve.init(generation:)) {
            let ours = try TestNode(loop: loop, key: try PrivateKey.generate(curve: curve))
            defer { ours.service.stop() }
            ours.community.walkTo(pyAddress)
            drive(loop, seconds: 30) { peersBothWays(ours, py) }
            XCTAssertEqual(ours.community.counters.badSignature, 0, "\(curve)")
        }
        assertCleanStop(py)
    }

    func testOurNodeBootstrapsOffPyIPv8AndBothStylesAreSpoken() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (py, pyAddress) = try startedPyNode(loop: loop)
        defer { py.stop() }
        let ours = try makeOurNode(loop: loop, bootstrap: [pyAddress])
        ours.community.walkTo(pyAddress)
        drive(loop, seconds: 30) { peersBothWays(ours, py) }
        // First contact is old style (246/245); py-ipv8 flags new-style support in its 245, so both sides then
        // use 234/233 with each other.
        drive(loop, seconds: 30) {
            let received = py.status?.received ?? [:]
            return (received["InteropCommunity:234"] ?? 0) > 0 && (received["InteropCommunity:246"] ?? 0) > 0
                && ours.community.counters.handledByID[233] > 0 && ours.community.counters.handledByID[245] > 0
        }
        XCTAssertTrue(py.status?.newStylePeers.contains(mid(ours)) ?? false, "py-ipv8 must see us as new-style")
        assertCleanStop(py)
    }
}
