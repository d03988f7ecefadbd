import IPv8Testing
import XCTest
@testable import IPv8Core

final class RandomWalkTests: XCTestCase {
    private let clock = ManualClock(start: 100)
    private lazy var timers = ManualTimerScheduler(clock: clock)
    private let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
    private let network = Network()
    private var community: PlainCommunity!
    private var introducer: Peer!
    private let addresses = (1...7).map { Address(127, 0, 0, 1, port: UInt16(9000 + $0)) }

    override func setUpWithError() throws {
        community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, timers: timers, random: RandomSource(seed: 7)))
        introducer = Peer(key: Vectors.keyB.publicKey, address: Address(127, 0, 0, 1, port: 8999), intro: false)
        network.addVerifiedPeer(introducer)
        network.discoverServices(introducer, [PlainCommunity.defaultID])
        for address in addresses { network.discoverAddress(introducer, address, service: PlainCommunity.defaultID) }
    }

    func testWindowTimeoutAndForgettingAddressesThatNeverAnswered() throws {
        let walk = RandomWalk(overlay: community, settings: .init(timeout: .seconds(3), windowSize: 5, resetChance: 0))
        XCTAssertEqual(Set(community.walkableAddresses), Set(addresses))
        for _ in 0..<5 { try walk.takeStep() }
        let walked = endpoint.outbound.map(\.destination)
        XCTAssertEqual(Set(walked).count, 5, "five distinct addresses: none walked twice while in flight")
        XCTAssertTrue(Set(walked).isSubset(of: Set(addresses)))
        XCTAssertTrue(endpoint.outbound.allSatisfy { $0.bytes[22] == MessageID.introductionRequest })

        try walk.takeStep()                      // the window is full
        XCTAssertEqual(endpoint.outbound.count, 5)

        clock.advance(by: 3.5)                    // all five expire unanswered: forgotten
        try walk.takeStep()
        XCTAssertEqual(walk.inFlight.count, 1)
        for address in walked { XCTAssertFalse(network.isKnown(address)) }
        XCTAssertEqual(community.walkableAddresses.count, 2)
        XCTAssertEqual(endpoint.outbound.count, 6)
        XCTAssertFalse(walked.contains(endpoint.outbound[5].destination))
    }

    func testAnsweredWalksLeaveTheWindow() throws {
        let walk = RandomWalk(overlay: community, settings: .init(timeout: .seconds(3), windowSize: 5, resetChance: 0))
        for _ in 0..<6 { try walk.takeStep() }
        XCTAssertEqual(endpoint.outbound.count, 5, "the sixth step found the window full")
        // Two walks are answered: their addresses become verified peers of the overlay.
        let answered = Array(endpoint.outbound.map(\.destination).prefix(2))
        for (i, address) in answered.enumerated() {
            let peer = Peer(key: PrivateKey.deterministic(seed: 100 + UInt64(i)).publicKey, address: address, intro: false)
            network.addVerifiedPeer(peer)
            network.discoverServices(peer, [PlainCommunity.defaultID])
        }
        try walk.takeStep()
        XCTAssertEqual(endpoint.outbound.count, 6, "answered walks no longer hold the window (py-ipv8 waits for their timeout)")
        XCTAssertEqual(walk.inFlight.count, 4)
        XCTAssertFalse(walk.inFlight.contains { answered.contains($0.address) })
        XCTAssertFalse(answered.contains(endpoint.outbound[5].destination))
    }

    func testResetChanceAsksAPeerAndTargetIntervalRateLimits() throws {
        let walk = RandomWalk(overlay: community, settings: .init(resetChance: 256, targetInterval: .seconds(1)))
        try walk.takeStep()
        XCTAssertEqual(endpoint.outbound.count, 1)
        XCTAssertEqual(endpoint.outbound[0].destination, introducer.address, "a reset asks an existing peer")
        try walk.takeStep()                      // within targetInterval
        XCTAssertEqual(endpoint.outbound.count, 1)
        clock.advance(by: 1.5)
        try walk.takeStep()
        XCTAssertEqual(endpoint.outbound.count, 2)
    }

    func testSeededRunsAreReproducible() throws {
        func run() throws -> [Address] {
            let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
            let network = Network()
            let community = try PlainCommunity(context: CommunityContext(
                key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, timers: timers, random: RandomSource(seed: 99)))
            network.addVerifiedPeer(introducer)
            network.discoverServices(introducer, [PlainCommunity.defaultID])
            for address in addresses { network.discoverAddress(introducer, address, service: PlainCommunity.defaultID) }
            let walk = RandomWalk(overlay: community, settings: .init(windowSize: 0))
            for _ in 0..<20 { try walk.takeStep() }
            return endpoint.outbound.map(\.destination)
        }
        XCTAssertEqual(try run(), try run())
    }

    /// py-ipv8 asks a peer by the reset chance on any step; here only until a walk is answered and again once
    /// one expires unanswered.
    func testResetChanceAppliesOnlyWhileNoWalkWasAnsweredLately() throws {
        for port in 9100..<9160 {
            network.discoverAddress(introducer, Address(127, 0, 0, 1, port: UInt16(port)), service: PlainCommunity.defaultID)
        }
        let walk = RandomWalk(overlay: community, settings: .init(timeout: .seconds(3), windowSize: 0, resetChance: 128))
        func asks() -> Int { endpoint.outbound.filter { $0.destination == introducer.address }.count }
        for _ in 0..<10 { try walk.takeStep() }
        let asksBefore = asks()
        XCTAssertGreaterThan(asksBefore, 0, "no walk answered yet: the reset chance applies")
        XCTAssertEqual(walk.tally.askedByReset, asksBefore)

        let answeredAddress = try XCTUnwrap(walk.inFlight.first?.address)
        let peer = Peer(key: PrivateKey.deterministic(seed: 200).publicKey, address: answeredAddress, intro: false)
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, [PlainCommunity.defaultID])
        for _ in 0..<20 { try walk.takeStep() }
        XCTAssertEqual(asks(), asksBefore, "a walk was answered: every step walks")
        XCTAssertEqual(walk.tally.answered, 1)

        clock.advance(by: 3.5)                    // the other walks expire unanswered
        for _ in 0..<10 { try walk.takeStep() }
        XCTAssertGreaterThan(asks(), asksBefore, "a walk expired unanswered: the reset chance applies again")
        XCTAssertGreaterThan(walk.tally.expired, 0)
        XCTAssertEqual(walk.tally.steps, 40)
    }
}
