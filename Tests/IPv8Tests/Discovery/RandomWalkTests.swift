import XCTest
@testable import IPv8

/// An in-memory endpoint: records what protocol logic sends (no sockets, no loop).
final class RecordingEndpoint: Endpoint {
    let localAddress: Address
    var sent: [(bytes: [UInt8], to: Address)] = []
    var listeners: [PacketPrefix: any DatagramListener] = [:]

    init(_ address: Address) { localAddress = address }

    func send(_ bytes: [UInt8], to address: Address) { sent.append((bytes, address)) }
    func send(_ bytes: UnsafeRawBufferPointer, to address: Address) { sent.append((Array(bytes), address)) }
    func addListener(_ listener: any DatagramListener, prefix: PacketPrefix) throws { listeners[prefix] = listener }
    func removeListener(_ listener: any DatagramListener) {
        for (prefix, l) in listeners where l === listener { listeners[prefix] = nil }
    }
}

final class RandomWalkTests: XCTestCase {
    private let clock = ManualClock(start: 100)
    private let endpoint = RecordingEndpoint(Address(127, 0, 0, 1, port: 9000))
    private let network = Network()
    private var community: TestCommunity!
    private var introducer: Peer!
    private let addresses = (1...7).map { Address(127, 0, 0, 1, port: UInt16(9000 + $0)) }

    override func setUpWithError() throws {
        community = try TestCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, random: RandomSource(seed: 7)))
        introducer = Peer(key: Vectors.keyB.publicKey, address: Address(127, 0, 0, 1, port: 8999), intro: false)
        network.addVerifiedPeer(introducer)
        network.discoverServices(introducer, [TestCommunity.id])
        for address in addresses { network.discoverAddress(introducer, address, service: TestCommunity.id) }
    }

    func testWindowTimeoutAndForgettingAddressesThatNeverAnswered() throws {
        let walk = RandomWalk(overlay: community, timeout: 3.0, windowSize: 5, resetChance: 0)
        XCTAssertEqual(Set(community.walkableAddresses), Set(addresses))
        for _ in 0..<5 { try walk.takeStep() }
        let walked = endpoint.sent.map(\.to)
        XCTAssertEqual(Set(walked).count, 5, "five distinct addresses: none walked twice while in flight")
        XCTAssertTrue(Set(walked).isSubset(of: Set(addresses)))
        XCTAssertTrue(endpoint.sent.allSatisfy { $0.bytes[22] == MessageID.introductionRequest })

        try walk.takeStep()                      // the window is full
        XCTAssertEqual(endpoint.sent.count, 5)

        clock.advance(by: 3.5)                    // all five expire unanswered: forgotten
        try walk.takeStep()
        XCTAssertEqual(walk.inFlight.count, 1)
        for address in walked { XCTAssertFalse(network.isKnown(address)) }
        XCTAssertEqual(community.walkableAddresses.count, 2)
        XCTAssertEqual(endpoint.sent.count, 6)
        XCTAssertFalse(walked.contains(endpoint.sent[5].to))
    }

    func testResetChanceAsksAPeerAndTargetIntervalRateLimits() throws {
        let walk = RandomWalk(overlay: community, resetChance: 256, targetInterval: 1.0)
        try walk.takeStep()
        XCTAssertEqual(endpoint.sent.count, 1)
        XCTAssertEqual(endpoint.sent[0].to, introducer.address, "a reset asks an existing peer")
        try walk.takeStep()                      // within targetInterval
        XCTAssertEqual(endpoint.sent.count, 1)
        clock.advance(by: 1.5)
        try walk.takeStep()
        XCTAssertEqual(endpoint.sent.count, 2)
    }

    func testSeededRunsAreReproducible() throws {
        func run() throws -> [Address] {
            let endpoint = RecordingEndpoint(Address(127, 0, 0, 1, port: 9000))
            let network = Network()
            let community = try TestCommunity(context: CommunityContext(
                key: Vectors.keyA, endpoint: endpoint, network: network, clock: clock, random: RandomSource(seed: 99)))
            network.addVerifiedPeer(introducer)
            network.discoverServices(introducer, [TestCommunity.id])
            for address in addresses { network.discoverAddress(introducer, address, service: TestCommunity.id) }
            let walk = RandomWalk(overlay: community, windowSize: 0)
            for _ in 0..<20 { try walk.takeStep() }
            return endpoint.sent.map(\.to)
        }
        XCTAssertEqual(try run(), try run())
    }
}
