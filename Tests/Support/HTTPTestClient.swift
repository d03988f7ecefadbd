import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One HTTP/1.1 request to a server on 127.0.0.1, for tests: SwiftNIO's HTTP codec on its own threads
/// (Foundation's URLSession on Linux leaks libcurl handles, which the AddressSanitizer pass would report).
/// ``result`` is nil until the answer (or a failure) is in; ``wait(seconds:)`` blocks for it.
package final class PendingHTTPRequest: Sendable {
    package struct Reply: Sendable {
        package var status: Int
        package var body: [UInt8]
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    package struct Failed: Error, CustomStringConvertible {
        package var description: String
    }

    private let outcome = Mutex<Result<Reply, Failed>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Sends `method path` to 127.0.0.1:`port` with `headers` and `body`; answers are read to the end
    /// (`Connection: close`).
    package init(_ method: String, port: Int, path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        let connect = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(request: self))
                }
            }
            .connect(host: "127.0.0.1", port: port)
        connect.whenFailure { [self] error in finish(.failure(Failed(description: "connect to 127.0.0.1:\(port): \(error)"))) }
        connect.whenSuccess { channel in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            if let body { head.headers.add(name: "Content-Length", value: String(body.count)) }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
    }

    /// The answer, once it is in.
    package var result: Result<Reply, Failed>? { outcome.withLock { $0 } }

    /// Blocks until the answer is in, at most `seconds`.
    package func wait(seconds: Double) -> Result<Reply, Failed> {
        if done.wait(timeout: .now() + seconds) == .timedOut { return .failure(Failed(description: "no answer within \(seconds) s")) }
        done.signal()   // for a later wait
        return result!
    }

    fileprivate func finish(_ result: Result<Reply, Failed>) {
        let first = outcome.withLock { current -> Bool in
            guard current == nil else { return false }
            current = result
            return true
        }
        if first { done.signal() }
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let request: PendingHTTPRequest
        var status = 0
        var body: [UInt8] = []

        init(request: PendingHTTPRequest) { self.request = request }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body(var buffer): body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                request.finish(.success(Reply(status: status, body: body)))
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            request.finish(.failure(Failed(description: "\(error)")))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            request.finish(.failure(Failed(description: "the connection closed before the answer ended")))
        }
    }
}
