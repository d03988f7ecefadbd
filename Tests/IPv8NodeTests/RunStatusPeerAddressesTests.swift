import Foundation
import IPv8TestSupport
import XCTest

/// `ipv8-node run --status-peer-addresses`: the status line ends with the first overlay's peer addresses, an
/// IPv4 peer of a dual-stack node written a.b.c.d:p (never ::ffff:), an IPv6 one [ip]:p; without the flag the
/// line has no such field.
final class RunStatusPeerAddressesTests: XCTestCase {
    func testADualStackNodeListsItsIPv4AndIPv6PeersAtTheirAddresses() throws {
        let hub = try RunningNode(["run", "--ip", "::", "--port", "0", "--status-interval", "0.2", "--status-peer-addresses"])
        let first = try XCTUnwrap(hub.waitForLine { $0.hasPrefix("status") }, "no status line from the dual-stack node")
        XCTAssertTrue(first.hasSuffix(" peer_addresses="), first)
        let port = try XCTUnwrap(first.split(separator: " ").first { $0.hasPrefix("port=") }?.dropFirst(5))
        let v4 = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.2",
                                  "--bootstrap", "127.0.0.1:\(port)"])
        let v6 = try RunningNode(["run", "--ip", "::1", "--port", "0", "--status-interval", "0.2",
                                  "--bootstrap", "[::1]:\(port)"])
        func boundPort(_ node: RunningNode) throws -> Substring {
            let line = try XCTUnwrap(node.waitForLine { $0.hasPrefix("status") })
            return try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("port=") }?.dropFirst(5))
        }
        let expected = " peer_addresses=127.0.0.1:\(try boundPort(v4)),[::1]:\(try boundPort(v6))"
        XCTAssertNotNil(hub.waitForLine { $0.hasSuffix(expected) }, "dual-stack node: \(hub.output.suffix(2))")
        XCTAssertFalse(v4.output.contains { $0.contains("peer_addresses=") }, "only with the flag")
        for node in [hub, v4, v6] {
            node.terminate()
            XCTAssertEqual(node.process.terminationStatus, 0)
        }
    }
}
