import Hummingbird
import NIOCore
import IPv8
import Logging
import ServiceLifecycle
import Synchronization

/// py-ipv8's REST API for one node (its `RESTManager` with the root endpoint's overlay, network, drift,
/// isolation and DHT routes, the same JSON shapes, the API key and JSON errors), over HTTP/1.1 (Hummingbird).
///
/// HTTP runs on SwiftNIO's threads; every read or change of the node is handed to the node's loop thread
/// and waits there for its turn, so the node's state is never touched off its loop. The server is a
/// swift-service-lifecycle `Service`: ``run()`` serves until its task is cancelled or a graceful shutdown.
public final class IPv8RESTServer: Service, Sendable {
    /// Where the server listens and the API key it asks for.
    public let settings: RESTSettings
    private let node: NodeAccess
    private let logger: Logger
    private let onListening: @Sendable (Int) -> Void
    private let metrics: (@Sendable () -> [UInt8])?
    private let boundPort = BoundPort()

    /// The listening port, written once by the server's start-up callback.
    private final class BoundPort: Sendable {
        let value = Mutex<Int?>(nil)
    }

    /// A server for `service`. Create it on the service's loop thread (or before the loop first runs).
    /// - Parameters:
    ///   - service: the node whose overlays and network the API reads and changes.
    ///   - settings: where to listen, the API key and the request limits.
    ///   - logger: where request failures and start-up go (quiet by default).
    ///   - metrics: when given, `GET /metrics` answers with what it returns (Prometheus text, e.g. a
    ///     `PrometheusCollectorRegistry`'s `emitToBuffer()` fed by a `MetricsPublisher`).
    ///   - onListening: called with the port once the server listens.
    public init(service: IPv8Service, settings: RESTSettings = RESTSettings(),
                logger: Logger = Logger(label: "ipv8.rest", factory: { _ in SwiftLogNoOpLogHandler() }),
                metrics: (@Sendable () -> [UInt8])? = nil,
                onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.onListening = onListening
        self.metrics = metrics
        self.settings = settings
        self.node = NodeAccess(service: LoopBound(service, loop: service.loop))
        self.logger = logger
    }

    /// The TCP port it listens on, once ``run()`` has bound it (with the real port when 0 was asked for).
    public var port: Int? { boundPort.value.withLock { $0 } }

    /// Serves until the task is cancelled or a graceful shutdown is triggered.
    /// - Throws: when the address cannot be bound.
    public func run() async throws {
        let application = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { [boundPort, onListening] channel in
                let port = channel.localAddress?.port
                boundPort.value.withLock { $0 = port }
                if let port { onListening(port) }
            },
            logger: logger)
        try await application.run()
    }

    /// The API's routes and middleware (API key, JSON errors) as a Hummingbird router, for hosts that
    /// serve it themselves (their own `Application`, a test client, a fuzzer); ``run()`` serves the same.
    public func makeRouter() -> Router<BasicRequestContext> {
        let apiKey = settings.apiKey
        let router = Router()
        router.add(middleware: APIKeyMiddleware(key: apiKey))
        router.add(middleware: JSONErrorMiddleware())
        OverlaysRoutes.add(to: router, node: node)
        NetworkRoute.add(to: router, node: node)
        DriftRoutes.add(to: router, node: node)
        IsolationRoute.add(to: router, node: node)
        DHTRoutes.add(to: router, node: node, deadline: settings.dhtTimeout)
        if let metrics = self.metrics {
            router.get("metrics") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics())))
            }
        }
        let document = OpenAPIDocument.json(apiKey: apiKey != nil, metrics: metrics != nil)
        router.get("docs/swagger.json") { _, _ in JSONResponse.make(document) }
        return router
    }
}
