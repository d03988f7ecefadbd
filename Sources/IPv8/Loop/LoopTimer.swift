import CLibUV
import IPv8Core

/// A one-shot or repeating timer on an `EventLoop` (one `uv_timer_t`).
///
/// Created with ``EventLoop/scheduleTimer(after:repeating:_:)`` (one-shot or repeating) or
/// ``EventLoop/makeTimer(_:)`` (re-armed by hand with ``rearm(after:)``, one handle for its whole life).
/// Its callback runs on the loop thread.
/// Timers due at the same time fire in the order they were scheduled; timers fire in deadline order.
/// The loop keeps the timer alive while it is scheduled, so the caller need not hold it unless it wants
/// to cancel it. A timer is loop-confined: create and cancel it on the loop thread.
public final class LoopTimer: LoopResource, ScheduledTimer {
    private let loop: EventLoop
    private var handle: UnsafeMutablePointer<uv_timer_t>?
    private var callback: (() -> Void)?
    /// Whether the handle outlives a firing: repeating and re-armable timers keep it.
    private let keepsHandle: Bool
    private var armed: Bool

    fileprivate init(loop: EventLoop, after delay: Duration?, repeating interval: Duration?,
                     callback: @escaping () -> Void) {
        self.loop = loop
        self.callback = callback
        self.keepsHandle = interval != nil || delay == nil
        self.armed = delay != nil
        let handle = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        self.handle = handle
        uv_timer_init(loop.uvLoop, handle)
        uv_handle_set_data(cuv_timer_as_handle(handle), Unmanaged.passUnretained(self).toOpaque())
        loop.register(self)
        if let delay {
            uv_timer_start(handle, loopTimerOnFire, Self.milliseconds(delay), interval.map(Self.milliseconds) ?? 0)
        }
    }

    /// True while the timer will fire: until a one-shot timer fired or any timer was cancelled; a
    /// re-armable timer is scheduled between ``rearm(after:)`` and its firing.
    public var isScheduled: Bool { handle != nil && armed }

    /// Arms the timer to fire once after `delay`, replacing any pending firing, on the same libuv handle
    /// (nothing is allocated). Does nothing after ``cancel()``.
    public func rearm(after delay: Duration) {
        loop.assertInEventLoop()
        guard let handle else { return }
        armed = true
        uv_timer_start(handle, loopTimerOnFire, Self.milliseconds(delay), 0)
    }

    /// Stops the timer; its callback will not run again. Idempotent.
    public func cancel() {
        loop.assertInEventLoop()
        close()
    }

    func close() {
        guard let handle else { return }
        self.handle = nil
        callback = nil
        uv_timer_stop(handle)
        uv_handle_set_data(cuv_timer_as_handle(handle), nil)
        uv_close(cuv_timer_as_handle(handle), loopTimerOnClose)
        loop.unregister(self)
    }

    fileprivate func fire() {
        guard let callback else { return }
        if !keepsHandle { close() } else if let handle, uv_timer_get_repeat(handle) == 0 { armed = false }
        callback()
    }

    private static func milliseconds(_ d: Duration) -> UInt64 {
        d <= .zero ? 0 : UInt64((d / .milliseconds(1)).rounded(.up))
    }
}

extension EventLoop {
    /// Schedules `callback` on the loop thread after `delay`, and then every `interval` when one is given.
    /// Resolution is one millisecond. Must be called on the loop thread (or before the loop runs).
    @discardableResult
    public func scheduleTimer(after delay: Duration, repeating interval: Duration? = nil,
                              _ callback: @escaping () -> Void) -> LoopTimer {
        assertInEventLoop()
        return LoopTimer(loop: self, after: delay, repeating: interval, callback: callback)
    }

    /// A timer that does not run until ``LoopTimer/rearm(after:)`` and keeps its one libuv handle between
    /// firings, until cancelled: for a shell that re-arms one timer with the delay its protocol logic
    /// returns. Must be called on the loop thread (or before the loop runs).
    public func makeTimer(_ callback: @escaping () -> Void) -> LoopTimer {
        assertInEventLoop()
        return LoopTimer(loop: self, after: nil, repeating: nil, callback: callback)
    }
}

extension EventLoop: TimerScheduler {
    /// Protocol logic's timers, on this loop (``scheduleTimer(after:repeating:_:)``).
    @discardableResult
    public func schedule(after delay: Duration, repeating interval: Duration?,
                         _ callback: @escaping () -> Void) -> any ScheduledTimer {
        scheduleTimer(after: delay, repeating: interval, callback)
    }
}

nonisolated func loopTimerOnFire(_ handle: UnsafeMutablePointer<uv_timer_t>?) {
    guard let data = uv_handle_get_data(cuv_timer_as_handle(handle)) else { return }
    Unmanaged<LoopTimer>.fromOpaque(data).takeUnretainedValue().fire()
}

nonisolated func loopTimerOnClose(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    UnsafeMutableRawPointer(handle)?.deallocate()
}
