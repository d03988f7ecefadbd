import Logging

/// Steps discovery strategies, one per tick, spread evenly over the walk interval.
///
/// One repeating ``LoopTimer`` drives it. Each tick takes the next strategy in round-robin order that is
/// *eligible* — its target is −1 ("always"), or its overlay has fewer peers than its positive target; a
/// target of 0 or any other negative value means never — and runs one ``DiscoveryStrategy/takeStep()``.
/// The tick period is `walkInterval / eligibleCount`, so each eligible strategy gets one step per walk
/// interval and no two steps burst onto the socket at once; the timer is re-armed whenever the number of
/// eligible strategies changes. A strategy at its target is skipped and resumes when its count dips. A step
/// that throws is logged and counted, and the schedule goes on; a step that takes longer than the tick
/// period is counted as an overrun.
///
/// Differs from py-ipv8 on purpose: py-ipv8 runs every strategy back to back and then sleeps the whole
/// interval (its smoothing is a floor division that is 0 with the defaults, spec §1.2).
///
/// Loop-confined: add, remove, start, stop and tick on the loop thread. ``tick()`` is public so that a
/// simulation with manual time can drive the scheduler without a timer.
public final class StrategyScheduler {
    final class Entry {
        let strategy: DiscoveryStrategy
        let targetPeers: Int
        var stats = StrategyStats()
        init(_ strategy: DiscoveryStrategy, _ targetPeers: Int) {
            self.strategy = strategy
            self.targetPeers = targetPeers
        }
    }

    /// Seconds in which every eligible strategy gets one step (py-ipv8's `walker_interval`, 0.5 by default).
    public let walkInterval: Double
    private let clock: any EngineClock
    private let logger: Logger
    private var entries: [Entry] = []
    private var cursor = 0
    private var loop: EventLoop?
    private var timer: LoopTimer?
    private var armedPeriod = 0.0

    /// Ticks so far.
    public private(set) var ticks = 0
    /// Steps (of any strategy) that took longer than their slot.
    public private(set) var overruns = 0

    /// A scheduler; it does nothing until ``start(on:)`` (or a caller's ``tick()``).
    public init(walkInterval: Double = 0.5, clock: any EngineClock, logger: Logger) {
        precondition(walkInterval > 0, "walkInterval must be positive")
        self.walkInterval = walkInterval
        self.clock = clock
        self.logger = logger
    }

    /// Whether a strategy with `targetPeers` runs when its overlay has `peerCount` peers.
    public static func isEligible(targetPeers: Int, peerCount: Int) -> Bool {
        targetPeers == -1 || (targetPeers > 0 && peerCount < targetPeers)
    }

    // MARK: Strategies

    /// Adds `strategy`, stepped while its overlay has fewer than `targetPeers` peers (−1: always; 0 or
    /// another negative: never). Adding a strategy that is already scheduled does nothing.
    public func addStrategy(_ strategy: DiscoveryStrategy, targetPeers: Int) {
        loop?.assertInEventLoop()
        guard !entries.contains(where: { $0.strategy === strategy }) else { return }
        entries.append(Entry(strategy, targetPeers))
        rearmIfNeeded()
    }

    /// Removes `strategy`. Its stats are forgotten.
    public func removeStrategy(_ strategy: DiscoveryStrategy) {
        remove { $0.strategy === strategy }
    }

    /// Removes every strategy of `overlay`.
    public func removeStrategies(of overlay: Community) {
        remove { $0.strategy.overlay === overlay }
    }

    /// The scheduled strategies, in round-robin order.
    public var strategies: [DiscoveryStrategy] { entries.map(\.strategy) }

    /// The target given for `strategy`; `nil` when it is not scheduled.
    public func targetPeers(of strategy: DiscoveryStrategy) -> Int? {
        entries.first { $0.strategy === strategy }?.targetPeers
    }

    /// What the scheduler did with `strategy`; `nil` when it is not scheduled.
    public func stats(for strategy: DiscoveryStrategy) -> StrategyStats? {
        entries.first { $0.strategy === strategy }?.stats
    }

    /// Steps run for `strategy` (0 when it is not scheduled).
    public func stepsTaken(by strategy: DiscoveryStrategy) -> Int {
        stats(for: strategy)?.stepsTaken ?? 0
    }

    /// The number of strategies eligible right now.
    public var eligibleCount: Int {
        entries.reduce(0) { $0 + (Self.isEligible(targetPeers: $1.targetPeers, peerCount: $1.strategy.peerCount) ? 1 : 0) }
    }

    /// The current tick period: `walkInterval / max(1, eligibleCount)` seconds.
    public var tickPeriod: Double { walkInterval / Double(max(1, eligibleCount)) }

    // MARK: Running

    /// Starts ticking on `loop` (on the loop thread). Idempotent.
    public func start(on loop: EventLoop) {
        guard self.loop == nil else { return }
        self.loop = loop
        arm(period: tickPeriod)
    }

    /// Stops ticking. The strategies stay.
    public func stop() {
        timer?.cancel()
        timer = nil
        loop = nil
    }

    /// Whether the timer is running.
    public var isRunning: Bool { timer != nil }

    /// Runs one step of the next eligible strategy (round-robin), if any. Called by the timer.
    public func tick() {
        loop?.assertInEventLoop()
        ticks += 1
        let count = entries.count
        var probes = 0
        while probes < count, !entries.isEmpty {
            probes += 1
            if cursor >= entries.count { cursor = 0 }
            let entry = entries[cursor]
            cursor += 1
            guard Self.isEligible(targetPeers: entry.targetPeers, peerCount: entry.strategy.peerCount) else {
                entry.stats.skipped += 1
                continue
            }
            run(entry)
            break
        }
        rearmIfNeeded()
    }

    private func run(_ entry: Entry) {
        let slot = tickPeriod
        let start = clock.now
        entry.stats.stepsTaken += 1
        do {
            try entry.strategy.takeStep()
        } catch {
            entry.stats.failures += 1
            logger.error("strategy \(type(of: entry.strategy)) failed a step: \(error)")
        }
        if clock.now - start > slot {
            entry.stats.overruns += 1
            overruns += 1
        }
    }

    private func remove(where predicate: (Entry) -> Bool) {
        loop?.assertInEventLoop()
        var index = 0
        while index < entries.count {
            if predicate(entries[index]) {
                entries.remove(at: index)
                if index < cursor { cursor -= 1 }
            } else {
                index += 1
            }
        }
        if cursor > entries.count { cursor = 0 }
        rearmIfNeeded()
    }

    private func rearmIfNeeded() {
        guard loop != nil else { return }
        let period = tickPeriod
        if period != armedPeriod { arm(period: period) }
    }

    private func arm(period: Double) {
        guard let loop else { return }
        timer?.cancel()
        armedPeriod = period
        let duration = Duration.nanoseconds(Int64(period * 1e9))
        timer = loop.scheduleTimer(after: duration, repeating: duration) { [weak self] in self?.tick() }
    }
}
