import IPv8

/// The API's OpenAPI 3 document, served at `GET /docs/swagger.json` (where py-ipv8 serves its own). Built from
/// ``routes``, the one list of what the server routes.
enum OpenAPIDocument {
    struct Route: Sendable {
        var method: String
        var path: String
        var tag: String
        var summary: String
        /// Status codes it answers with, and what each means.
        var responses: [(code: Int, meaning: String)]
        /// The JSON members its body takes (name, JSON type, required).
        var body: [(name: String, type: String, required: Bool)] = []
    }

    static let routes: [Route] = [
        Route(method: "get", path: "/overlays", tag: "Overlays", summary: "Return information about all currently loaded overlays.",
              responses: [(200, "{\"overlays\": [overlay]}")]),
        Route(method: "get", path: "/overlays/statistics", tag: "Overlays", summary: "Return statistics for all currently loaded overlays.",
              responses: [(200, "{\"statistics\": [{overlay_name: {\"<id>:<handler>\": stat}}]}")]),
        Route(method: "post", path: "/overlays/statistics", tag: "Overlays", summary: "Enable/disable statistics for a given overlay.",
              responses: [(200, "{\"success\": true}"), (400, "\"enable\" missing, or the body is not JSON"),
                          (412, "neither \"all\" nor \"overlay_name\"")],
              body: [("enable", "boolean", true), ("all", "boolean", false), ("overlay_name", "string", false)]),
        Route(method: "get", path: "/network", tag: "Network", summary: "Return a list of all known peers.",
              responses: [(200, "{\"peers\": {base64 mid: {ip, port, public_key, services}}}")]),
        Route(method: "get", path: "/asyncio/drift", tag: "Asyncio", summary: "Measure the core drift.",
              responses: [(200, "{\"measurements\": [{timestamp, drift}]}"), (404, "drift measurement is off")]),
        Route(method: "put", path: "/asyncio/drift", tag: "Asyncio", summary: "Enable or disable drift measurements.",
              responses: [(200, "{\"success\": true}"), (400, "\"enable\" missing, or the body is not JSON")],
              body: [("enable", "boolean", true)]),
        Route(method: "post", path: "/isolation", tag: "Isolation", summary: "Add an address to a specific IPv8 service.",
              responses: [(200, "{\"success\": true}"), (400, "a parameter is missing or not an address")],
              body: [("ip", "string", true), ("port", "integer", true), ("bootstrapnode", "boolean", false),
                     ("exitnode", "boolean", false)]),
        Route(method: "get", path: "/dht/statistics", tag: "DHT", summary: "Return DHT statistics.",
              responses: [(200, "{\"statistics\": {peer_id, num_tokens, endpoints: [{endpoint, node_id, routing_table_size, "
                                + "routing_table_buckets, num_keys_in_store}], num_peers_in_store: {mid hex: n}, num_store_for_me: {mid hex: n}}}"),
                          (404, "the node runs no DHT")]),
        Route(method: "get", path: "/dht/values", tag: "DHT", summary: "Get a list of locally stored key-value pairs from the DHT.",
              responses: [(200, "{key hex: [{endpoint, public_key (base64 or null), key, value (hex)}]}"), (404, "the node runs no DHT")]),
        Route(method: "get", path: "/dht/values/{key}", tag: "DHT", summary: "Lookup the values for a specific key on the DHT.",
              responses: [(200, "{\"values\": [{public_key (base64 or null), key, value (hex)}], \"debug\": {requests, responses, "
                                + "responses_with_nodes, responses_with_values, time}}"),
                          (400, "the key is not 40 hex digits"), (404, "the node runs no DHT"),
                          (500, "the lookup failed: {\"code\": \"DHTError\", \"message\": …}"), (504, "no answer within the deadline")]),
        Route(method: "put", path: "/dht/values/{key}", tag: "DHT", summary: "Store a key-value pair on the DHT (signed with the node's key).",
              responses: [(200, "{\"success\": true}"),
                          (400, "the key is not 40 hex digits, \"value\" is missing or not hex, the value is too long, or the body is not JSON"),
                          (404, "the node runs no DHT"), (500, "the store failed: {\"code\": \"DHTError\", \"message\": …}"),
                          (504, "no answer within the deadline")],
              body: [("value", "string", true)]),
        Route(method: "get", path: "/dht/peers/{mid}", tag: "DHT", summary: "Connect to a peer using the DHT.",
              responses: [(200, "{\"peers\": [{public_key (base64), address: [ip, port]}]}"), (400, "the mid is not 40 hex digits"),
                          (404, "the node runs no DHTDiscoveryCommunity"),
                          (500, "the peer was not found: {\"code\": \"DHTError\", \"message\": …}"), (504, "no answer within the deadline")]),
        Route(method: "get", path: "/dht/buckets", tag: "DHT", summary: "Return a list of all buckets in the routing table of the DHT community.",
              responses: [(200, "{\"buckets\": [{prefix, last_changed, endpoint, peers: [{ip, port, mid, id, failed, last_contact, distance}]}]}")]),
        Route(method: "get", path: "/dht/buckets/{prefix}/refresh", tag: "DHT", summary: "Refresh a specific bucket in the DHT community.",
              responses: [(200, "{\"success\": true}, or {\"success\": false, \"error\": …} when every lookup failed"),
                          (400, "no bucket has the prefix, or the node runs no DHT"), (504, "no answer within the deadline")]),
    ]

