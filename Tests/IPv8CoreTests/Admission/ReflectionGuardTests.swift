import IPv8Testing
import XCTest
@testable import IPv8Core

/// Unsigned puncture requests make a node send signed punctures to an address they name: only peers and
/// addresses we walked to lately get that at will; strangers get a few per second.
final class ReflectionGuardTests: XCTestCase {
    let clock = ManualClock(start: 100)
    lazy var timers = ManualTimerScheduler(clock: clock)
    let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
    let victim = Address(192, 0, 2, 7, port: 80)

    func punctureRequest(_ community: Community) -> [UInt8] {
        PacketEncoder.coreUnsigned(PunctureRequestPayload(lanWalkerAddress: victim, wanWalkerAddress: victim, identifier: 1),
                                   prefix: community.prefix, globalTime: 1)
    }

    /// Punctures sent (one copy each: no responder has seen this node behind a NAT).
    func punctures() -> Int {
        endpoint.outbound.filter { $0.bytes[22] == MessageID.puncture }.count
    }

    func testAStrangerGetsAFewPuncturesASecondAndAnIntroducerWeWalkedToGetsThemAll() throws {
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock, timers: timers))
        defer { community.unload() }
        let stranger = Address(127, 0, 0, 9, port: 1), introducer = Address(127, 0, 0, 8, port: 1)
        for _ in 0..<1_000 { endpoint.writeInbound(punctureRequest(community), from: stranger) }
        XCTAssertEqual(punctures(), 10, "a burst of twice the rate, then nothing")
        XCTAssertEqual(community.counters.punctureRequestsRefused, 990)
        clock.advance(by: 1)
        for _ in 0..<100 { endpoint.writeInbound(punctureRequest(community), from: stranger) }
        XCTAssertEqual(punctures(), 15, "five more a second later")
        community.walkTo(introducer)
        endpoint.clearOutbound()
        for _ in 0..<100 { endpoint.writeInbound(punctureRequest(community), from: introducer) }
        XCTAssertEqual(punctures(), 100, "an address we walked to is trusted")
        clock.advance(by: 61)
        endpoint.clearOutbound()
        for _ in 0..<100 { endpoint.writeInbound(punctureRequest(community), from: introducer) }
        XCTAssertEqual(punctures(), 10, "not after a minute without walking to it")
    }

    func testMemoryIsBoundedAndTheOldestContactGivesWay() {
        let guardian = ReflectionGuard(capacity: 4)
        guardian.strangerRate = 0
        for port in 1...5 { guardian.contacted(Address(127, 0, 0, 1, port: UInt16(port)), now: 0) }
        XCTAssertFalse(guardian.allows(from: Address(127, 0, 0, 1, port: 1), isPeer: false, now: 1))
        XCTAssertTrue(guardian.allows(from: Address(127, 0, 0, 1, port: 5), isPeer: false, now: 1))
        XCTAssertTrue(guardian.allows(from: Address(127, 0, 0, 1, port: 99), isPeer: true, now: 1))
    }
}
