import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IPv8
import IPv8REST
import Synchronization
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
        var text = "http://127.0.0.1:\(port)\(path)"
        if let apiKey, keyInQuery { text += (path.contains("?") ? "&" : "?") + "apikey=\(apiKey)" }
        var request = URLRequest(url: URL(string: text)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let apiKey, !keyInQuery { request.setValue(apiKey, forHTTPHeaderField: "X-Api-Key") }
        let outcome = Mutex<Result<Reply, Failed>?>(nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            let result: Result<Reply, Failed>
            if let http = response as? HTTPURLResponse {
                result = .success(Reply(status: http.statusCode, body: data ?? Data()))
            } else {
                result = .failure(Failed(description: "\(method) \(path): \(error.map { "\($0)" } ?? "no response")"))
            }
            outcome.withLock { $0 = result }
        }.resume()
        guard loop.run(until: { outcome.withLock { $0 != nil } }, timeout: timeout) else {
            throw Failed(description: "\(method) \(path): no answer within \(timeout)")
        }
        return try outcome.withLock { $0! }.get()
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
