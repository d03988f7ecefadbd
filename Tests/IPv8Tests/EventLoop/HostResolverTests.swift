import XCTest
@testable import IPv8

final class HostResolverTests: XCTestCase {
    func testLocalhostResolvesOffTheLoopThreadToLoopback() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var result: Result<[Address], HostResolver.Failure>?
        HostResolver.resolve("localhost", port: 6421, on: loop) { result = $0 }
        XCTAssertTrue(loop.run(until: { result != nil }, timeout: .seconds(10)))
        let addresses = try XCTUnwrap(try? result?.get())
        XCTAssertFalse(addresses.isEmpty)
        XCTAssertTrue(addresses.allSatisfy { $0.isLoopback && $0.port == 6421 }, "\(addresses)")
    }

    func testNumericHostResolvesAtOnce() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var result: Result<[Address], HostResolver.Failure>?
        HostResolver.resolve("127.0.0.5", port: 1, on: loop) { result = $0 }
        XCTAssertEqual(try result?.get(), [Address(127, 0, 0, 5, port: 1)])
    }

    func testInvalidNameFailsWithTheNameInTheError() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var result: Result<[Address], HostResolver.Failure>?
        // ".invalid" is reserved (RFC 2606); with no network the lookup fails or times out, both are errors.
        HostResolver.resolve("tracker.invalid", port: 1, on: loop, timeout: .seconds(3)) { result = $0 }
        XCTAssertTrue(loop.run(until: { result != nil }, timeout: .seconds(10)))
        guard case .failure(let failure)? = result else { return XCTFail("expected a failure, got \(String(describing: result))") }
        XCTAssertTrue(failure.description.contains("tracker.invalid"), failure.description)
    }
}
