import IPv8Core
import IPv8Testing
import XCTest

/// The manual timers' promises: due order, schedule order among equal due times, repeating timers as often as
/// they fell due, cancellation from anywhere (a callback included), and cancelled timers not piling up.
final class ManualTimerSchedulerTests: XCTestCase {
    func testTimersFireInDueOrderThenInScheduleOrder() {
        let timers = ManualTimerScheduler()
        var fired: [String] = []
        timers.schedule(after: .seconds(2), repeating: nil) { fired.append("b@2") }
        timers.schedule(after: .seconds(1), repeating: nil) { fired.append("a@1") }
        timers.schedule(after: .seconds(2), repeating: nil) { fired.append("c@2") }
        timers.schedule(after: .milliseconds(1500), repeating: nil) {
            fired.append("d@1.5")
            // Due at once: fires in this same pass, after the timers due earlier than now.
            timers.schedule(after: .zero, repeating: nil) { fired.append("e@1.5") }
        }
        XCTAssertEqual(timers.nextDue, 1)
        timers.advance(by: 3)
        XCTAssertEqual(fired, ["a@1", "d@1.5", "e@1.5", "b@2", "c@2"])
        XCTAssertNil(timers.nextDue)
        XCTAssertEqual(timers.clock.now, 3)
    }

    func testFireDueRunsEveryOverdueTimerInDueOrderAndARepeatingOneAsOftenAsItFellDue() {
        let clock = ManualClock()
        let timers = ManualTimerScheduler(clock: clock)
        var fired: [String] = []
        timers.schedule(after: .seconds(1), repeating: .seconds(1)) { fired.append("r\(clock.now)") }
        timers.schedule(after: .milliseconds(2500), repeating: nil) { fired.append("once") }
        clock.now = 3.2
        XCTAssertEqual(timers.fireDue(), 4)
        // The repeating timer runs for its turns at 1, 2 and 3 (the clock already reads 3.2), the one-shot at 2.5.
        XCTAssertEqual(fired, ["r3.2", "r3.2", "once", "r3.2"])
        XCTAssertEqual(timers.nextDue, 4)
        XCTAssertEqual(timers.scheduledCount, 1)
    }

    func testACancelledTimerNeverFiresAlsoWhenACallbackCancelsIt() {
        let timers = ManualTimerScheduler()
        var fired: [String] = []
        var later: (any ScheduledTimer)?
        var repeating: (any ScheduledTimer)?
        let early = timers.schedule(after: .seconds(1), repeating: nil) { fired.append("early") }
        timers.schedule(after: .seconds(2), repeating: nil) {
            fired.append("canceller")
            later?.cancel()
        }
        later = timers.schedule(after: .seconds(2), repeating: nil) { fired.append("later") }
        repeating = timers.schedule(after: .seconds(1), repeating: .seconds(1)) {
            fired.append("tick")
            if fired.filter({ $0 == "tick" }).count == 3 { repeating?.cancel() }
        }
        early.cancel()
        XCTAssertFalse(early.isScheduled)
        timers.advance(by: 10)
        XCTAssertEqual(fired, ["tick", "canceller", "tick", "tick"])
        XCTAssertEqual(later?.isScheduled, false)
        XCTAssertEqual(timers.scheduledCount, 0)
        XCTAssertNil(timers.nextDue)
    }

    /// Timers cancelled long before they are due (a request cache's timeouts, answered at once) are dropped as the
    /// heap grows, so they cannot pile up.
    func testCancelledTimersDoNotPileUp() {
        let timers = ManualTimerScheduler()
        var live: [any ScheduledTimer] = []
        // Queued timers beyond twice the live ones (or 64), at its highest. "Live" counts one more: the timer just
        // scheduled is live when the heap drops its cancelled timers, and the loop cancels most right after.
        var worstExcess = Int.min
        for i in 0..<10_000 {
            let timer = timers.schedule(after: .seconds(60), repeating: nil) {}
            if i % 100 == 0 { live.append(timer) } else { timer.cancel() }
            worstExcess = max(worstExcess, timers.queuedCount - 2 * max(64, live.count + 1))
        }
        XCTAssertLessThanOrEqual(worstExcess, 0)
        XCTAssertEqual(timers.scheduledCount, 100)
        timers.advance(by: 61)
        XCTAssertEqual(timers.queuedCount, 0)
        XCTAssertTrue(live.allSatisfy { !$0.isScheduled })
    }
}
