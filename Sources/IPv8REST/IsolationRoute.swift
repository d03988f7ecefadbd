import Hummingbird
import IPv8

/// `POST /isolation`: adds a bootstrap server at run time (py-ipv8's `IsolationEndpoint`): it is blacklisted
/// (never a peer), every overlay walks to it, and every DispersyBootstrapper keeps it. `exitnode` addresses
/// are for py-ipv8's tunnel community, which this node does not run: accepted and ignored, as py-ipv8 does
/// without one.
enum IsolationRoute {
    static func add(to router: Router<BasicRequestContext>, node: NodeAccess) {
        router.post("isolation") { request, _ in
            let body = try await JSONResponse.object(of: request)
            guard let ip = body["ip"]?.stringValue, let portNumber = body["port"]?.integerValue else {
                return JSONResponse.failure("Parameters \"ip\" and \"port\" are required", status: .badRequest)
            }
            guard body["exitnode"] != nil || body["bootstrapnode"] != nil else {
                return JSONResponse.failure("Parameter \"exitnode\" or \"bootstrapnode\" is required", status: .badRequest)
            }
            guard let port = UInt16(exactly: portNumber), let address = Address(ip: ip, port: port) else {
                return JSONResponse.failure("\"\(ip)\":\(portNumber) is not an IP address and port", status: .badRequest)
            }
            guard body["exitnode"] == nil else { return JSONResponse.success }
            try await node.onLoop { service in
                service.network.addToBlacklist(address)
                for overlay in service.overlays {
                    if overlay.network !== service.network { overlay.network.addToBlacklist(address) }
                    overlay.walkTo(address)
                    for case let bootstrapper as DispersyBootstrapper in overlay.bootstrappers {
                        bootstrapper.addIPAddress(address)
                    }
                }
            }
            return JSONResponse.success
        }
    }
}
