import IPv8Testing
import XCTest
@testable import IPv8

/// Dispatch through the shell: unloading a community removes its listener from the UDP endpoint.
final class UnloadTests: XCTestCase {
    func testUnloadRemovesTheListener() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop), b = try TestNode(loop: loop)
        defer { a.service.stop(); b.service.stop() }
        b.service.unload(b.community)
        XCTAssertNil(b.service.overlay(PlainCommunity.self))
        a.community.walkTo(b.address)
        loop.run(for: .milliseconds(100))
        XCTAssertEqual(b.community.counters.received, 0)
        XCTAssertEqual(b.service.endpoint.counters.droppedUnknownPrefix, 1)
    }
}
