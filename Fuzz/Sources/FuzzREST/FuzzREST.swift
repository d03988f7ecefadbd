import Foundation
import FuzzKit
import HTTPTypes
import Hummingbird
import IPv8
import IPv8REST
import IPv8Testing
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

// The REST API, every route: an input is a request as text — `METHOD URI`, header lines, an empty line, the
// body — that goes through the API's router (API key, JSON errors, routes) against three loopback nodes
// that know each other in a DHT (DHTDiscoveryCommunity, so that the /dht routes reach their parsers and
// operations), the nodes' loop driven on this thread until the answer is in. Any status but 500 is fine,
// and every JSON answer parses; a 500 (an error no route expected; a DHT operation's failure, code
// "DHTError", is py-ipv8's 500 and expected), a throw past the error middleware, no answer within 10 s, or
// a loop that stops running work, is a finding. The nodes send to loopback only, whatever address a
// request names.

/// One request, read from a fuzz input; nil when the method or the URI cannot be an HTTP request's.
func request(from input: [UInt8]) -> Request? {
    let newline = UInt8(ascii: "\n")
    let split = input.indices.dropLast().first { input[$0] == newline && input[$0 + 1] == newline }
    let head = String(decoding: input[..<(split ?? input.endIndex)], as: UTF8.self)
    let body = split.map { ByteBuffer(bytes: input[($0 + 2)...]) } ?? ByteBuffer()
    let headLines = head.split(separator: "\n", omittingEmptySubsequences: false)
    let requestLine = headLines[0].split(separator: " ", maxSplits: 1)
    guard requestLine.count == 2, let method = HTTPRequest.Method(String(requestLine[0])) else { return nil }
    let uri = String(requestLine[1])
    guard uri.hasPrefix("/") else { return nil }
    var headers = HTTPFields()
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":"),
              let name = HTTPField.Name(String(line[..<colon])) else { continue }
        headers.append(HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
    headers[.contentLength] = String(body.readableBytes)
    return Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
                   body: RequestBody(buffer: body))
}

/// A response body, collected.
final class CollectingWriter: ResponseBodyWriter, Sendable {
    let bytes = Mutex<[UInt8]>([])
    func write(_ buffer: ByteBuffer) async throws { bytes.withLock { $0 += Array(buffer.readableBytesView) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// What came back for one request.
struct Answer: Sendable {
    var status: HTTPResponse.Status
    var contentType: String?
    var body: [UInt8]
}

/// Three loopback DHT nodes (node 0 serves the API with key "fuzz") and the API's router.
final class Harness {
    let swarm: LoopbackSwarm<DHTDiscoveryCommunity>
    let responder: RouterResponder<BasicRequestContext>
    let channel = EmbeddedChannel()
    let logger = Logger(label: "fuzz.rest", factory: { _ in SwiftLogNoOpLogHandler() })

    init() throws {
        // Short DHT timeouts: a fuzzer's lookups soon exceed the nodes' 10 queries in 5 s and are dropped, so
        // requests time out; with these a store or connect still answers well within the 10 s per input.
        var settings = DHTCommunity.Settings()
        settings.findTimeout = .milliseconds(300)
        settings.requestTimeout = .milliseconds(500)
        swarm = try LoopbackSwarm(count: 3, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                  randomWalkTarget: 20) { try DHTDiscoveryCommunity(context: $0, settings: settings) }
        swarm.start()
        let nodes = swarm.nodes
        guard swarm.run(until: { nodes[0].community.routingTables[.ipv4]?.count == 2 }, timeout: .seconds(10)) else {
            fatalError("fuzz harness: the loopback nodes did not find each other")
        }
        let server = IPv8RESTServer(service: nodes[0].service,
                                    settings: RESTSettings(port: 0, apiKey: "fuzz", dhtTimeout: .seconds(5)),
                                    metrics: { Array("# TYPE up gauge\nup 1\n".utf8) })
        responder = server.makeRouter().buildResponder()
    }

    /// Runs `request` through the router, driving the loop until the answer is in.
    func answer(_ request: Request) -> Answer {
        let outcome = Mutex<Result<Answer, any Error>?>(nil)
        let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
        let responder = self.responder, loop = swarm.loop
        Task {
            let result: Result<Answer, any Error>
            do {
                let response = try await responder.respond(to: request, context: context)
                let writer = CollectingWriter()
                try await response.body.write(writer)
                result = .success(Answer(status: response.status, contentType: response.headers[.contentType],
                                         body: writer.bytes.withLock { $0 }))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            _ = loop.execute {}   // wakes the loop, which may be waiting for its next timer
        }
        guard swarm.run(until: { outcome.withLock { $0 != nil } }, timeout: .seconds(10)) else {
            fatalError("no answer within 10 s to \(request.method) \(request.uri)")
        }
        switch outcome.withLock({ $0! }) {
        case .success(let answer): return answer
        case .failure(let error): fatalError("\(request.method) \(request.uri) threw past the error middleware: \(error)")
        }
    }
}

nonisolated(unsafe) var harness: Harness?

let fuzzREST: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    if harness == nil { harness = try! Harness() }
    guard let harness, let data, let request = request(from: Array(UnsafeBufferPointer(start: data, count: size))) else {
        return 0
    }
    let answer = harness.answer(request)
    if answer.status == .internalServerError,
       !String(decoding: answer.body, as: UTF8.self).hasPrefix(#"{"success":false,"error":{"code":"DHTError","#) {
        fatalError("500 for \(request.method) \(request.uri): \(String(decoding: answer.body, as: UTF8.self))")
    }
    if answer.contentType?.hasPrefix("application/json") == true,
       (try? JSONSerialization.jsonObject(with: Data(answer.body), options: [.fragmentsAllowed])) == nil {
        fatalError("\(request.method) \(request.uri) answered JSON that does not parse: \(String(decoding: answer.body, as: UTF8.self))")
    }
    return 0
}

exit(runFuzzer(fuzzREST))
