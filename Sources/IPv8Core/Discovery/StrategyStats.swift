/// What the ``StrategyScheduler`` did with one strategy.
public struct StrategyStats: Sendable, Equatable {
    /// Steps run (including those that threw).
    public var stepsTaken = 0
    /// Times the strategy's turn came while it was not eligible (at its target, or a target of 0 or
    /// below other than −1).
    public var skipped = 0
    /// Steps that threw.
    public var failures = 0
    /// Steps that took longer than their slot (the tick period).
    public var overruns = 0

    /// Stats that are all zero.
    public init() {}
}
