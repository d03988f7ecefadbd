#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import IPv8

/// `GET /overlays`, `GET /overlays/statistics`, `POST /overlays/statistics`: py-ipv8's `OverlaysEndpoint`.
enum OverlaysRoutes {
    static func add(to router: Router<BasicRequestContext>, node: NodeAccess) {
        router.get("overlays") { _, _ in
            JSONResponse.make(try await node.onLoop { overlays(of: $0) })
        }
        router.get("overlays/statistics") { _, _ in
            JSONResponse.make(try await node.onLoop { statistics(of: $0) })
        }
        router.post("overlays/statistics") { request, _ in
            let body = try await JSONResponse.object(of: request)
            guard let enable = body["enable"]?.boolValue else {
                return JSONResponse.failure("Parameter \"enable\" is required", status: .badRequest)
            }
            let all = body["all"]?.boolValue ?? false
            let name = body["overlay_name"]?.stringValue
            guard body["all"] != nil || name != nil else {
                return JSONResponse.failure("Parameter \"all\" or \"overlay_name\" is required", status: .preconditionFailed)
            }
            try await node.onLoop { service in
                for overlay in service.overlays where all || overlayName(overlay) == name {
                    service.endpoint.statistics.setEnabled(enable, for: overlay.prefix)
                }
            }
            return JSONResponse.success
        }
    }

    /// The class name py-ipv8 reports (`overlay_name`).
    static func overlayName(_ overlay: Community) -> String { String(describing: type(of: overlay)) }

    static func overlays(of service: IPv8Service) -> JSONValue {
        .object([.init("overlays", .array(service.overlays.map { overlay in
            let stats = service.endpoint.statistics.aggregate(for: overlay.prefix)
            let strategies = service.scheduler.strategies.filter { $0.overlay === overlay }.map { strategy in
                JSONValue.object([.init("name", .string(String(describing: type(of: strategy)))),
                                  .init("target_peers", .integer(Int64(service.scheduler.targetPeers(of: strategy) ?? -1)))])
            }
            return .object([
                .init("id", .string(overlay.communityID.hex)),
                .init("my_peer", .string(Hex.encode(overlay.myPeer.key.bin))),
                .init("global_time", .number(overlay.globalTime)),
                .init("peers", .array(overlay.peers.map { peer in
                    .object([.init("ip", .string(peer.address.ip)), .init("port", .number(UInt64(peer.address.port))),
                             .init("public_key", .string(Hex.encode(peer.key.bin)))])
                })),
                .init("overlay_name", .string(overlayName(overlay))),
                .init("statistics", .object([
                    .init("num_up", .integer(Int64(stats.numUp))), .init("num_down", .integer(Int64(stats.numDown))),
                    .init("bytes_up", .integer(Int64(stats.bytesUp))), .init("bytes_down", .integer(Int64(stats.bytesDown))),
                    .init("diff_time", .double(stats.diffTime)),
                ])),
                .init("max_peers", .integer(Int64(overlay.maxPeers))),
                .init("is_isolated", .bool(overlay.network !== service.network)),
                .init("my_estimated_wan", .address(overlay.myEstimatedWAN)),
                .init("my_estimated_lan", .address(overlay.myEstimatedLAN)),
                .init("strategies", .array(strategies)),
            ])
        }))])
    }

    /// Per overlay, its message ids' figures, named `"<id>:<handler>"` as py-ipv8 names them.
    static func statistics(of service: IPv8Service) -> JSONValue {
        .object([.init("statistics", .array(service.overlays.map { overlay in
            let byID = service.endpoint.statistics.statistics(for: overlay.prefix).sorted { $0.key < $1.key }
            return .object([.init(overlayName(overlay), .object(byID.map { id, stat in
                .init("\(id):\(handlerName(id))", .object([
                    .init("identifier", .number(UInt64(stat.identifier))),
                    .init("num_up", .integer(Int64(stat.numUp))), .init("num_down", .integer(Int64(stat.numDown))),
                    .init("bytes_up", .integer(Int64(stat.bytesUp))), .init("bytes_down", .integer(Int64(stat.bytesDown))),
                    .init("first_measured_up", time(stat.firstMeasuredUp)),
                    .init("first_measured_down", time(stat.firstMeasuredDown)),
                    .init("last_measured_up", time(stat.lastMeasuredUp)),
                    .init("last_measured_down", time(stat.lastMeasuredDown)),
                ]))
            }))])
        }))])
    }

    /// A measurement time as py-ipv8 writes it: the integer 0 until measured, then Unix seconds.
    static func time(_ t: Double) -> JSONValue { t > 0 ? .double(t) : .integer(0) }

    /// py-ipv8 names a message by its handler (`on_introduction_request`); ours are closures, so only the
    /// core messages have names, and the others are `unknown`.
    static func handlerName(_ id: UInt8) -> String {
        MessageID.coreName(id).map { "on_" + String($0.map { $0 == "-" ? "_" : $0 }) } ?? "unknown"
    }
}
