#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import IPv8

/// `GET /network`: every verified peer, keyed by its base64 mid (py-ipv8's `NetworkEndpoint`).
enum NetworkRoute {
    static func add(to router: Router<BasicRequestContext>, node: NodeAccess) {
        router.get("network") { _, _ in
            JSONResponse.make(try await node.onLoop { peers(of: $0.network) })
        }
    }

    static func peers(of network: Network) -> JSONValue {
        .object([.init("peers", .object(network.verifiedPeers.map { peer in
            .init(Data(peer.mid).base64EncodedString(), .object([
                .init("ip", .string(peer.address.ip)),
                .init("port", .number(UInt64(peer.address.port))),
                .init("public_key", .string(Data(peer.key.bin).base64EncodedString())),
                .init("services", .array(network.services(for: peer).map { .string(Data($0.bytes).base64EncodedString()) })),
            ]))
        }))])
    }
}
