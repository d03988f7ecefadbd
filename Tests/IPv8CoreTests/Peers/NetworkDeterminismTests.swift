import Foundation
import IPv8TestSupport
import XCTest
@testable import IPv8Core

/// Swift seeds its hashing randomly per process, so Set/Dictionary iteration order differs between runs.
/// This test runs a seeded scenario in two child processes, one with deterministic hashing and one with
/// the usual random seed, and checks that every ordered output is identical.
final class NetworkDeterminismTests: XCTestCase {
    private static let childVariable = "IPV8_NETWORK_DIGEST_CHILD"
    private static let marker = "IPV8-NETWORK-DIGEST:"

    func testOrderIsIndependentOfTheHashSeed() throws {
        if ProcessInfo.processInfo.environment[Self.childVariable] != nil {
            // Child mode: print the digest of the transcript for the parent.
            let transcript = NetworkScaleTests.runRandomized(seed: 7, steps: 1_500, checkEveryStep: false)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in transcript.joined(separator: "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            print("\(Self.marker)\(String(hash, radix: 16)) lines=\(transcript.count)")
            return
        }
        let first = try runChild(deterministicHashing: true)
        let second = try runChild(deterministicHashing: false)
        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(first, second)
    }

    private func runChild(deterministicHashing: Bool) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childVariable] = "1"
        environment["SWIFT_DETERMINISTIC_HASHING"] = deterministicHashing ? "1" : nil
        let result = try ChildProcess.run(
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
            ["IPv8CoreTests.NetworkDeterminismTests/testOrderIsIndependentOfTheHashSeed"],
            environment: environment, timeout: 120)
        XCTAssertFalse(result.timedOut, "the child run timed out")
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(Self.marker) }
        return line.map(String.init) ?? ""
    }
}
