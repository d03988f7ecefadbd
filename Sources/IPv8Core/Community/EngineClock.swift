/// Where protocol logic reads the time: seconds as a `Double`, monotonic for a given clock.
///
/// Not named `Clock`, so that it does not shadow the standard library's `Clock` protocol for code that
/// imports this module.
public protocol EngineClock: AnyObject {
    /// The current time in seconds.
    var now: Double { get }
}

/// A clock that moves only when told to: for deterministic tests and simulations.
public final class ManualClock: EngineClock {
    /// The current time in seconds.
    public var now: Double

    /// A clock starting at `start` seconds.
    public init(start: Double = 0) {
        now = start
    }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: Double) {
        now += seconds
    }
}
