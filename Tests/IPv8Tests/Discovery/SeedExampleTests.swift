import IPv8Testing
import XCTest
@testable import IPv8

/// The seed example ("Network IO and the DiscoveryStrategy"), in Swift.
final class MyDiscoveryStrategy: DiscoveryStrategy {
    var calls = 0
    var chosen: [Peer] = []

    override func takeStep() {
        withWalkLock {
            calls += 1
            if let peer = overlay.peers.randomElement() {
                chosen.append(peer)
                overlay.sendIntroductionRequest(to: peer)
            }
        }
    }
}

final class SeedExampleTests: XCTestCase {
    func testMyDiscoveryStrategyWithTargetMinusOneIsCalledForever() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop, walkInterval: 0.05), b = try TestNode(loop: loop)
        defer { a.service.stop(); b.service.stop() }

        let overlay = try XCTUnwrap(a.service.overlay(PlainCommunity.self))
        let strategy = MyDiscoveryStrategy(overlay: overlay)
        let targetPeers = -1
        a.service.addStrategy(strategy, targetPeers: targetPeers)
        a.service.start()

        drive(loop) { strategy.calls >= 3 }
        XCTAssertTrue(strategy.chosen.isEmpty, "no peers yet: nothing to choose")

        overlay.walkTo(b.address)
        drive(loop) { strategy.chosen.count >= 3 }
        XCTAssertTrue(strategy.chosen.allSatisfy { $0.publicKeyBin == b.community.myPeer.publicKeyBin })
        // Each chosen peer got an introduction request (new style after the first contact).
        drive(loop) { b.community.counters.handledByID[234] >= 3 }
        // A target of -1 keeps the strategy running although the overlay has peers.
        let before = strategy.calls
        drive(loop) { strategy.calls >= before + 3 }
        XCTAssertEqual(a.service.scheduler.stats(for: strategy)?.stepsTaken, strategy.calls)
    }
}
