import Foundation
import IPv8TestSupport
import XCTest

/// py-ipv8's default configuration, as py-ipv8 3.2.1 itself writes it, with its public trackers replaced by
/// our tracker on loopback: `ipv8-node run --config` refuses its HiddenTunnelCommunity in one line, and with
/// `--skip-unsupported-overlays` runs its DiscoveryCommunity and DHTDiscoveryCommunity (with PingChurn).
final class DefaultConfigurationTests: XCTestCase {
    /// `get_default_configuration()` from py-ipv8, with the interface on 127.0.0.1:0, the key file in
    /// `directory` and every overlay bootstrapping off `tracker` only.
    func defaultConfiguration(tracker: String, directory: URL) throws -> URL {
        let python: URL
        do { python = try PyIPv8Node.python() } catch { throw XCTSkip("\(error)") }
        let script = "import json; from ipv8.configuration import get_default_configuration; print(json.dumps(get_default_configuration()))"
        let result = try ChildProcess.run(python, ["-c", script], timeout: 30)
        XCTAssertEqual(result.status, 0, result.stderr)
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let overlays = try XCTUnwrap(config["overlays"] as? [[String: Any]])
        XCTAssertEqual(overlays.map { $0["class"] as? String },
                       ["DiscoveryCommunity", "HiddenTunnelCommunity", "DHTDiscoveryCommunity"], "py-ipv8's default overlays")
        let parts = tracker.split(separator: ":")
        config["interfaces"] = [["interface": "UDPIPv4", "ip": "127.0.0.1", "port": 0]]
        config["working_directory"] = directory.path
        config["overlays"] = overlays.map { overlay -> [String: Any] in
            var overlay = overlay
            overlay["bootstrappers"] = [["class": "DispersyBootstrapper", "init": [
                "ip_addresses": [[String(parts[0]), Int(parts[1])!]], "dns_addresses": [], "bootstrap_timeout": 30.0,
            ] as [String: Any]]]
            return overlay
        }
        let file = directory.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        return file
    }

    func testPyIPv8sDefaultConfigurationRunsWithoutItsTunnels() throws {
        let tracker = try RunningNode(["tracker", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.5"])
        defer { _ = tracker.terminate() }
        let first = try XCTUnwrap(tracker.waitForLine { $0.hasPrefix("tracker on ") }, "no start line: \(tracker.output)")
        let address = String(first.split(separator: " ")[2])
        var directories: [URL] = []
        defer { for d in directories { try? FileManager.default.removeItem(at: d) } }
        func configuration() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-default-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            directories.append(directory)
            return try defaultConfiguration(tracker: address, directory: directory)
        }

        let refused = try NodeProcess.run(["run", "--config", try configuration().path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("overlays[1].class: py-ipv8's HiddenTunnelCommunity is not supported by swift-ipv8"),
                      refused.stderr)

        let nodes = try (0..<2).map { _ in
            try RunningNode(["run", "--config", try configuration().path, "--skip-unsupported-overlays",
                             "--status-interval", "0.2"])
        }
        // Discovery (7e313685…) and the DHT (8d0be184…) each have the other node as a peer; no tunnel overlay.
        for node in nodes {
            let line = node.waitForLine { $0.contains("peers=7e313685=1,8d0be184=1 ") }
            XCTAssertNotNil(line, "\(node.output.suffix(3))")
        }
        for node in nodes {
            _ = node.terminate()
            XCTAssertEqual(node.process.terminationStatus, 0)
        }
        // Each node made its key file where the configuration said.
        for directory in directories.suffix(2) {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ec_multichain.pem").path))
        }
    }
}
