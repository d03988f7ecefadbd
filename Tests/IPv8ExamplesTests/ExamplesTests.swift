import Foundation
import IPv8TestSupport
import XCTest

/// Every `ipv8-examples` subcommand runs to its tutorial's outcome (each exits non-zero otherwise).
final class ExamplesTests: XCTestCase {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ipv8-examples")
    }

    func run(_ arguments: [String], timeout: TimeInterval = 40) throws -> ChildProcess.Result {
        try ChildProcess.run(Self.binary, arguments, timeout: timeout)
    }

    func testEveryTutorialReachesItsOutcome() throws {
        let expected: [(String, String)] = [
            ("overlay1", "started DiscoveryCommunity, DHTDiscoveryCommunity on 127.0.0.1:"),
            ("overlay2", "node 1 peers: [Peer<127.0.0.1:"),
            ("overlay3", "has peers [Peer<127.0.0.1:"),
            ("overlay4", "I found: Peer<127.0.0.1:"),
            ("discovery1", "MyDiscoveryStrategy took"),
            ("discovery2", "loaded 1 MyDiscoveryStrategy from the configuration"),
            ("requestcache1", "I found a cache with the state: 42"),
            ("requestcache2", "Oh no! I never received a response!"),
            ("requestcache3", "responded to: 9 with: 10"),
            ("tasks1", "[2, 3, 5, 4]"),
            ("tasks2", "[2, 3, 5, 4]"),
            ("tasks3", "[2]"),
            ("tasks4", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]"),
            ("tasks5", ", 2, "),
            ("tasks6", "failures: 0"),
            ("tasks7", "cache 0: popped, cache 1: timedOut, cache 2: cleared"),
            ("testbase1", "ok: the cache timed out after 10 simulated seconds"),
            ("testbase2", "received [1, 2], then [3]"),
        ]
        for (command, line) in expected {
            let result = try run([command])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stdout.suffix(500)) \(result.stderr.suffix(500))")
            XCTAssertTrue(result.stdout.contains(line), "\(command): \(result.stdout.suffix(500))")
        }
    }

    func testBadLamportArgumentsNameTheFlag() throws {
        let result = try run(["lamport", "--community", "xyz", "--duration", "1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--community: \"xyz\" is not 40 hex digits"), result.stderr)
    }
}

/// overlay_tutorial_5 against the Python original (py-ipv8 3.2.1, "medium" EC key), each as the other's
/// bootstrap node: both clocks advance through messages in both directions.
final class LamportInteropTests: XCTestCase {
    static let community = String(repeating: "c5", count: 20)

    struct Outcome {
        var mid = "", clock = 0, received = 0, printed = 0
    }

    /// The last JSON line and the number of "current clock:" lines of `output`.
    static func outcome(_ output: String) -> Outcome? {
        var out = Outcome()
        out.printed = output.split(separator: "\n").filter { $0.contains("current clock: ") }.count
        guard let last = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let json = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else { return nil }
        out.mid = json["mid"] as? String ?? ""
        out.clock = json["clock"] as? Int ?? 0
        out.received = json["received"] as? Int ?? out.printed
        return out
    }

    /// Starts `first`, reads its port from its `listening on 127.0.0.1:P` line, runs `second` against it.
    func exchange(pythonFirst: Bool) throws -> (ours: Outcome, python: Outcome) {
        let python = try PyIPv8Node.python()
        let script = PyIPv8Node.packageRoot.appendingPathComponent("Tests/Interop/lamport.py").path
        let firstProcess = Process()
        let firstOut = Pipe()
        if pythonFirst {
            firstProcess.executableURL = python
            firstProcess.arguments = [script, "--community-id", Self.community, "--duration", "12"]
        } else {
            firstProcess.executableURL = ExamplesTests.binary
            firstProcess.arguments = ["lamport", "--community", Self.community, "--duration", "10"]
        }
        firstProcess.standardOutput = firstOut
        firstProcess.standardError = FileHandle.nullDevice
        try firstProcess.run()
        defer { ChildProcess.stop(firstProcess) }
        var collected = Data()
        var port: String?
        let deadline = Date().addingTimeInterval(30)
        while port == nil && Date() < deadline {
            let chunk = firstOut.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            collected.append(chunk)
            let text = String(decoding: collected, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on 127.0.0.1:") }) {
                port = String(line.split(separator: ":").last!)
            }
        }
        let address = "127.0.0.1:\(try XCTUnwrap(port, "no port from the first node"))"
        let second = pythonFirst
            ? try ChildProcess.run(ExamplesTests.binary, ["lamport", "--community", Self.community, "--bootstrap", address,
                                                         "--duration", "6"], timeout: 30)
            : try ChildProcess.run(python, [script, "--community-id", Self.community, "--walk-to", address, "--duration", "6"],
                                   timeout: 30)
        XCTAssertEqual(second.status, 0, second.stderr.suffix(1000).description)
        collected.append(firstOut.fileHandleForReading.readDataToEndOfFile())
        firstProcess.waitUntilExit()
        XCTAssertEqual(firstProcess.terminationStatus, 0)
        let firstOutcome = try XCTUnwrap(Self.outcome(String(decoding: collected, as: UTF8.self)))
        let secondOutcome = try XCTUnwrap(Self.outcome(second.stdout), second.stdout.suffix(500).description)
        return pythonFirst ? (secondOutcome, firstOutcome) : (firstOutcome, secondOutcome)
    }

    func assertBothWays(_ ours: Outcome, _ python: Outcome, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(ours.printed, 10, "our node printed too few clocks", file: file, line: line)
        XCTAssertGreaterThan(python.received, 10, "py-ipv8 received too few messages", file: file, line: line)
        // Each message raises the clock past the other's: the two end within one step of each other.
        XCTAssertLessThanOrEqual(abs(ours.clock - python.clock), 1, "\(ours.clock) vs \(python.clock)", file: file, line: line)
        XCTAssertEqual(ours.mid.count, 40, file: file, line: line)
        XCTAssertNotEqual(ours.mid, python.mid, file: file, line: line)
    }

    func testOursBootstrapsOffThePythonOriginal() throws {
        let (ours, python) = try exchange(pythonFirst: true)
        assertBothWays(ours, python)
    }

    func testThePythonOriginalBootstrapsOffOurs() throws {
        let (ours, python) = try exchange(pythonFirst: false)
        assertBothWays(ours, python)
    }
}
