import IPv8TestSupport
import IPv8Testing
import Foundation
import XCTest
@testable import IPv8

/// DiscoveryCommunity against py-ipv8's: similarity request/response and ping/pong, both ways.
final class DiscoveryInteropTests: XCTestCase {
    func testSimilarityAndPingPongWorkBothWays() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let key = PrivateKey.generate()
        let ours = try DiscoveryNode(loop: loop, key: key)
        try ours.addTestCommunity(key: key)   // one key, two overlays: our similarity lists both ids
        let churn = RandomChurn(overlay: ours.discovery, settings: .init(pingInterval: .milliseconds(500)))
        ours.service.addStrategy(churn, targetPeers: -1)
        ours.service.addStrategy(PeriodicSimilarity(overlay: ours.discovery), targetPeers: -1)
        ours.service.start()
        let py = try PyIPv8Node(communityID: PlainCommunity.defaultID.hex, walkTo: [ours.address.description], discovery: true)
        defer { py.stop() }
        let ourMid = Hex.encode(key.mid)

        func pyPeer() -> Peer? {
            guard let mid = py.status?.mid else { return nil }
            return ours.discovery.peers.first { Hex.encode($0.mid) == mid }
        }
        // Both sides verified in the Discovery overlay.
        drive(loop, seconds: 30) { pyPeer() != nil && (py.status?.discoveryPeers.contains(ourMid) ?? false) }
        // py-ipv8's similarity messages told us which communities it runs (its two overlays share one key),
        // and ours told py-ipv8 (it answers our requests and asks us itself).
        drive(loop, seconds: 30) {
            guard let peer = pyPeer() else { return false }
            let services = Set(ours.network.services(for: peer))
            return services.contains(PlainCommunity.defaultID) && services.contains(DiscoveryCommunity.id)
                && ours.discovery.counters.handledByID[1] > 0 && ours.discovery.counters.handledByID[2] > 0
        }
        // Ping/pong both ways: our RandomChurn pings py-ipv8 and records RTTs; py-ipv8's churn pings us.
        drive(loop, seconds: 30) {
            (pyPeer()?.pings.count ?? 0) > 0 && (py.status?.pings[ourMid] ?? 0) > 0
                && (py.status?.received["PinnedDiscovery:2"] ?? 0) > 0
        }
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0)
        XCTAssertEqual(py.process.terminationStatus, 0, py.errors.suffix(1000).description)
    }
}
