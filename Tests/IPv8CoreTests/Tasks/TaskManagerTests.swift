import IPv8Testing
import XCTest
@testable import IPv8Core

/// py-ipv8's TaskManager semantics on manual time.
final class TaskManagerTests: XCTestCase {
    let clock = ManualClock()
    lazy var timers = ManualTimerScheduler(clock: clock)
    lazy var tasks = TaskManager(timers: timers)

    func testOneShotTasksRunOnceNowOrAfterTheirDelay() throws {
        var ran: [String] = []
        try tasks.register("now") { ran.append("now") }
        try tasks.register("later", delay: .seconds(2)) { ran.append("later") }
        XCTAssertEqual(tasks.pendingNames, ["later", "now"])
        timers.advance(by: 0)
        XCTAssertEqual(ran, ["now"])
        timers.advance(by: 1.9)
        XCTAssertEqual(ran, ["now"])
        timers.advance(by: 0.2)
        XCTAssertEqual(ran, ["now", "later"])
        XCTAssertTrue(tasks.pendingNames.isEmpty)
    }

    func testIntervalTasksStartAfterTheirIntervalUnlessADelayIsGiven() throws {
        var a = 0, b = 0
        try tasks.register("a", interval: .seconds(5)) { a += 1 }
        try tasks.register("b", delay: .zero, interval: .seconds(5)) { b += 1 }
        timers.advance(by: 0)
        XCTAssertEqual([a, b], [0, 1])
        timers.advance(by: 5)
        XCTAssertEqual([a, b], [1, 2])
        timers.advance(by: 10)
        XCTAssertEqual([a, b], [3, 4])
        XCTAssertTrue(tasks.isPending("a"))
    }

    func testNamesAreUniqueUntilReplacedOrCancelled() throws {
        var which = ""
        try tasks.register("t", delay: .seconds(1)) { which = "first" }
        XCTAssertThrowsError(try tasks.register("t") { which = "dup" }) { error in
            XCTAssertEqual(error as? TaskManager.TaskError, .alreadyExists("t"))
        }
        try tasks.replace("t", delay: .seconds(1)) { which = "second" }
        timers.advance(by: 1)
        XCTAssertEqual(which, "second")
        try tasks.register("t", delay: .seconds(1)) { which = "third" }   // the name is free again
        XCTAssertTrue(tasks.cancel("t"))
        XCTAssertFalse(tasks.cancel("t"))
        timers.advance(by: 2)
        XCTAssertEqual(which, "second")
    }

    func testAnonymousTasksGetDistinctNames() throws {
        var done: [Int] = []
        for i in 0..<20 { try tasks.registerAnonymous("execute_me_too", delay: .milliseconds(500)) { done.append(i) } }
        XCTAssertEqual(tasks.anonymousTasks("execute_me_too").count, 20)
        timers.advance(by: 0.5)
        XCTAssertEqual(done, Array(0..<20))
        XCTAssertTrue(tasks.anonymousTasks("execute_me_too").isEmpty)
    }

    func testAThrowingTaskIsCountedAndARepeatingOneStops() throws {
        struct Boom: Error {}
        var runs = 0
        try tasks.register("error out :-(", interval: .seconds(1)) { runs += 1; throw Boom() }
        timers.advance(by: 3)
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(tasks.failures, 1)
        XCTAssertFalse(tasks.isPending("error out :-("))
    }

    func testShutdownCancelsEverythingAndRefusesNewTasks() throws {
        var runs = 0
        try tasks.register("x", interval: .seconds(1)) { runs += 1 }
        try tasks.register("y", delay: .seconds(1)) { runs += 1 }
        tasks.shutdown()
        timers.advance(by: 5)
        XCTAssertEqual(runs, 0)
        XCTAssertThrowsError(try tasks.register("z") {}) { error in
            XCTAssertEqual(error as? TaskManager.TaskError, .shutDown("z"))
        }
    }

