/// Where the REST API listens and what it asks of clients.
public struct RESTSettings: Sendable, Equatable {
    /// The address to bind. Default 127.0.0.1: the API controls the node, so it is not exposed unless asked.
    public var host: String
    /// The TCP port (0: any free port; ``IPv8RESTServer/port`` tells which). Default 8085, py-ipv8's.
    public var port: Int
    /// The key every request must carry (`X-Api-Key` header or `apikey` query parameter), as py-ipv8 asks
    /// it; nil: none asked. `/docs` is always open.
    public var apiKey: String?

    /// Settings listening on `host`:`port` (default 127.0.0.1:8085) and asking for `apiKey` (default none).
    public init(host: String = "127.0.0.1", port: Int = 8085, apiKey: String? = nil) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
    }
}
