import Hummingbird
import IPv8

/// `GET /asyncio/drift`, `PUT /asyncio/drift`: how late the node's scheduler ticks fire, the measure py-ipv8's
/// `AsyncioEndpoint` calls drift (off until a `PUT` with `{"enable": true}`).
enum DriftRoutes {
    static func add(to router: Router<BasicRequestContext>, node: NodeAccess) {
        router.get("asyncio/drift") { _, _ in
            let samples = try await node.onLoop { $0.schedulerTimer.drift?.samples }
            guard let samples else { return JSONResponse.failure("Core drift disabled.", status: .notFound) }
            return JSONResponse.make(.object([.init("measurements", .array(samples.map {
                .object([.init("timestamp", .double($0.timestamp)), .init("drift", .double($0.drift))])
            }))]))
        }
        router.put("asyncio/drift") { request, _ in
            let body = try await JSONResponse.object(of: request)
            guard let enable = body["enable"] else {
                return JSONResponse.make(.object([.init("error", .string("incorrect parameters"))]), status: .badRequest)
            }
            let on = enable.boolValue ?? (enable.integerValue.map { $0 != 0 } ?? false)
            try await node.onLoop { $0.schedulerTimer.measureDrift(on) }
            return JSONResponse.success
        }
    }
}
