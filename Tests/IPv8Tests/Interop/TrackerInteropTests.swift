import IPv8Testing
import IPv8TestSupport
import Foundation
import XCTest
@testable import IPv8

/// Trackers against real py-ipv8 3.2.1 on 127.0.0.1, both ways: py-ipv8 nodes with the stock
/// DispersyBootstrapper use our ``Tracker``; our nodes use a tracker-style py-ipv8 node (EC-signed, any prefix).
final class TrackerInteropTests: XCTestCase {
    static let communityHex = PlainCommunity.defaultID.hex

    /// Our tracker on the loop, signing with a very-low EC key like py-ipv8's public trackers, churning
    /// every second so that the test sees pings.
    func startTracker(loop: EventLoop) throws -> (Tracker, UDPEndpoint) {
        let endpoint = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        let tracker = Tracker(key: try .generate(curve: .sect163k1), endpoint: endpoint, clock: LoopClock(loop: loop),
                              timers: loop, settings: .init(churnInterval: .seconds(1), pingInterval: .seconds(1)))
        tracker.start()
        return (tracker, endpoint)
    }

    /// Our node of the test community whose only bootstrapper is py-ipv8's DispersyBootstrapper for `tracker`.
    func ourNode(loop: EventLoop, tracker: Address) throws -> TestNode {
        let node = try TestNode(loop: loop)
        node.community.bootstrappers = [DispersyBootstrapper(ipAddresses: [tracker], loop: loop)]
        node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: 20)
        node.service.start()
        return node
    }

    func knows(_ node: TestNode, _ py: PyIPv8Node) -> Bool {
        guard let hex = py.status?.mid, let mid = bytes(fromHex: hex) else { return false }
        return node.community.knows(mid: mid)
    }

    func pyKnows(_ py: PyIPv8Node, _ node: TestNode) -> Bool {
        py.status?.peers.contains(Hex.encode(node.community.myPeer.mid)) ?? false
    }

    func assertCleanStop(_ py: PyIPv8Node, file: StaticString = #filePath, line: UInt = #line) {
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send outside 127.0.0.0/8", file: file, line: line)
        XCTAssertEqual(py.process.terminationStatus, 0, "pynode exit status; stderr: \(py.errors.suffix(2000))", file: file, line: line)
    }

    /// py-ipv8 nodes (one with a medium EC key) and one of ours, bootstrapping only off our tracker, all
    /// become peers; py-ipv8 blacklists the tracker and answers its EC-signed pings.
    func testPyIPv8NodesAndOursFindEachOtherThroughOurTracker() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (tracker, endpoint) = try startTracker(loop: loop)
        let address = endpoint.localAddress.description
        let pyA = try PyIPv8Node(communityID: Self.communityHex, trackers: [address], key: "medium")
        defer { pyA.stop() }
        let pyB = try PyIPv8Node(communityID: Self.communityHex, trackers: [address])
        defer { pyB.stop() }
        let ours = try ourNode(loop: loop, tracker: endpoint.localAddress)
        drive(loop, seconds: 40) {
            knows(ours, pyA) && knows(ours, pyB) && pyKnows(pyA, ours) && pyKnows(pyB, ours)
                && (pyA.status?.peers.contains(pyB.status?.mid ?? "-") ?? false)
                && (pyB.status?.peers.contains(pyA.status?.mid ?? "-") ?? false)
        }
        drive(loop, seconds: 20) { tracker.counters.pongs >= 3 && tracker.peerCount == 3 }
        XCTAssertEqual(tracker.counters.badSignature, 0)
        XCTAssertEqual(tracker.counters.malformed, 0)
        for py in [pyA, pyB] {
            XCTAssertEqual(py.status?.trackersBlacklisted, true)
            XCTAssertEqual(py.status?.trackerIsPeer, false)
        }
        XCTAssertFalse(ours.community.peers.contains { $0.address == endpoint.localAddress })
        assertCleanStop(pyA)
        assertCleanStop(pyB)
    }

    /// Two of our nodes bootstrapping only off a tracker-style py-ipv8 node (very-low EC key, any prefix)
    /// find each other, answer its pings, and never take it for a peer.
    func testOurNodesFindEachOtherThroughATrackerStylePyIPv8Node() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let py = try PyIPv8Node.tracker(pingInterval: 1)
        defer { py.stop() }
        drive(loop, seconds: 30) { py.status != nil }
        let trackerAddress = Address(127, 0, 0, 1, port: py.status?.port ?? 0)
        let a = try ourNode(loop: loop, tracker: trackerAddress)
        let b = try ourNode(loop: loop, tracker: trackerAddress)
        drive(loop, seconds: 30) { a.knows(b) && b.knows(a) }
        drive(loop, seconds: 20) {
            (py.status?.services[Self.communityHex]?.count ?? 0) == 2 && (py.status?.pongs ?? 0) >= 2
        }
        for node in [a, b] {
            XCTAssertTrue(node.network.isBlacklisted(trackerAddress))
            XCTAssertFalse(node.community.peers.contains { $0.address == trackerAddress })
            XCTAssertEqual(node.community.counters.badSignature, 0)
        }
        assertCleanStop(py)
    }
}
