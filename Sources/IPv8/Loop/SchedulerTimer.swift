import IPv8Core

/// Drives a `StrategyScheduler` from one libuv timer: each firing calls `StrategyScheduler.tick()`
/// and re-arms the same `uv_timer_t` with the delay the tick returned, so a change in the number of
/// eligible strategies changes the pace without allocating a new timer.
///
/// Loop-confined: start and stop it on the loop thread.
public final class SchedulerTimer {
    /// The scheduler it ticks.
    public let scheduler: StrategyScheduler
    private let loop: EventLoop
    private var timer: LoopTimer?
    private var due: Double?
    /// How late each tick fired against when it was due (the loop's lag, py-ipv8's "drift").
    public private(set) var lag = LagHistogram()
    /// The last ticks' lateness with their times, while measured (``measureDrift(_:)``; py-ipv8's drift
    /// measurement, `GET /asyncio/drift`); nil while not.
    public private(set) var drift: DriftHistory?

    /// A driver for `scheduler` on `loop`; it does nothing until ``start()``.
    public init(scheduler: StrategyScheduler, loop: EventLoop) {
        self.scheduler = scheduler
        self.loop = loop
    }

    /// Starts ticking, the first tick at a random point within one `StrategyScheduler.tickPeriod` from now.
    /// Idempotent.
    ///
    /// The random phase spreads the ticks of many nodes started together (a swarm on one loop, a fleet
    /// restarted at once) over the period, instead of every node stepping in the same millisecond each
    /// period: 1,000 nodes walking to one bootstrap node at once overflow its socket's receive buffer (about
    /// 2,900 datagrams lost per run measured) and those walks are lost until a later step.
    public func start() {
        guard timer == nil else { return }
        let timer = loop.makeTimer { [weak self] in self?.fire() }
        self.timer = timer
        arm(timer, after: .seconds(scheduler.tickPeriod.seconds * Double.random(in: 0..<1)))
    }

    /// Starts (with an empty history) or stops measuring ``drift``. Starting while measuring keeps the
    /// history.
    public func measureDrift(_ enabled: Bool) {
        if !enabled {
            drift = nil
        } else if drift == nil {
            drift = DriftHistory()
        }
    }

    /// Forgets the lag samples (a status line shows each period's own).
    public func resetLag() { lag.reset() }

    private func arm(_ timer: LoopTimer, after delay: Duration) {
        due = loop.now + delay.seconds
        timer.rearm(after: delay)
    }

    /// Stops ticking (the strategies stay scheduled). Idempotent.
    public func stop() {
        timer?.cancel()
        timer = nil
    }

    /// Whether it is ticking.
    public var isRunning: Bool { timer != nil }

    private func fire() {
        if let due {
            let lateness = loop.now - due
            lag.record(lateness)
            if drift != nil { drift?.record(timestamp: UDPEndpoint.unixNow(), lateness: lateness) }
        }
        let delay = scheduler.tick()
        if let timer { arm(timer, after: delay) }
    }
}
