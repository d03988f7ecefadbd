import ArgumentParser
import Dispatch
import IPv8
import IPv8REST
import Logging
import Synchronization

/// The REST API of `ipv8-node run`: started before the node's loop runs, listening once `init` returns
/// (it prints `rest on IP:PORT`), stopped by ``stop()``.
final class RESTProcess {
    private let task: Task<Void, Never>
    private let ended = DispatchSemaphore(value: 0)

    /// Starts serving `service` as `settings` say and waits (driving the node's loop) until it listens.
    /// - Throws: a clean exit naming the address when it cannot listen.
    init(service: IPv8Service, settings: Configuration.REST, logger: Logger) throws {
        let server = IPv8RESTServer(service: service,
                                    settings: RESTSettings(host: settings.ip, port: settings.port, apiKey: settings.apiKey),
                                    logger: logger)
        let failure = Mutex<String?>(nil)
        let ended = self.ended
        task = Task {
            defer { ended.signal() }
            do { try await server.run() } catch { failure.withLock { $0 = "\(error)" } }
        }
        let listening = service.loop.run(until: { server.port != nil || failure.withLock { $0 != nil } },
                                         timeout: .seconds(10))
        guard listening, let port = server.port else {
            stop()
            let reason = failure.withLock { $0 } ?? "not listening after 10 s"
            throw CleanExit.failure("--rest-port: cannot serve on \(settings.ip):\(settings.port): \(reason)")
        }
        print("rest on \(settings.ip.contains(":") ? "[\(settings.ip)]" : settings.ip):\(port)")
    }

    func stop() {
        task.cancel()
        _ = ended.wait(timeout: .now() + 10)
    }
}
