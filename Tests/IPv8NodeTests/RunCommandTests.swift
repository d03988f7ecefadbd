import Foundation
import IPv8TestSupport
import XCTest

final class RunCommandTests: XCTestCase {
    func testTwoNodesOnLoopbackDiscoverEachOtherAndStopCleanlyOnSIGTERM() throws {
        let a = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.2"])
        let first = try XCTUnwrap(a.waitForLine { $0.hasPrefix("status") }, "no status line from the first node")
        let port = try XCTUnwrap(first.split(separator: " ").first { $0.hasPrefix("port=") }?.dropFirst(5))
        let b = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.2",
                                 "--bootstrap", "127.0.0.1:\(port)"])
        // The Discovery community (7e313685…) has the other node as its one peer, on both sides.
        XCTAssertNotNil(a.waitForLine { $0.contains("peers=7e313685=1") }, "first node: \(a.output.suffix(3))")
        XCTAssertNotNil(b.waitForLine { $0.contains("peers=7e313685=1") }, "second node: \(b.output.suffix(3))")
        // The loop's lag (how late its timer fired) is in the status line, and small on an idle machine.
        let status = try XCTUnwrap(b.output.last { $0.hasPrefix("status") })
        let p99 = try XCTUnwrap(status.split(separator: " ").first { $0.hasPrefix("lag_p99=") }?.dropFirst(8).dropLast(2))
        XCTAssertLessThan(try XCTUnwrap(Double(p99)), 50, status)
        for node in [a, b] {
            let took = node.terminate()
            XCTAssertEqual(node.process.terminationStatus, 0)
            // A sanitizer's runtime takes about a second of its own at exit (ThreadSanitizer: 1.02 s measured).
            let bound = (ProcessInfo.processInfo.environment["IPV8_SANITIZER"] ?? "").isEmpty ? 1.0 : 3.0
            XCTAssertLessThan(took, bound, "a node must exit within a second of SIGTERM")
            XCTAssertEqual(node.output.last, "stopped")
        }
    }

    func testTheRESTAPIServesTheNodeOn127001WithItsKey() throws {
        let node = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.2",
                                    "--rest-port", "0", "--api-key", "sesame"])
        let line = try XCTUnwrap(node.waitForLine { $0.hasPrefix("rest on ") }, "no rest line: \(node.output.suffix(3))")
        XCTAssertTrue(line.hasPrefix("rest on 127.0.0.1:"), "binds 127.0.0.1 unless told otherwise: \(line)")
        let port = try XCTUnwrap(Int(line.split(separator: ":").last ?? ""))
        func fetch(key: String?) throws -> (Int, String) {
            let reply = try PendingHTTPRequest("GET", port: port, path: "/overlays",
                                               headers: key.map { [("X-Api-Key", $0)] } ?? []).wait(seconds: 10).get()
            return (reply.status, reply.text)
        }
        let (status, body) = try fetch(key: "sesame")
        XCTAssertEqual(status, 200)
        XCTAssertTrue(body.contains(#""overlay_name":"DiscoveryCommunity""#), body)
        XCTAssertEqual(try fetch(key: nil).0, 401)
        node.terminate()
        XCTAssertEqual(node.process.terminationStatus, 0)
        XCTAssertEqual(node.output.last, "stopped")
    }

    func testJSONLogsAreOneObjectPerLineWithTimeLevelLabelAndMessage() throws {
        // A REST bind that fails (192.0.2.1 is no address of this host) makes the node log, then exit.
        let result = try NodeProcess.run(["run", "--ip", "127.0.0.1", "--port", "0", "--rest-port", "0",
                                          "--rest-ip", "192.0.2.1", "--json-logs", "--log-level", "debug"])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertGreaterThan(lines.count, 1, result.stderr)
        for line in lines {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], String(line))
            for key in ["time", "level", "label", "message"] { XCTAssertNotNil(object[key], "\(key) missing: \(line)") }
            XCTAssertNotNil(ISO8601DateFormatter().date(from: object["time"] ?? ""), String(line))
            XCTAssertTrue(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(object["level"] ?? ""))
        }
        XCTAssertTrue(lines.contains { $0.contains("Cannot assign requested address") }, "the bind failure is in the log")
    }

    func testBadArgumentsAndConfigurationsGiveOneClearLine() throws {
        let cases: [([String], String)] = [
            (["run", "--ip", "not-an-ip", "--port", "0"], "--ip: \"not-an-ip\" is not an IP address"),
            (["run", "--community", "abc", "--port", "0"], "--community: \"abc\" is not 40 hex digits"),
            (["run", "--config", "/nonexistent/config.json"], "--config: cannot read /nonexistent/config.json"),
            (["run", "--log-level", "loud"], "--log-level: unknown level"),
            (["run", "--rest-port", "99999"], "--rest-port: must be 0...65535"),
            (["run", "--puncture-ttl", "300"], "--puncture-ttl: must be 0...255"),
            (["run", "--rest-port", "0", "--rest-ip", "nowhere"], "--rest-ip: \"nowhere\" is not an IP address"),
            // 192.0.2.1 (TEST-NET-1) is no address of this host: the bind fails, nothing is sent.
            (["run", "--ip", "127.0.0.1", "--port", "0", "--rest-port", "0", "--rest-ip", "192.0.2.1"],
             "--rest-port: cannot serve on 192.0.2.1:0"),
        ]
        for (arguments, expected) in cases {
            let result = try NodeProcess.run(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).json")
        try #"{"keys": [{"alias": "k"}], "overlays": [{"class": "Nope", "key": "k"}]}"#.write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try NodeProcess.run(["run", "--config", dir.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains(#"overlays[0].class: unknown community "Nope" (known: DHTCommunity, DHTDiscoveryCommunity, DiscoveryCommunity, GenericCommunity)"#), result.stderr)
    }
}
