import IPv8Core

/// Timers on a `ManualClock` (the test kit's shell for protocol timers): nothing fires until
/// ``advance(by:)`` or ``fireDue()``; timers fire in due order, and in the order they were scheduled
/// when due at the same time. A callback may schedule and cancel timers.
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
    private var pending: [Timer] = []
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
        pending.append(timer)
        return timer
    }

    /// The number of timers that will still fire.
    public var scheduledCount: Int { pending.reduce(0) { $0 + ($1.isScheduled ? 1 : 0) } }

    /// When the next live timer is due; `nil` when none is.
    public var nextDue: Double? {
        pending.lazy.filter(\.isScheduled).map(\.due).min()
    }

    /// Fires every timer due at or before the clock's time, in due order (a repeating timer as often as it
    /// fell due). - Returns: the number of callbacks run.
    @discardableResult
    public func fireDue() -> Int {
        var fired = 0
        while let timer = earliestDue() {
            let callback = timer.callback!
            if let interval = timer.interval {
                timer.due += interval
            } else {
                timer.callback = nil
            }
            callback()
            fired += 1
        }
        pending.removeAll { !$0.isScheduled }
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

    private func earliestDue() -> Timer? {
        var best: Timer?
        for timer in pending where timer.isScheduled && timer.due <= clock.now {
            if let b = best, (b.due, b.sequence) <= (timer.due, timer.sequence) { continue }
            best = timer
        }
        return best
    }
}
