import Foundation
import IPv8TestSupport
import XCTest

/// `ipv8-node run` in the IPv8 network as it is: py-ipv8 nodes with legacy EC keys as its bootstrap node, and
/// its own identity in an EC key file that py-ipv8 wrote.
final class LegacyKeyNodeTests: XCTestCase {
    static let community = String(repeating: "e5", count: 20)

    /// Writes a py-ipv8 key of `level` to `path` the way py-ipv8 stores key files (the raw private bin) and
    /// returns the mid py-ipv8 gives it.
    func pyIPv8KeyFile(level: String, path: String) throws -> String {
        let script = """
            import sys
            from ipv8.keyvault.crypto import default_eccrypto
            key = default_eccrypto.generate_key(sys.argv[1])
            open(sys.argv[2], "wb").write(key.key_to_bin())
            print(key.key_to_hash().hex())
            """
        let result = try ChildProcess.run(try PyIPv8Node.python(), ["-c", script, level, path], timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testOurStatusLineCountsPyIPv8NodesWithVeryLowAndMediumKeysAndPyIPv8VerifiesOurPyWrittenKey() throws {
        for (pyLevel, ourLevel) in [("very-low", "medium"), ("medium", "very-low")] {
            let keyPath = FileManager.default.temporaryDirectory.appendingPathComponent("py-\(UUID().uuidString).pem").path
            defer { try? FileManager.default.removeItem(atPath: keyPath) }
            let ourMid = try pyIPv8KeyFile(level: ourLevel, path: keyPath)
            let py = try PyIPv8Node(communityID: Self.community, key: pyLevel)
            defer { py.stop() }
            let deadline = Date().addingTimeInterval(30)
            while py.status == nil && Date() < deadline { usleep(20_000) }
            let port = try XCTUnwrap(py.status?.port)
            let ours = try RunningNode(["run", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "0.3",
                                        "--community", Self.community, "--key-file", keyPath,
                                        "--bootstrap", "127.0.0.1:\(port)"])
            defer { ours.terminate() }
            XCTAssertNotNil(ours.waitForLine(seconds: 30) { $0.contains("peers=e5e5e5e5=1") },
                            "\(pyLevel): \(ours.output.suffix(2))")
            let seen = Date().addingTimeInterval(30)
            while !(py.status?.peers.contains(ourMid) ?? false) && Date() < seen { usleep(50_000) }
            XCTAssertEqual(py.status?.peers, [ourMid], "py-ipv8 (\(pyLevel)) verifies us under the mid of its own key file")
            ours.terminate()
            XCTAssertEqual(ours.process.terminationStatus, 0)
            py.stop()
            XCTAssertEqual(py.finalStatus?.blockedSends, 0)
        }
    }
}
