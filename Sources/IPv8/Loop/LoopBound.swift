/// A loop-confined value that may be carried across threads but read only on its loop's thread (like
/// swift-nio's `NIOLoopBound`): the one sanctioned way to hold a `Community`, `Network` or `Peer` in a
/// `Sendable` type.
///
/// Both the initialiser and ``value`` trap off the loop thread, so the compiler's `Sendable` checking is
/// replaced by a check at every access instead of by a comment.
public struct LoopBound<Value>: @unchecked Sendable {
    // @unchecked Sendable: `storage` is reachable only through `value`, which checks the thread.
    /// The loop whose thread may read the value.
    public let loop: EventLoop
    private let storage: Value

    /// Binds `value` to `loop`. Call it on `loop`'s thread (or before the loop first runs).
    public init(_ value: Value, loop: EventLoop) {
        precondition(loop.inEventLoop, "LoopBound created off its loop's thread")
        self.loop = loop
        self.storage = value
    }

    /// The value. Traps off `loop`'s thread.
    public var value: Value {
        precondition(loop.inEventLoop, "LoopBound value read off its loop's thread")
        return storage
    }
}
