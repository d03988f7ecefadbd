import Foundation
import IPv8TestSupport
import XCTest

/// `ipv8-node tracker` serves py-ipv8 nodes that use it exactly as they use the public trackers (the stock
/// DispersyBootstrapper), and our own `ipv8-node run --tracker` nodes.
final class TrackerCommandTests: XCTestCase {
    static let communityA = String(repeating: "a1", count: 20)
    static let communityB = String(repeating: "b2", count: 20)

    func startTracker() throws -> (RunningNode, String) {
        let tracker = try RunningNode(["tracker", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.5"])
        let first = try XCTUnwrap(tracker.waitForLine { $0.hasPrefix("tracker on ") }, "no start line: \(tracker.output)")
        let address = String(first.split(separator: " ")[2])
        XCTAssertTrue(address.hasPrefix("127.0.0.1:"), first)
        return (tracker, address)
    }

    func testPyIPv8NodesInTwoCommunitiesAndOursFindTheirPeersThroughTheTrackerCommand() throws {
        let (tracker, address) = try startTracker()
        defer { tracker.terminate() }
        let a1 = try PyIPv8Node(communityID: Self.communityA, trackers: [address], key: "medium")
        defer { a1.stop() }
        let a2 = try PyIPv8Node(communityID: Self.communityA, trackers: [address])
        defer { a2.stop() }
        let b1 = try PyIPv8Node(communityID: Self.communityB, trackers: [address], key: "very-low")
        defer { b1.stop() }
        let b2 = try PyIPv8Node(communityID: Self.communityB, trackers: [address], key: "low")
        defer { b2.stop() }
        let ours = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.5",
                                    "--community", Self.communityA, "--tracker", address])
        defer { ours.terminate() }
        func peers(_ node: PyIPv8Node) -> Set<String> { Set(node.status?.peers ?? []) }
        let deadline = Date().addingTimeInterval(40)
        var ok = false
        while Date() < deadline && !ok {
            ok = peers(a1).contains(a2.status?.mid ?? "-") && peers(a2).contains(a1.status?.mid ?? "-")
                && peers(b1).contains(b2.status?.mid ?? "-") && peers(b2).contains(b1.status?.mid ?? "-")
                && peers(a1).count == 2 && peers(a2).count == 2
                && ours.output.last(where: { $0.hasPrefix("status") })?.contains("peers=a1a1a1a1=2") == true
            usleep(100_000)
        }
        XCTAssertTrue(ok, "a1 \(peers(a1)) a2 \(peers(a2)) b1 \(peers(b1)) b2 \(peers(b2)) ours \(ours.output.suffix(1))")
        for node in [a1, a2, b1, b2] {
            XCTAssertTrue(peers(node).isDisjoint(with: [a1, a2, b1, b2].filter { ($0 === a1 || $0 === a2) != (node === a1 || node === a2) }
                .compactMap { $0.status?.mid }), "communities stay apart")
            XCTAssertEqual(node.status?.trackersBlacklisted, true)
            XCTAssertEqual(node.status?.trackerIsPeer, false)
        }
        XCTAssertNotNil(tracker.waitForLine { $0.hasPrefix("status communities=2 peers=5 ") }, "\(tracker.output.suffix(2))")
        tracker.terminate()
        XCTAssertEqual(tracker.process.terminationStatus, 0)
        XCTAssertEqual(tracker.output.last, "stopped")
        for node in [a1, a2, b1, b2] {
            node.stop()
            XCTAssertEqual(node.finalStatus?.blockedSends, 0)
        }
    }

    func testBadTrackerArgumentsNameTheFlag() throws {
        let cases: [([String], String)] = [
            (["tracker", "--ip", "nowhere", "--port", "0"], "--ip: \"nowhere\" is not an IP address"),
            (["tracker", "--max-peers", "0"], "--max-peers: must be at least 1, not 0"),
            (["tracker", "--curve", "huge"], "--curve: unknown generation 'huge'"),
            (["run", "--tracker", "localhost"], "--tracker: \"localhost\" is not IP:PORT"),
        ]
        for (arguments, expected) in cases {
            let result = try NodeProcess.run(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }
}
