import IPv8
import Synchronization

/// The REST handlers' way to the node: each read or change runs on the node's loop thread (where its state
/// lives) and hands back a `Sendable` result, so HTTP threads never touch loop-confined state.
struct NodeAccess: Sendable {
    let service: LoopBound<IPv8Service>

    /// Runs `body` with the service on its loop thread and returns what it returned (or threw).
    /// - Throws: ``RESTError/nodeStopped`` when the loop no longer runs work.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable (IPv8Service) throws -> T) async throws -> T {
        let service = self.service
        return try await withCheckedThrowingContinuation { continuation in
            let queued = service.loop.execute {
                continuation.resume(with: Result { try body(service.value) })
            }
            if !queued { continuation.resume(throwing: RESTError.nodeStopped) }
        }
    }

    /// Starts an operation that answers later (the DHT's callbacks): `start` runs with the service on its
    /// loop thread and calls its reply once, then or later (from the loop thread, where the operation's
    /// completion runs). Waits at most `deadline` for the reply; a reply after it is ignored, and the
    /// operation itself is not stopped (it ends by its own timeouts).
    /// - Throws: what `start` threw or replied; ``RESTError/timedOut(_:)`` past the deadline;
    ///   ``RESTError/nodeStopped`` when the loop no longer runs work; `CancellationError` when the request's
    ///   task is cancelled.
    func onLoop<T: Sendable>(deadline: Duration,
                             _ start: @escaping @Sendable (IPv8Service, Reply<T>) throws -> Void) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await waitForReply(start) }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw RESTError.timedOut(deadline)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func waitForReply<T: Sendable>(_ start: @escaping @Sendable (IPv8Service, Reply<T>) throws -> Void) async throws -> T {
        let service = self.service
        let reply = Reply<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                reply.attach(continuation)
                let queued = service.loop.execute {
                    do { try start(service.value, reply) } catch { reply(.failure(error)) }
                }
                if !queued { reply(.failure(RESTError.nodeStopped)) }
            }
        } onCancel: {
            reply(.failure(CancellationError()))
        }
    }

    /// The one answer of an operation started by ``NodeAccess/onLoop(deadline:_:)``: the first call wins,
    /// later ones (a completion after the deadline, a cancellation after the answer) do nothing.
    final class Reply<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            /// An answer that came before the continuation was attached.
            var early: Result<T, any Error>?
            var answered = false
        }
        private let state = Mutex(State())

        fileprivate init() {}

        fileprivate func attach(_ continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = state.withLock { state in
                guard let early = state.early else {
                    state.continuation = continuation
                    return nil
                }
                state.early = nil
                return early
            }
            if let early { continuation.resume(with: early) }
        }

        /// Answers with `result`, unless an answer was given already.
        func callAsFunction(_ result: Result<T, any Error>) {
            let continuation: CheckedContinuation<T, any Error>? = state.withLock { state in
                guard !state.answered else { return nil }
                state.answered = true
                guard let continuation = state.continuation else {
                    state.early = result
                    return nil
                }
                state.continuation = nil
                return continuation
            }
            continuation?.resume(with: result)
        }
    }
}
