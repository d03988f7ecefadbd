import CLibUV

/// A one-shot or repeating timer on an `EventLoop` (one `uv_timer_t`).
///
/// Created with ``EventLoop/scheduleTimer(after:repeating:_:)``. Its callback runs on the loop thread.
/// Timers due at the same time fire in the order they were scheduled; timers fire in deadline order.
/// The loop keeps the timer alive while it is scheduled, so the caller need not hold it unless it wants
/// to cancel it. A timer is loop-confined: create and cancel it on the loop thread.
public final class LoopTimer: LoopResource {
    private let loop: EventLoop
    private var handle: UnsafeMutablePointer<uv_timer_t>?
    private var callback: (() -> Void)?
    private let repeats: Bool

    fileprivate init(loop: EventLoop, after delay: Duration, repeating interval: Duration?,
                     callback: @escaping () -> Void) {
        self.loop = loop
        self.callback = callback
        self.repeats = interval != nil
        let handle = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        self.handle = handle
        uv_timer_init(loop.uvLoop, handle)
        uv_handle_set_data(cuv_timer_as_handle(handle), Unmanaged.passUnretained(self).toOpaque())
        loop.register(self)
        uv_timer_start(handle, loopTimerOnFire, Self.milliseconds(delay), interval.map(Self.milliseconds) ?? 0)
    }

    /// True until the timer has fired (one-shot) or was cancelled.
    public var isScheduled: Bool { handle != nil }

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
        if !repeats { close() }
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
}

nonisolated func loopTimerOnFire(_ handle: UnsafeMutablePointer<uv_timer_t>?) {
    guard let data = uv_handle_get_data(cuv_timer_as_handle(handle)) else { return }
    Unmanaged<LoopTimer>.fromOpaque(data).takeUnretainedValue().fire()
}

nonisolated func loopTimerOnClose(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    UnsafeMutableRawPointer(handle)?.deallocate()
}
