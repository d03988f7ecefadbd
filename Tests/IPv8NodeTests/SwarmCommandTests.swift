import XCTest

final class SwarmCommandTests: XCTestCase {
    func testSwarmOfTwentyConverges() throws {
        let result = try NodeProcess.run(["swarm", "--nodes", "20", "--walk-interval", "0.1", "--timeout", "60"], timeout: 90)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("at target 20/20"), result.stdout)
        XCTAssertTrue(result.stdout.contains("converged after"), result.stdout)
    }

    func testSwarmRejectsBadSizes() throws {
        let result = try NodeProcess.run(["swarm", "--nodes", "1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--nodes: must be between 2 and 2000"), result.stderr)
    }
}