    /// `GET /metrics`, served when the server was given metrics.
    static let metricsRoute = Route(method: "get", path: "/metrics", tag: "Metrics",
                                    summary: "The node's metrics in Prometheus text format.",
                                    responses: [(200, "Prometheus text exposition format 0.0.4")])

    /// The names of a path's `{parameters}`, in order.
    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The document; with `apiKey`, every route asks for the `X-Api-Key` header; with `metrics`, it lists
    /// ``metricsRoute``.
    static func json(apiKey: Bool, metrics: Bool = false) -> JSONValue {
        var paths: [JSONValue.Member] = []
        for route in routes + (metrics ? [metricsRoute] : []) {
            var operation: [JSONValue.Member] = [
                .init("tags", .array([.string(route.tag)])),
                .init("summary", .string(route.summary)),
                .init("responses", .object(route.responses.map { code, meaning in
                    .init(String(code), .object([.init("description", .string(meaning))]))
                })),
            ]
            let parameters = pathParameters(route.path)
            if !parameters.isEmpty {
                operation.append(.init("parameters", .array(parameters.map { name in
                    .object([.init("name", .string(name)), .init("in", .string("path")), .init("required", .bool(true)),
                             .init("schema", .object([.init("type", .string("string"))]))])
                })))
            }
            if !route.body.isEmpty {
                let properties = JSONValue.object(route.body.map { .init($0.name, .object([.init("type", .string($0.type))])) })
                let required = JSONValue.array(route.body.filter(\.required).map { .string($0.name) })
                operation.append(.init("requestBody", .object([
                    .init("required", .bool(true)),
                    .init("content", .object([.init("application/json", .object([.init("schema", .object([
                        .init("type", .string("object")), .init("properties", properties), .init("required", required),
                    ]))]))])),
                ])))
            }
            if let i = paths.firstIndex(where: { $0.key == route.path }), case .object(var methods) = paths[i].value {
                methods.append(.init(route.method, .object(operation)))
                paths[i].value = .object(methods)
            } else {
                paths.append(.init(route.path, .object([.init(route.method, .object(operation))])))
            }
        }
        var document: [JSONValue.Member] = [
            .init("openapi", .string("3.0.3")),
            .init("info", .object([.init("title", .string("IPv8 REST API documentation")), .init("version", .string("v3.2"))])),
            .init("paths", .object(paths)),
        ]
        if apiKey {
            document.append(.init("components", .object([.init("securitySchemes", .object([.init("apiKey", .object([
                .init("type", .string("apiKey")), .init("in", .string("header")), .init("name", .string("X-Api-Key")),
            ]))]))])))
            document.append(.init("security", .array([.object([.init("apiKey", .array([]))])])))
        }
        return .object(document)
    }
}
