import IPv8
import ServiceLifecycle

/// A node as a swift-service-lifecycle `Service`, so that a Swift host (a web app, say) runs it in its
/// `ServiceGroup` beside its own services and stops it gracefully with them.
///
/// ``run()`` runs the node's loop on a thread of its own, starts the service, and waits; on graceful shutdown
/// (or cancellation) it stops the service (strategies, overlays, socket) and closes the loop, then returns.
/// A node service runs once.
public final class IPv8NodeService: Service, Sendable {
    /// The node's loop, on its own thread while ``run()`` runs.
    public let loop: EventLoop
    private let service: LoopBound<IPv8Service>

    /// Wraps `service`. Call it before `service.loop` first runs (set-up) or on its loop thread; the loop
    /// must not be running already.
    public init(_ service: IPv8Service) {
        self.loop = service.loop
        self.service = LoopBound(service, loop: service.loop)
    }

    /// Runs the node until graceful shutdown or cancellation.
    /// - Throws: when the loop cannot be started (it ran before, or its thread cannot be created).
    public func run() async throws {
        try loop.start()
        let service = self.service
        loop.execute { service.value.start() }
        try? await gracefulShutdown()   // returns on shutdown; throws (ignored) on cancellation
        loop.execute { service.value.stop() }
        loop.stop()   // waits for the loop thread to finish closing the socket and timers
    }

    /// Runs `body` with the service on its loop thread and returns its result.
    /// - Throws: what `body` throws, or ``IPv8NodeServiceError/notRunning`` when the loop takes no work.
    public func withService<T: Sendable>(_ body: @escaping @Sendable (IPv8Service) throws -> T) async throws -> T {
        let service = self.service
        return try await withCheckedThrowingContinuation { continuation in
            let queued = service.loop.execute { continuation.resume(with: Result { try body(service.value) }) }
            if !queued { continuation.resume(throwing: IPv8NodeServiceError.notRunning) }
        }
    }
}

/// Why ``IPv8NodeService/withService(_:)`` could not run its work.
public enum IPv8NodeServiceError: Error, Sendable {
    /// The node's loop has stopped.
    case notRunning
}
