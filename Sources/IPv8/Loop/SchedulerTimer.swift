import IPv8Core

/// Drives a ``StrategyScheduler`` from one libuv timer: each firing calls ``StrategyScheduler/tick()``
/// and re-arms the same `uv_timer_t` with the delay the tick returned, so a change in the number of
/// eligible strategies changes the pace without allocating a new timer.
///
/// Loop-confined: start and stop it on the loop thread.
public final class SchedulerTimer {
    /// The scheduler it ticks.
    public let scheduler: StrategyScheduler
    private let loop: EventLoop
    private var timer: LoopTimer?

    /// A driver for `scheduler` on `loop`; it does nothing until ``start()``.
    public init(scheduler: StrategyScheduler, loop: EventLoop) {
        self.scheduler = scheduler
        self.loop = loop
    }

    /// Starts ticking, the first tick one ``StrategyScheduler/tickPeriod`` from now. Idempotent.
    public func start() {
        guard timer == nil else { return }
        let timer = loop.makeTimer { [weak self] in self?.fire() }
        self.timer = timer
        timer.rearm(after: scheduler.tickPeriod)
    }

    /// Stops ticking (the strategies stay scheduled). Idempotent.
    public func stop() {
        timer?.cancel()
        timer = nil
    }

    /// Whether it is ticking.
    public var isRunning: Bool { timer != nil }

    private func fire() {
        let delay = scheduler.tick()
        timer?.rearm(after: delay)
    }
}
