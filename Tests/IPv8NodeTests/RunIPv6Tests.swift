import Foundation
import IPv8TestSupport
import XCTest

/// `ipv8-node run` on IPv6: a configuration file with py-ipv8's `UDPIPv6` interface, and the `--ip` flag
/// with `::` (one dual-stack socket) or `::1`.
final class RunIPv6Tests: XCTestCase {
    func testAnIPv6ConfigurationNodeAndADualStackFlagNodeBecomePeersOverIPv6() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-ipv6-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config.json")
        try """
        {"interfaces": [{"interface": "UDPIPv6", "ip": "::1", "port": 0}],
         "keys": [{"alias": "me", "generation": "curve25519", "file": ""}],
         "overlays": [{"class": "DiscoveryCommunity", "key": "me",
                       "walkers": [{"strategy": "RandomWalk", "peers": 20, "init": {"timeout": 3.0}}],
                       "bootstrappers": [], "initialize": {}, "on_start": []}]}
        """.write(to: file, atomically: true, encoding: .utf8)
        let a = try RunningNode(["run", "--config", file.path, "--status-interval", "0.2"])
        XCTAssertEqual(a.waitForLine { $0.hasPrefix("listening on ") }.map { String($0.split(separator: " ").last ?? "") }, "families=IPv6")
        let first = try XCTUnwrap(a.waitForLine { $0.hasPrefix("status") }, "no status line from the IPv6 node")
        let port = try XCTUnwrap(first.split(separator: " ").first { $0.hasPrefix("port=") }?.dropFirst(5))
        let b = try RunningNode(["run", "--ip", "::", "--port", "0", "--status-interval", "0.2", "--bootstrap", "[::1]:\(port)"])
        XCTAssertNotNil(a.waitForLine { $0.contains("peers=7e313685=1") }, "IPv6 node: \(a.output.suffix(3))")
        XCTAssertNotNil(b.waitForLine { $0.contains("peers=7e313685=1") }, "dual-stack node: \(b.output.suffix(3))")
        let listening = try XCTUnwrap(b.output.first { $0.hasPrefix("listening on ") })
        XCTAssertTrue(listening.hasPrefix("listening on [::]:") && listening.hasSuffix(" families=IPv4+IPv6"), listening)
        for node in [a, b] {
            node.terminate()
            XCTAssertEqual(node.process.terminationStatus, 0)
            XCTAssertEqual(node.output.last, "stopped")
        }
    }

    func testIPv6OnlyNeedsAnIPv6AddressAndInterfacesOneSocketCannotServeAreRefused() throws {
        let flag = try NodeProcess.run(["run", "--ip", "127.0.0.1", "--ipv6-only", "--port", "0"])
        XCTAssertNotEqual(flag.status, 0)
        XCTAssertTrue(flag.stderr.contains("--ipv6-only: needs an IPv6 --ip, not 127.0.0.1"), flag.stderr)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let interfaces = #"[{"interface": "UDPIPv4", "ip": "0.0.0.0", "port": 8090}, {"interface": "UDPIPv6", "ip": "::", "port": 8091}]"#
        try #"{"interfaces": \#(interfaces), "keys": [], "overlays": []}"#.write(to: file, atomically: true, encoding: .utf8)
        let result = try NodeProcess.run(["run", "--config", file.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("interfaces[1].port: must equal the UDPIPv4 port 8090, not 8091"), result.stderr)
    }
}
