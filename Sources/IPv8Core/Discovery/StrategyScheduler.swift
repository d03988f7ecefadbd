import Logging

/// Steps discovery strategies, one per tick, spread evenly over the walk interval.
///
/// Sans-IO, like swift-cluster-membership's `SWIM.Instance`: the scheduler owns no timer. A shell calls
/// ``tick()`` and re-arms its one timer with the delay that ``tick()`` returns (the libuv shell's
/// `SchedulerTimer`, the test kit's simulated network). Each tick takes the next strategy in round-robin
/// order that is *eligible* — its target is −1 ("always"), or its overlay has fewer peers than its positive
/// target; a target of 0 or any other negative value means never — and runs one
/// ``DiscoveryStrategy/takeStep()``. The delay is `walkInterval / eligibleCount`, so each eligible strategy
/// gets one step per walk interval and no two steps burst onto the socket at once. A strategy at its
/// target is skipped and resumes when its count dips. A step that throws is logged and counted, and the
/// schedule goes on; a step that takes longer than its slot is counted as an overrun.
///
/// Differs from py-ipv8 on purpose: py-ipv8 runs every strategy back to back and then sleeps the whole
/// interval (its smoothing is a floor division that is 0 with the defaults, spec §1.2).
///
/// Loop-confined: add, remove and tick on the loop thread.
public final class StrategyScheduler {
    /// How the scheduler paces its strategies.
    public struct Settings: Sendable, Equatable {
        /// Time in which every eligible strategy gets one step (py-ipv8's `walker_interval`). Default 0.5 s.
        /// Must be positive.
        public var walkInterval: Duration = .milliseconds(500) {
            didSet { precondition(walkInterval > .zero, "walkInterval must be positive") }
        }

        /// py-ipv8's defaults.
        public init() {}

        /// Settings with `walkInterval` (must be positive).
        public init(walkInterval: Duration) {
            precondition(walkInterval > .zero, "walkInterval must be positive")
            self.walkInterval = walkInterval
        }
    }

    final class Entry {
        let strategy: DiscoveryStrategy
        let targetPeers: Int
        var stats = StrategyStats()
        init(_ strategy: DiscoveryStrategy, _ targetPeers: Int) {
            self.strategy = strategy
            self.targetPeers = targetPeers
        }
    }

    /// The pacing.
    public let settings: Settings
    private let clock: any EngineClock
    private let logger: Logger
    private var entries: [Entry] = []
    private var cursor = 0

    /// Ticks so far.
    public private(set) var ticks = 0
    /// Steps (of any strategy) that took longer than their slot.
    public private(set) var overruns = 0

    /// A scheduler; it does nothing until a shell calls ``tick()``.
    public init(settings: Settings = Settings(), clock: any EngineClock, logger: Logger) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// The walk interval in seconds.
    public var walkInterval: Double { settings.walkInterval.seconds }

    /// Whether a strategy with `targetPeers` runs when its overlay has `peerCount` peers.
    public static func isEligible(targetPeers: Int, peerCount: Int) -> Bool {
        targetPeers == -1 || (targetPeers > 0 && peerCount < targetPeers)
    }

    // MARK: Strategies

    /// Adds `strategy`, stepped while its overlay has fewer than `targetPeers` peers (−1: always; 0 or
    /// another negative: never). Adding a strategy that is already scheduled does nothing.
    public func addStrategy(_ strategy: DiscoveryStrategy, targetPeers: Int) {
        guard !entries.contains(where: { $0.strategy === strategy }) else { return }
        entries.append(Entry(strategy, targetPeers))
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

    /// The delay between two ticks right now: `walkInterval / max(1, eligibleCount)`.
    public var tickPeriod: Duration { settings.walkInterval / max(1, eligibleCount) }

    // MARK: Ticking

    /// Runs one step of the next eligible strategy (round-robin), if any.
    /// - Returns: the delay until the next tick (``tickPeriod`` after the step): the shell re-arms its
    ///   timer with it.
    @discardableResult
    public func tick() -> Duration {
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
        return tickPeriod
    }

    private func run(_ entry: Entry) {
        let slot = tickPeriod.seconds
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
    }
}