    func testACommunityUnloadCancelsItsTasksAndCaches() throws {
        let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock, timers: timers))
        var ticks = 0
        try community.tasks.register("tick", interval: .seconds(1)) { ticks += 1 }
        final class Pending: NumberCache {}
        var outcome: NumberCache.Outcome?
        try community.requestCache.add(Pending(number: 1)).whenFinished { outcome = $0 }
        timers.advance(by: 2)
        XCTAssertEqual(ticks, 2)
        community.unload()
        timers.advance(by: 20)
        XCTAssertEqual(ticks, 2)
        XCTAssertEqual(outcome, .cleared)
        XCTAssertEqual(community.requestCache.count, 0)
        XCTAssertTrue(community.tasks.pendingNames.isEmpty)
    }
}

final class RequestCacheTests: XCTestCase {
    let clock = ManualClock()
    lazy var timers = ManualTimerScheduler(clock: clock)
    lazy var cache = RequestCache(timers: timers)

    final class MyState: NumberCache {
        override class var name: String { "my-state" }
        override var timeoutDelay: Duration { .seconds(3) }
        let state: Int
        var timedOut = false
        init(number: UInt64, state: Int) {
            self.state = state
            super.init(number: number)
        }
        override func onTimeout() { timedOut = true }
    }

    func testAddGetHasPop() throws {
        let state = try cache.add(MyState(number: 0, state: 42))
        XCTAssertEqual(state.prefix, "my-state")
        XCTAssertTrue(cache.has(MyState.self, 0))
        XCTAssertTrue(cache.has("my-state", 0))
        XCTAssertEqual(cache.get(MyState.self, 0)?.state, 42)
        XCTAssertEqual(cache.pop(MyState.self, 0)?.state, 42)
        XCTAssertNil(cache.pop(MyState.self, 0), "a replayed answer finds nothing")
        timers.advance(by: 10)
        XCTAssertFalse(state.timedOut, "a popped cache never times out")
    }

    func testTimeoutsFireOnSimulatedTimeAndTellTheWaiter() throws {
        let state = try cache.add(MyState(number: 7, state: 1))
        var outcome: NumberCache.Outcome?
        state.whenFinished { outcome = $0 }
        timers.advance(by: 2.9)
        XCTAssertFalse(state.timedOut)
        timers.advance(by: 0.2)
        XCTAssertTrue(state.timedOut)
        XCTAssertEqual(outcome, .timedOut)
        XCTAssertFalse(cache.has(MyState.self, 7))
    }

    func testDuplicatesAreRefusedAndFreeNumbersAreFree() throws {
        try cache.add(MyState(number: 5, state: 1))
        XCTAssertThrowsError(try cache.add(MyState(number: 5, state: 2))) { error in
            XCTAssertEqual(error as? RequestCache.CacheError, .duplicate(prefix: "my-state", number: 5))
        }
        for _ in 0..<100 {
            let n = cache.freeNumber(for: MyState.self)
            XCTAssertFalse(cache.has(MyState.self, n))
            try cache.add(MyState(number: n, state: 0))
        }
        XCTAssertEqual(cache.count, 101)
    }

    func testWaitForSeesACacheAddedLater() throws {
        var found: Int?
        cache.waitFor(MyState.self, 0) { found = $0.state }
        let tasks = TaskManager(timers: timers)
        try tasks.registerAnonymous("Add later", delay: .milliseconds(1230)) { [cache] in
            try cache.add(MyState(number: 0, state: 42))
        }
        timers.advance(by: 1.2)
        XCTAssertNil(found)
        timers.advance(by: 0.1)
        XCTAssertEqual(found, 42)
    }
}

/// Async task bodies (py-ipv8's coroutine tasks) on manual time: they run on the driving thread, wait on
/// the manager's timers, and are cancelled by name.
final class AsyncTaskTests: XCTestCase {
    let clock = ManualClock()
    lazy var timers = ManualTimerScheduler(clock: clock)
    lazy var tasks = TaskManager(timers: timers)

    func testAnAsyncBodyWaitsOnSimulatedTimeAndStaysPendingUntilItReturns() throws {
        var steps: [Double] = []
        try tasks.register("walk") { [unowned self] in
            steps.append(clock.now)
            try await tasks.sleep(for: .seconds(2))
            steps.append(clock.now)
            try await tasks.sleep(for: .seconds(3))
            steps.append(clock.now)
        }
        timers.advance(by: 0)
        XCTAssertEqual(steps, [0])
        XCTAssertTrue(tasks.isPending("walk"), "pending while the body runs")
        timers.advance(by: 2)
        XCTAssertEqual(steps, [0, 2])
        timers.advance(by: 3)
        XCTAssertEqual(steps, [0, 2, 5])
        timers.advance(by: 0)
        XCTAssertFalse(tasks.isPending("walk"))
    }

