/// Where the REST API listens and what it asks of clients.
public struct RESTSettings: Sendable, Equatable {
    /// The address to bind. Default 127.0.0.1: the API controls the node, so it is not exposed unless asked.
    public var host: String
    /// The TCP port (0: any free port; ``IPv8RESTServer/port`` tells which). Default 8085, py-ipv8's.
    public var port: Int
    /// The key every request must carry (`X-Api-Key` header or `apikey` query parameter), as py-ipv8 asks
    /// it; nil: none asked. `/docs` is always open.
    public var apiKey: String?
    /// How long a `/dht` route waits for the network (a lookup, a store, a connect) before it answers 504
    /// `{"success": false, "error": {"code": "TimeoutError", …}}`. Default 40 s, past the DHT's own worst
    /// case of about 29 s (a lookup's 24 find requests, 4 at a time, each up to 2 s for a puncture request
    /// and 2 s for itself, then a store's or connect's 5 s), so the deadline only catches what would
    /// otherwise hang. py-ipv8 has none.
    public var dhtTimeout: Duration

    /// Settings listening on `host`:`port` (default 127.0.0.1:8085), asking for `apiKey` (default none),
    /// with `dhtTimeout` for the `/dht` routes that wait for the network (default 40 s).
    public init(host: String = "127.0.0.1", port: Int = 8085, apiKey: String? = nil, dhtTimeout: Duration = .seconds(40)) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.dhtTimeout = dhtTimeout
    }
}
