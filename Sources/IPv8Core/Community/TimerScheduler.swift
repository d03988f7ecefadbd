/// Where protocol logic asks for timers, so that the same code runs on a libuv loop and under simulated
/// time.
///
/// The libuv `EventLoop` implements it with its own loop timers; the test kit's simulated network and
/// `ManualTimerScheduler` fire timers as their manual clock passes them. Callbacks run on the loop thread
/// (or the thread driving the simulation). Timers due at the same time fire in the order they were
/// scheduled.
public protocol TimerScheduler: AnyObject {
    /// Runs `callback` after `delay`, and then every `interval` when one is given, until cancelled.
    @discardableResult
    func schedule(after delay: Duration, repeating interval: Duration?,
                  _ callback: @escaping () -> Void) -> any ScheduledTimer
}

extension TimerScheduler {
    /// Runs `callback` once, after `delay`.
    @discardableResult
    public func schedule(after delay: Duration, _ callback: @escaping () -> Void) -> any ScheduledTimer {
        schedule(after: delay, repeating: nil, callback)
    }
}

/// A timer handed out by a ``TimerScheduler``.
public protocol ScheduledTimer: AnyObject {
    /// True until the timer has fired (one-shot) or was cancelled.
    var isScheduled: Bool { get }
    /// Stops the timer; its callback will not run again. Idempotent.
    func cancel()
}
