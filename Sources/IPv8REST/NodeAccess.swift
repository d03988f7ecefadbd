import IPv8

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
}
