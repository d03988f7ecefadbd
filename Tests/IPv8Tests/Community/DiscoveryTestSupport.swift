import IPv8Testing
import XCTest
@testable import IPv8

/// One node on loopback running a DiscoveryCommunity (and optionally a PlainCommunity with another key).
final class DiscoveryNode {
    let service: IPv8Service
    let discovery: DiscoveryCommunity
    private(set) var extra: PlainCommunity?

    init(loop: EventLoop, key: PrivateKey, seed: UInt64 = 1) throws {
        service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        discovery = service.addOverlay(try DiscoveryCommunity(
            context: service.context(key: key, maxPeers: -1, random: RandomSource(seed: seed))))
    }

    /// Adds a PlainCommunity signing with `key`.
    func addTestCommunity(key: PrivateKey) throws {
        extra = service.addOverlay(try PlainCommunity(context: service.context(key: key, random: RandomSource(seed: 2))))
    }

    var address: Address { service.endpoint.localAddress }
    var network: Network { service.network }

    /// The verified peer with `other`'s discovery key, if any.
    func peer(_ other: DiscoveryNode) -> Peer? {
        network.verifiedPeer(byPublicKeyBin: other.discovery.myPeer.publicKeyBin)
    }
}
