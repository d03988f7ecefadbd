import IPv8TestSupport
import IPv8Testing
import Foundation
import XCTest
@testable import IPv8

/// 10 py-ipv8 nodes and 10 of ours, all walking to one of ours: every node reaches its target with
/// peers of both kinds.
final class MixedSwarmInteropTests: XCTestCase {
    func testMixedSwarmOfTenAndTenConverges() throws {
        let target = 10
        let loop = try EventLoop()
        defer { loop.stop() }
        let bootstrap = try TestNode(loop: loop, walkInterval: 0.5)
        bootstrap.service.addStrategy(RandomWalk(overlay: bootstrap.community), targetPeers: target)
        bootstrap.service.start()
        var ours = [bootstrap]
        for _ in 1..<10 {
            let node = try TestNode(loop: loop, walkInterval: 0.5, bootstrap: [bootstrap.address])
            node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: target)
            node.service.start()
            ours.append(node)
        }
        let started = ContinuousClock.now
        let pys = try (0..<10).map { _ in
            try PyIPv8Node(communityID: PlainCommunity.defaultID.hex, walkTo: [bootstrap.address.description], target: target,
                           duration: 120)
        }
        defer { pys.forEach { $0.stop() } }
        let ourMids = Set(ours.map { Hex.encode($0.community.myPeer.mid) })

        func converged() -> Bool {
            guard pys.allSatisfy({ $0.status != nil }) else { return false }
            let pyMids = Set(pys.map { $0.status!.mid })
            for node in ours {
                let peers = Set(node.community.peers.map { Hex.encode($0.mid) })
                if peers.count < target || peers.isDisjoint(with: pyMids) || peers.isDisjoint(with: ourMids) { return false }
            }
            for py in pys {
                let peers = Set(py.status!.peers)
                if peers.count < target || peers.isDisjoint(with: pyMids) || peers.isDisjoint(with: ourMids) { return false }
            }
            return true
        }
        drive(loop, seconds: 90, until: converged)
        let elapsed = ContinuousClock.now - started
        print("mixed swarm (10 py-ipv8 + 10 swift-ipv8, target \(target)) converged in \(elapsed)")
        for py in pys {
            py.stop()
            XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send outside 127.0.0.0/8")
            XCTAssertEqual(py.process.terminationStatus, 0, py.errors.suffix(1000).description)
        }
    }
}
