import IPv8Core

/// The time of an ``EventLoop`` (libuv's monotonic high-resolution clock).
public final class LoopClock: EngineClock, @unchecked Sendable {
    // @unchecked Sendable: the only stored property is the (Sendable) loop.
    private let loop: EventLoop

    /// A clock reading `loop`'s time.
    public init(loop: EventLoop) {
        self.loop = loop
    }

    public var now: Double { loop.now }
}