    func testCancellingStopsAnAsyncBodyAtItsNextWait() throws {
        var reached = 0
        try tasks.register("long") { [unowned self] in
            reached = 1
            try await tasks.sleep(for: .seconds(10))
            reached = 2
        }
        timers.advance(by: 1)
        XCTAssertEqual(reached, 1)
        XCTAssertTrue(tasks.cancel("long"))
        timers.advance(by: 0)   // the sleep wakes at once, not after its 10 s
        XCTAssertEqual(reached, 1)
        XCTAssertEqual(tasks.failures, 0, "cancellation is not a failure")
        // Shutting down wakes a sleeping body too, so nothing it holds stays suspended.
        var ended = false
        try tasks.register("forever") { [unowned self] in
            defer { ended = true }
            try await tasks.sleep(for: .seconds(3_600))
        }
        timers.advance(by: 1)
        XCTAssertFalse(ended)
        tasks.shutdown()
        timers.advance(by: 0)
        XCTAssertTrue(ended)
    }

    func testARepeatingAsyncTaskNeverOverlapsItselfAndAThrowStopsIt() throws {
        struct Boom: Error {}
        var starts = 0, concurrent = 0, most = 0
        try tasks.register("tick", interval: .seconds(1)) { [unowned self] in
            starts += 1
            concurrent += 1
            most = max(most, concurrent)
            try await tasks.sleep(for: .milliseconds(2500))
            concurrent -= 1
            if starts == 3 { throw Boom() }
        }
        for _ in 0..<40 { timers.advance(by: 0.5) }
        XCTAssertEqual(most, 1)
        XCTAssertEqual(starts, 3)
        XCTAssertEqual(tasks.failures, 1)
        XCTAssertFalse(tasks.isPending("tick"))
    }
}

/// Awaiting request caches from async task bodies (py-ipv8's `await request_cache.wait_for(...)`).
final class AsyncRequestCacheTests: XCTestCase {
    let clock = ManualClock()
    lazy var timers = ManualTimerScheduler(clock: clock)

    final class Pending: NumberCache {
        override var timeoutDelay: Duration { .seconds(2) }
    }

    func testAnAsyncBodyAwaitsACacheAddedLaterAndItsTimeout() throws {
        let tasks = TaskManager(timers: timers), cache = RequestCache(timers: timers)
        var log: [String] = []
        try tasks.register("waiter") {
            guard let found = await cache.wait(for: Pending.self, number: 7) else { return log.append("cleared") }
            log.append("found \(found.number) at \(self.clock.now)")
            let outcome = await found.finished()
            log.append("\(outcome) at \(self.clock.now)")
        }
        try tasks.register("adder", delay: .seconds(1)) { try cache.add(Pending(number: 7)) }
        timers.advance(by: 0.5)
        XCTAssertEqual(log, [])
        timers.advance(by: 1)
        XCTAssertEqual(log, ["found 7 at 1.0"])
        timers.advance(by: 2)
        XCTAssertEqual(log, ["found 7 at 1.0", "timedOut at 3.0"])
        XCTAssertFalse(tasks.isPending("waiter"))
        // Late observers of a finished cache hear at once; a waiter is released when the cache is cleared.
        var late: NumberCache.Outcome?
        let done = try cache.add(Pending(number: 8))
        cache.pop(Pending.self, 8)
        done.whenFinished { late = $0 }
        XCTAssertEqual(late, .popped)
        try tasks.register("orphan") {
            guard await cache.wait(for: Pending.self, number: 99) != nil else { return log.append("cleared") }
        }
        timers.advance(by: 0)
        cache.shutdown()
        timers.advance(by: 0)
        XCTAssertEqual(log.last, "cleared")
        XCTAssertFalse(tasks.isPending("orphan"))
    }
}
