import HeapModule
import IPv8Core

/// Timers on a `ManualClock` (the test kit's shell for protocol timers): nothing fires until
/// ``advance(by:)`` or ``fireDue()``; timers fire in due order, and in the order they were scheduled
/// when due at the same time. A callback may schedule and cancel timers.
///
/// Cost: the timers wait in a heap ordered by due time, so scheduling and firing one cost O(log n) and
/// ``nextDue`` O(1) (amortised), with n the timers waiting: a simulated network of hundreds of nodes keeps
/// thousands (a scan per fired timer made its tests quadratic). A cancelled timer leaves the heap when it comes
/// to the top, or sooner when the heap has doubled since it last dropped its cancelled timers.
///
/// Not thread-safe: drive it from one thread, like an event loop.
public final class ManualTimerScheduler: TimerScheduler {
    /// A timer of this scheduler.
    public final class Timer: ScheduledTimer {
        fileprivate var due: Double
        fileprivate let sequence: UInt64
        fileprivate let interval: Double?
        fileprivate var callback: (() -> Void)?

        fileprivate init(due: Double, sequence: UInt64, interval: Double?, callback: @escaping () -> Void) {
            self.due = due
            self.sequence = sequence
            self.interval = interval
            self.callback = callback
        }

        public var isScheduled: Bool { callback != nil }

        public func cancel() { callback = nil }
    }

    /// The time the timers are due on.
    public let clock: ManualClock
    /// The waiting timers (and cancelled ones not yet dropped), earliest (due, sequence) first.
    private var waiting = Heap<Waiting>()
    /// ``waiting``'s size after it last dropped its cancelled timers (at least 64): it drops them again at twice that.
    private var compactAt = 64
    private var nextSequence: UInt64 = 0

    /// Timers on `clock` (a fresh clock at 0 by default).
    public init(clock: ManualClock = ManualClock()) {
        self.clock = clock
    }

    @discardableResult
    public func schedule(after delay: Duration, repeating interval: Duration?,
                         _ callback: @escaping () -> Void) -> any ScheduledTimer {
        let timer = Timer(due: clock.now + max(0, delay.seconds), sequence: nextSequence,
                          interval: interval.map { max($0.seconds, 1e-9) }, callback: callback)
        nextSequence += 1
        enqueue(timer)
        return timer
    }

    /// The timers in the heap, cancelled ones not yet dropped included (for tests of the bound).
    package var queuedCount: Int { waiting.count }

    /// The number of timers that will still fire. O(n).
    public var scheduledCount: Int { waiting.unordered.reduce(0) { $0 + ($1.timer.isScheduled ? 1 : 0) } }

    /// When the next live timer is due; `nil` when none is.
    public var nextDue: Double? {
        dropCancelledAtTop()
        return waiting.min?.due
    }

    /// Fires every timer due at or before the clock's time, in due order (a repeating timer as often as it
    /// fell due). - Returns: the number of callbacks run.
    @discardableResult
    public func fireDue() -> Int {
        var fired = 0
        while let next = nextDue, next <= clock.now {
            let timer = waiting.removeMin().timer
            let callback = timer.callback!
            if let interval = timer.interval {
                timer.due += interval
                enqueue(timer)
            } else {
                timer.callback = nil
            }
            callback()
            fired += 1
        }
        return fired
    }

    /// Moves the clock forward by `seconds`, firing each timer at its due time on the way.
    public func advance(by seconds: Double) {
        precondition(seconds >= 0, "cannot go back in time")
        let target = clock.now + seconds
        while let due = nextDue, due <= target {
            if due > clock.now { clock.now = due }
            fireDue()
        }
        clock.now = target
    }

    private func enqueue(_ timer: Timer) {
        waiting.insert(Waiting(due: timer.due, sequence: timer.sequence, timer: timer))
        if waiting.count >= 2 * compactAt {
            waiting.removeAll { !$0.timer.isScheduled }
            compactAt = max(64, waiting.count)
        }
    }

    private func dropCancelledAtTop() {
        while let first = waiting.min, !first.timer.isScheduled { _ = waiting.removeMin() }
    }

    /// A timer in the heap with the due time it was queued for (a repeating timer is queued again for each turn).
    private struct Waiting: Comparable {
        let due: Double
        let sequence: UInt64
        let timer: Timer

        static func < (lhs: Waiting, rhs: Waiting) -> Bool {
            (lhs.due, lhs.sequence) < (rhs.due, rhs.sequence)
        }

        static func == (lhs: Waiting, rhs: Waiting) -> Bool {
            lhs.due == rhs.due && lhs.sequence == rhs.sequence
        }
    }
}
