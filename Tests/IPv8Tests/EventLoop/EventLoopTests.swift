import Foundation
import XCTest
@testable import IPv8

/// A mutable box for test state that loop callbacks and other threads share. Access is ordered by the
/// loop (execute / stop) or guarded by the lock.
final class SharedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
    func mutate(_ body: (inout T) -> Void) { lock.withLock { body(&_value) } }
}

final class EventLoopTests: XCTestCase {
    func testExecuteFromFourThreadsRunsEachClosureOnceInPerThreadOrderOnTheLoopThread() throws {
        let loop = try EventLoop()
        try loop.start()
        let perThread = 5_000
        let records = SharedBox<[(thread: Int, seq: Int, onLoop: Bool)]>([])
        let group = DispatchGroup()
        for t in 0..<4 {
            group.enter()
            let thread = Thread {
                for i in 0..<perThread {
                    loop.execute { records.mutate { $0.append((t, i, loop.inEventLoop)) } }
                }
                group.leave()
            }
            thread.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        loop.stop()   // runs the queue before closing, then joins the loop thread
        XCTAssertTrue(loop.isClosed)

        let all = records.value
        XCTAssertEqual(all.count, 4 * perThread)
        XCTAssertTrue(all.allSatisfy { $0.onLoop }, "a closure ran off the loop thread")
        for t in 0..<4 {
            let seqs = all.filter { $0.thread == t }.map(\.seq)
            XCTAssertEqual(seqs, Array(0..<perThread), "thread \(t): closures lost, doubled or out of order")
        }
        XCTAssertFalse(loop.execute {}, "execute after stop must refuse the closure")
    }

    func testExecuteOnCallerDrivenLoopRunsDuringRunOnce() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ran = SharedBox(false)
        let thread = Thread { loop.execute { ran.value = true } }
        thread.start()
        XCTAssertTrue(loop.run(until: { ran.value }, timeout: .seconds(5)))
    }

    func testTimersFireInDeadlineOrderAndCancelledTimersNeverFire() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var fired: [Int] = []
        for ms in [50, 10, 30, 20] {
            loop.scheduleTimer(after: .milliseconds(ms)) { fired.append(ms) }
        }
        let cancelled = loop.scheduleTimer(after: .milliseconds(40)) { fired.append(40) }
        let cancelledEarly = loop.scheduleTimer(after: .milliseconds(1)) { fired.append(1) }
        cancelledEarly.cancel()
        cancelled.cancel()
        XCTAssertFalse(cancelled.isScheduled)
        XCTAssertTrue(loop.run(until: { fired.count == 4 }, timeout: .seconds(5)))
        // Give the cancelled 40 ms timer's deadline time to pass: it must still not fire.
        let late = loop.scheduleTimer(after: .milliseconds(60)) { fired.append(60) }
        XCTAssertTrue(loop.run(until: { !late.isScheduled }, timeout: .seconds(5)))
        XCTAssertEqual(fired, [10, 20, 30, 50, 60])
    }

    func testRepeatingTimerRepeatsUntilCancelled() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        var count = 0
        var timer: LoopTimer?
        timer = loop.scheduleTimer(after: .milliseconds(1), repeating: .milliseconds(2)) {
            count += 1
            if count == 5 { timer?.cancel() }
        }
        XCTAssertTrue(loop.run(until: { count == 5 }, timeout: .seconds(5)))
        let check = loop.scheduleTimer(after: .milliseconds(20)) {}
        loop.run(until: { !check.isScheduled }, timeout: .seconds(5))
        XCTAssertEqual(count, 5)
        XCTAssertEqual(timer?.isScheduled, false)
    }

    func testStopTwiceAndFromAnotherThreadIsHarmless() throws {
        let loop = try EventLoop()
        try loop.start()
        let a = Thread { loop.stop() }
        a.start()
        loop.stop()
        loop.stop()
        XCTAssertTrue(loop.isClosed)

        let driven = try EventLoop()
        _ = driven.scheduleTimer(after: .seconds(60)) {}
        driven.runOnce(timeout: .zero)
        driven.stop()
        driven.stop()
        XCTAssertTrue(driven.isClosed)
        XCTAssertFalse(driven.runOnce(timeout: .zero))
    }

    func testStopInsideACallbackFinishesTheLoop() throws {
        let loop = try EventLoop()
        loop.scheduleTimer(after: .milliseconds(1)) { loop.stop() }
        XCTAssertTrue(loop.run(until: { loop.isClosed }, timeout: .seconds(5)))
    }

    func testStopOfAThreadedLoopFromInsideACallback() throws {
        let loop = try EventLoop()
        try loop.start()
        loop.execute { loop.stop() }
        loop.join()
        XCTAssertTrue(loop.isClosed)
    }
}
