import IPv8Core

extension EventLoop: LoopJobQueue {
    /// Runs `work` on the loop thread (``execute(_:)``); the executor of async task bodies. Work queued
    /// while the loop is stopping is dropped, as with `execute`.
    public func enqueueJob(_ work: @escaping @Sendable () -> Void) {
        execute(work)
    }
}
