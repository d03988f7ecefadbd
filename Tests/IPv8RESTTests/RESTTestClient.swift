import Foundation
import IPv8
import IPv8REST
import IPv8TestSupport
import XCTest

/// An HTTP client for the REST tests that drives the node's loop while it waits (the server hands every
/// request to the loop, which the test thread runs), bounded by a deadline.
struct RESTTestClient {
    let loop: EventLoop
    let port: Int
    var apiKey: String?

    struct Reply {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object.
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    struct Failed: Error, CustomStringConvertible { var description: String }

    /// `method path` with `body` (raw text), the key as a header unless `keyInQuery`.
    func send(_ method: String, _ path: String, body: String? = nil, keyInQuery: Bool = false,
              timeout: Duration = .seconds(10)) throws -> Reply {
        var target = path
        if let apiKey, keyInQuery { target += (path.contains("?") ? "&" : "?") + "apikey=\(apiKey)" }
        let headers = apiKey.flatMap { keyInQuery ? nil : [("X-Api-Key", $0)] } ?? []
        let request = PendingHTTPRequest(method, port: port, path: target, headers: headers, body: body.map { Array($0.utf8) })
        guard loop.run(until: { request.result != nil }, timeout: timeout), let result = request.result else {
            throw Failed(description: "\(method) \(path): no answer within \(timeout)")
        }
        switch result {
        case .success(let reply): return Reply(status: reply.status, body: Data(reply.body))
        case .failure(let error): throw Failed(description: "\(method) \(path): \(error)")
        }
    }

    func get(_ path: String) throws -> Reply { try send("GET", path) }
}

/// One running REST server of a test, stopped (its task cancelled and awaited) by ``stop()``.
final class RunningRESTServer {
    let server: IPv8RESTServer
    private let task: Task<Void, Error>
    private let ended = DispatchSemaphore(value: 0)

    /// Starts `server` and drives `loop` until it listens.
    init(_ server: IPv8RESTServer, loop: EventLoop) throws {
        self.server = server
        let ended = self.ended
        task = Task {
            defer { ended.signal() }
            try await server.run()
        }
        guard loop.run(until: { server.port != nil }, timeout: .seconds(15)) else {
            stop()
            throw RESTTestClient.Failed(description: "the REST server did not start listening")
        }
    }

    var port: Int { server.port ?? 0 }

    func stop() {
        task.cancel()
        _ = ended.wait(timeout: .now() + 10)
    }
}
