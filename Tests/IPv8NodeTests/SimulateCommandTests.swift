import XCTest

final class SimulateCommandTests: XCTestCase {
    /// The last line of `ipv8-node simulate`: converged, simulated and wall seconds, and the digest.
    static func summary(_ arguments: [String]) throws -> (line: String, digest: String) {
        let result = try NodeProcess.run(["simulate"] + arguments, timeout: 120)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let digest = line.split(separator: "digest=").last.map(String.init) ?? ""
        return (line, digest)
    }

    func testSameSeedSameDigestAnotherSeedAnother() throws {
        let first = try Self.summary(["--nodes", "60", "--seed", "3", "--target", "10"])
        XCTAssertTrue(first.line.hasPrefix("converged: simulated "), first.line)
        XCTAssertTrue(first.line.contains(" s, wall "), first.line)
        XCTAssertTrue(first.line.contains("× real time"), first.line)
        XCTAssertEqual(first.digest.count, 16, first.line)
        let again = try Self.summary(["--nodes", "60", "--seed", "3", "--target", "10"])
        XCTAssertEqual(again.digest, first.digest)
        let other = try Self.summary(["--nodes", "60", "--seed", "4", "--target", "10"])
        XCTAssertNotEqual(other.digest, first.digest)
    }

    func testSkippedSignaturesConvergeReproducibly() throws {
        let first = try Self.summary(["--nodes", "60", "--seed", "3", "--target", "10", "--skip-signatures"])
        XCTAssertTrue(first.line.hasPrefix("converged: simulated "), first.line)
        XCTAssertEqual(first.digest.count, 16, first.line)
        XCTAssertEqual(try Self.summary(["--nodes", "60", "--seed", "3", "--target", "10", "--skip-signatures"]).digest,
                       first.digest)
    }

    func testRejectsATargetTheSwarmCannotReach() throws {
        let result = try NodeProcess.run(["simulate", "--nodes", "10", "--target", "10"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--target: must be between 1 and 9"), result.stderr)
    }
}
