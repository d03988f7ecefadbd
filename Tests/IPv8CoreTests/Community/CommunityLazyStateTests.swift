import IPv8Testing
import XCTest
@testable import IPv8Core

/// A community's task manager and request cache are made on first use, once, and shut down by unloading,
/// also when first used after it.
final class CommunityLazyStateTests: SimulatedTestCase {
    func testTasksAndRequestCacheAreMadeOnceAndShutDownByUnload() throws {
        let a = try node(), b = try node()
        XCTAssertTrue(a.community.tasks === a.community.tasks)
        XCTAssertTrue(a.community.requestCache === a.community.requestCache)
        var ran = false
        try a.community.tasks.register("now") { ran = true }
        run { ran }
        try a.community.tasks.register("later", delay: .seconds(60)) {}
        try a.community.requestCache.add(RequestCacheTests.MyState(number: 1, state: 1))
        a.community.unload()
        XCTAssertFalse(a.community.tasks.isPending("later"), "unloading cancels the tasks")
        XCTAssertFalse(a.community.requestCache.has(RequestCacheTests.MyState.self, 1), "and clears the caches")
        XCTAssertThrowsError(try a.community.tasks.register("after") {})

        b.community.unload()   // never used before: made after unloading, already shut down
        XCTAssertThrowsError(try b.community.tasks.register("after") {})
        XCTAssertThrowsError(try b.community.requestCache.add(RequestCacheTests.MyState(number: 2, state: 2)))
    }
}
