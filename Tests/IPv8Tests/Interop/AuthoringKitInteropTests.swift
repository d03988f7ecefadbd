import Foundation
import IPv8Testing
import IPv8TestSupport
import XCTest
@testable import IPv8

/// A community built with the whole authoring kit (a task, a request cache, the declarative payload of
/// every format) against the same community written with py-ipv8 (Tests/Interop/kit_community.py):
/// each side asks, the other echoes the decoded and re-encoded payload, and both check every field.
final class AuthoringKitInteropTests: XCTestCase {
    typealias Everything = DataClassSample.Everything
    static let communityID = CommunityID(bytes: [UInt8](repeating: 0x6B, count: 20))!

    final class Pending: NumberCache {
        override class var name: String { "ask" }
        override var timeoutDelay: Duration { .seconds(2) }
        weak var community: KitCommunity?
        override func onTimeout() { community?.timeouts += 1 }
    }

    final class KitCommunity: Community {
        var asked: [Everything] = []
        var echoes: [Everything] = []
        var timeouts = 0

        init(context: CommunityContext) throws {
            try super.init(communityID: AuthoringKitInteropTests.communityID, context: context)
            try addHandler(for: Everything.self, style: .ez) { [unowned self] peer, payload in
                switch payload.rest {
                case Array("ask".utf8):
                    asked.append(payload)
                    var echo = payload
                    echo.rest = Array("echo".utf8)
                    ezSend(peer, echo)
                case Array("echo".utf8):
                    guard requestCache.pop(Pending.self, UInt64(payload.i)) != nil else { return }
                    echoes.append(payload)
                default:
                    break
                }
            }
            try tasks.register("ask", delay: .zero, interval: .milliseconds(500)) { [unowned self] in
                let number = UInt64(DataClassSample.sample.i)
                guard !peers.isEmpty, !requestCache.has(Pending.self, number) else { return }
                let pending = try requestCache.add(Pending(number: number))
                pending.community = self
                var ask = DataClassSample.sample
                ask.rest = Array("ask".utf8)
                for peer in peers { ezSend(peer, ask) }
            }
        }
    }

    func withoutRest(_ p: Everything) -> Everything {
        var p = p
        p.rest = []
        return p
    }

    func testEveryFieldRoundTripsBothWaysBetweenOurKitCommunityAndPyIPv8s() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        let ours = service.addOverlay(try KitCommunity(context: service.context(key: try .generate(curve: .sect233k1))))
        service.start()
        defer { service.stop() }
        let script = PyIPv8Node.packageRoot.appendingPathComponent("Tests/Interop/kit_community.py").path
        let py = Process()
        py.executableURL = try PyIPv8Node.python()
        py.arguments = [script, "--community-id", Self.communityID.hex, "--walk-to", service.endpoint.localAddress.description,
                        "--duration", "6"]
        let out = Pipe()
        py.standardOutput = out
        py.standardError = FileHandle.nullDevice
        try py.run()
        defer { ChildProcess.stop(py) }
        XCTAssertTrue(loop.run(until: { ours.echoes.count >= 2 && ours.asked.count >= 2 }, timeout: .seconds(20)),
                      "echoes \(ours.echoes.count), asked \(ours.asked.count), peers \(ours.peerCount), \(ours.counters)")
        let expected = withoutRest(DataClassSample.sample)
        XCTAssertTrue(ours.asked.allSatisfy { withoutRest($0) == expected }, "py-ipv8's payload decodes to the sample")
        XCTAssertTrue(ours.echoes.allSatisfy { withoutRest($0) == expected }, "py-ipv8's echo of ours is the sample")
        // Let py-ipv8 finish and report what it saw.
        _ = loop.run(until: { !py.isRunning }, timeout: .seconds(15))
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let line = try XCTUnwrap(report.split(separator: "\n").last)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], report)
        XCTAssertEqual(json["asked_ok"] as? Bool, true, report)
        XCTAssertEqual(json["echo_ok"] as? Bool, true, report)
        XCTAssertGreaterThanOrEqual(json["echoes"] as? Int ?? 0, 2, report)
        XCTAssertEqual(json["blocked_sends"] as? Int, 0, report)
        XCTAssertEqual(ours.counters.malformed, 0)
        XCTAssertEqual(ours.counters.badSignature, 0)
        // Unloading cancels the task and the pending cache.
        ours.unload()
        XCTAssertTrue(ours.tasks.pendingNames.isEmpty)
        XCTAssertEqual(ours.requestCache.count, 0)
    }
}
