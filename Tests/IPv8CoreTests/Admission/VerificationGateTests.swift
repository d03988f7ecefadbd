import IPv8Testing
import XCTest
@testable import IPv8Core

/// The gate's arithmetic on a fake clock that advances 40 µs per reading, so each admitted datagram
/// "costs" 40 µs of verification: a 100 ms window at share 0.8 holds 2,000 of them.
final class VerificationGateTests: XCTestCase {
    final class FakeClock: @unchecked Sendable {
        var now: UInt64 = 1_000_000_000
        var step: UInt64 = 40_000
        func read() -> UInt64 {
            now += step
            return now
        }
    }

    let flooder = Address(10, 0, 0, 1, port: 1)
    let honest = Address(10, 0, 0, 2, port: 2)

    func verify(_ gate: VerificationGate, _ source: Address) -> Bool {
        let (ok, bucket, start) = gate.admit(source)
        if ok { gate.charge(bucket, since: start) }
        return ok
    }

    /// Offers `gate` a datagram from `source`; an admitted one takes 100 µs of `clock` to verify and answer.
    func offer(_ gate: VerificationGate, _ clock: FakeClock, _ source: Address) -> Bool {
        let (ok, bucket, start) = gate.admit(source)
        if ok {
            clock.now += 100_000
            gate.charge(bucket, since: start)
        }
        return ok
    }

    /// Up to 32 source hosts active at once are counted exactly, one slot each (so two never share a budget);
    /// a slot silent for the whole memory is taken over by a newcomer; more hosts at once switch the gate to the
    /// settings' hashed buckets.
    func testFewHostsAreCountedExactlyAndManySwitchToHashedBuckets() {
        let clock = FakeClock()
        clock.step = 1
        let gate = VerificationGate(clock: { clock.read() })
        func host(_ i: Int) -> Address { Address(10, 1, UInt8(i / 250), UInt8(i % 250), port: UInt16(1 + i % 7)) }
        XCTAssertTrue(verify(gate, host(0)))
        XCTAssertTrue(verify(gate, host(0)))
        XCTAssertEqual(gate.tableSize, 1, "one host keeps one slot")
        for i in 1..<32 { XCTAssertTrue(verify(gate, host(i))) }
        XCTAssertEqual(gate.tableSize, 32, "32 hosts fill the exact slots")
        clock.now += 3_000_000_000   // longer than the 2 s memory: every slot may be taken over
        for i in 32..<64 { XCTAssertTrue(verify(gate, host(i))) }
        XCTAssertEqual(gate.tableSize, 32, "newcomers take over silent slots")
        XCTAssertTrue(verify(gate, host(64)), "a 33rd host active at once is admitted")
        XCTAssertEqual(gate.tableSize, 4_096, "and switches the gate to the hashed buckets")

        let small = VerificationGate(settings: .init(buckets: 100), clock: { clock.read() })
        for i in 0..<33 { _ = verify(small, host(i)) }
        XCTAssertEqual(small.tableSize, 128, "100 buckets round up to 128")
    }

    func testALoneSourceMayUseTheWholeBudget() {
        let clock = FakeClock()
        let gate = VerificationGate(clock: { clock.read() })
        var admitted = 0
        for _ in 0..<1_100 where verify(gate, flooder) { admitted += 1 }   // 1,100 × 80 µs of readings < 100 ms
        XCTAssertEqual(admitted, 1_100)
        XCTAssertEqual(gate.counters.shed, 0)
    }

    /// The flooder offers a datagram every 50 µs; each admitted one takes 100 µs to verify and answer, so
    /// alone it overloads the node. The honest source offers one every 100 ms, 75 ms into each window, when the
    /// flooder has spent the window's budget.
    func honestAdmissionsDuringAFlood(_ settings: VerificationGate.Settings) -> (honest: [Bool], gate: VerificationGate,
                                                                               flooderPerWindow: [Int]) {
        let clock = FakeClock()
        clock.step = 1
        let origin = clock.now
        let gate = VerificationGate(settings: settings, clock: { clock.read() })
        func offer(_ source: Address, at arrival: UInt64) -> Bool {
            clock.now = max(clock.now, origin + arrival)   // a busy node reads late arrivals late
            let (ok, bucket, start) = gate.admit(source)
            if ok {
                clock.now += 100_000
                gate.charge(bucket, since: start)
            }
            return ok
        }
        var honest: [Bool] = [], flooderAdmitted = [Int](repeating: 0, count: 8)
        for tick in 0..<16_000 {                           // 800 ms of arrivals
            let arrival = UInt64(tick) * 50_000
            if offer(flooder, at: arrival) { flooderAdmitted[min(7, Int((clock.now - origin) / 100_000_000))] += 1 }
            if tick % 2_000 == 1_500 { honest.append(offer(self.honest, at: arrival)) }
        }
        return (honest, gate, flooderAdmitted)
    }

    /// A host that shows up during a lone source's flood gets its first datagram in on the newcomers' part of the
    /// window, and the rest on its share; the flooder is held to half the budget from the next window on.
    func testAFlooderCannotStarveAnHonestSourceThatShowsUpDuringTheFlood() {
        let (honest, gate, flooderAdmitted) = honestAdmissionsDuringAFlood(.init())
        XCTAssertEqual(honest, [Bool](repeating: true, count: 8), "every honest datagram was admitted, the first too")
        XCTAssertEqual(gate.counters.admittedAsNewcomer, 1, "the first, on the newcomers' part")
        XCTAssertGreaterThan(gate.counters.shed, 1_000, "the flooder is held to its half")
        XCTAssertTrue(flooderAdmitted[2...6].allSatisfy { $0 <= 520 }, "the flooder's share: \(flooderAdmitted)")
        XCTAssertGreaterThanOrEqual(flooderAdmitted[0], 690, "alone, the flooder had the whole budget: \(flooderAdmitted)")
    }

    /// Without the newcomers' part, the honest host's first datagram finds the window spent by the then-lone
    /// flooder; from the next window on it is counted, and gets in.
    func testWithoutTheNewcomersPartTheFirstDatagramOfANewHostWaitsForTheNextWindow() {
        var settings = VerificationGate.Settings()
        settings.newcomerShare = 0
        let (honest, gate, _) = honestAdmissionsDuringAFlood(settings)
        XCTAssertEqual(honest, [false] + [Bool](repeating: true, count: 7))
        XCTAssertEqual(gate.counters.admittedAsNewcomer, 0)
    }

    /// Sources already seen in a backlogged window never spend the newcomers' part: two busy sources, each past
    /// its part, leave it unspent, and a third host's first datagram still finds it.
    func testTheNewcomersPartIsKeptFromSourcesAlreadySeenInTheWindow() {
        let clock = FakeClock()
        clock.step = 1
        let gate = VerificationGate(clock: { clock.read() })
        let other = Address(10, 0, 0, 3, port: 3)
        var admitted = 0
        for i in 0..<2_000 {                               // 100 µs each, alternating: 70 ms of budget
            let (ok, bucket, start) = gate.admit(i % 2 == 0 ? flooder : other)
            if ok {
                clock.now += 100_000
                gate.charge(bucket, since: start)
                admitted += 1
            } else {
                clock.now += 1_000
            }
            if clock.now - 1_000_000_000 > 95_000_000 { break }
        }
        XCTAssertEqual(Double(admitted), 700, accuracy: 3, "the two known sources spend 70 % of the window")
        XCTAssertFalse(verify(gate, flooder), "and no more")
        XCTAssertTrue(verify(gate, honest), "a third host's first datagram gets in on the newcomers' part")
        XCTAssertFalse(verify(gate, honest), "its second is not its first in the window, and the budget is spent")
        XCTAssertEqual(gate.counters.admittedAsNewcomer, 1)
    }

    /// A lone source whose every datagram takes 100 µs, offered back to back for 10 windows: with no backlog
    /// it may use every window whole; with one, 70 % of each, and the rest is shed.
    func testTheShareAppliesOnlyWhileTheSocketIsBacklogged() {
        for backlogged in [false, true] {
            let clock = FakeClock()
            clock.step = 1
            let origin = clock.now
            let gate = VerificationGate(clock: { clock.read() })
            gate.backlogProbe = { backlogged }
            var admitted = 0
            while clock.now - origin < 1_000_000_000 {
                let (ok, bucket, start) = gate.admit(flooder)
                if ok {
                    clock.now += 100_000
                    gate.charge(bucket, since: start)
                    admitted += 1
                } else {
                    clock.now += 1_000   // shedding is cheap
                }
            }
            if backlogged {
                XCTAssertEqual(Double(admitted), 7_000, accuracy: 200, "70 % of 10 windows of 100 µs datagrams")
                XCTAssertGreaterThan(gate.counters.shed, 10_000)
                XCTAssertEqual(gate.counters.backloggedWindows, gate.counters.windows)
            } else {
                XCTAssertEqual(gate.counters.shed, 0, "with no backlog, nothing waits behind a lone source")
                XCTAssertGreaterThan(admitted, 9_900)
                XCTAssertEqual(gate.counters.backloggedWindows, 0)
                XCTAssertGreaterThanOrEqual(gate.counters.windows, 10)
            }
        }
    }

    /// Two sources share the budget (50 ms of each window apiece); one offers 70 ms of 100 µs datagrams in one
    /// window. While the socket keeps up, the 20 ms past its part are admitted (a node that shares its CPU sees
    /// verifications take longer in wall time, and would otherwise refuse work it has time for); once the probe
    /// says backlogged, asked again at most once a millisecond, the part holds for the rest of the window (whose
    /// budget may then be spent, so that the other source waits for the next one) and for backlogged windows after.
    func testASourcePastItsPartIsAdmittedWhileTheSocketKeepsUp() {
        let clock = FakeClock()
        clock.step = 1
        var backlogged = false
        var probes = 0
        let gate = VerificationGate(clock: { clock.read() })
        gate.backlogProbe = {
            probes += 1
            return backlogged
        }
        func offer(_ source: Address) -> Bool { self.offer(gate, clock, source) }
        XCTAssertTrue(offer(honest), "the second source shows up: each now has half of the window")
        var admitted = 0
        for _ in 0..<700 where offer(flooder) { admitted += 1 }
        XCTAssertEqual(admitted, 700, "70 ms in a window where its part is 50 ms: the socket keeps up")
        XCTAssertEqual(gate.counters.shed, 0)
        XCTAssertEqual(Double(gate.counters.admittedPastPart), 200, accuracy: 2)
        XCTAssertLessThanOrEqual(probes, 2 + 21, "asked at the window's start and at most once a millisecond past the part")
        XCTAssertEqual(gate.counters.backloggedWindows, 0)

        backlogged = true
        clock.now += 1_000_000
        XCTAssertFalse(offer(flooder), "once the socket backs up, the part holds")
        XCTAssertFalse(offer(flooder))
        XCTAssertEqual(gate.counters.shed, 2)
        XCTAssertEqual(gate.counters.backloggedWindows, 1)

        // The next window begins backlogged: 70 ms of budget, 35 ms apiece, held from the start.
        clock.now += 100_000_000
        XCTAssertTrue(offer(honest), "the other source finds its part in the next window")
        admitted = 0
        for _ in 0..<700 where offer(flooder) { admitted += 1 }
        XCTAssertEqual(Double(admitted), 350, accuracy: 2, "held to its part: \(admitted)")
        XCTAssertTrue(offer(honest), "and the other source still finds its part")
    }

    /// A window that starts with the socket keeping up lets known sources spend past the backlogged budget; when it
    /// turns backlogged, the newcomers' part starts from what they spent, not from the budget they are already past.
    func testTheNewcomersPartStartsFromWhatWasSpentWhenTheWindowTurnsBacklogged() {
        let clock = FakeClock()
        clock.step = 1
        var backlogged = false
        let gate = VerificationGate(clock: { clock.read() })
        gate.backlogProbe = { backlogged }
        func offer(_ source: Address) -> Bool { self.offer(gate, clock, source) }
        XCTAssertTrue(offer(honest), "a second source: each has half of the window")
        var admitted = 0
        for _ in 0..<849 where offer(flooder) { admitted += 1 }
        XCTAssertEqual(admitted, 849, "85 ms of a window that keeps up, past the 70 ms a backlogged one allows")
        XCTAssertGreaterThan(gate.counters.admittedPastPart, 300, "the flooder went past its part")
        backlogged = true
        clock.now += 1_000_000
        XCTAssertFalse(offer(flooder), "backlogged now: the known sources are past their parts")
        let newcomer = Address(10, 0, 0, 3, port: 3)
        XCTAssertTrue(offer(newcomer), "a newcomer's first datagram finds the newcomers' part above what was spent")
        XCTAssertEqual(gate.counters.admittedAsNewcomer, 1)
        XCTAssertEqual(gate.counters.backloggedWindows, 1)
    }

    /// A newcomer share that is not a number counts as none; one past the window is the whole window.
    func testOddNewcomerSharesAreClamped() {
        let clock = FakeClock()
        for share in [Double.nan, -1, 5] {
            var settings = VerificationGate.Settings()
            settings.newcomerShare = share
            let gate = VerificationGate(settings: settings, clock: { clock.read() })
            XCTAssertTrue(verify(gate, flooder), "\(share)")
        }
    }

    func testAPerSourceCapHoldsEvenWhenIdle() {
        let clock = FakeClock()
        clock.step = 1_000
        let gate = VerificationGate(settings: .init(perSourceRate: 100), clock: { clock.read() })
        var admitted = 0
        for _ in 0..<1_000 where verify(gate, flooder) { admitted += 1 }   // all inside one 100 ms window
        XCTAssertEqual(admitted, 10, "100/s is 10 per 100 ms window")
        XCTAssertTrue(verify(gate, honest))
    }

    func testManySourcesShareOneFixedTableAndPortsDoNotCountAsSources() {
        let clock = FakeClock()
        clock.step = 10
        let gate = VerificationGate(settings: .init(buckets: 64), clock: { clock.read() })
        for port in 0..<100_000 { _ = verify(gate, Address(10, 0, 0, 1, port: UInt16(truncatingIfNeeded: port))) }
        // One host, whatever its ports: a lone source, never shed.
        XCTAssertEqual(gate.counters.shed, 0)
        for host in 0..<100_000 { _ = verify(gate, Address(host: .v4(UInt32(host)), port: 9)) }
        XCTAssertEqual(gate.counters.admitted + gate.counters.shed, 200_000)
    }

    /// Through a community: a repeat of a verified datagram is dropped unverified and counted.
    func testRemembersOnlyTheDuplicateWindow() throws {
        let clock = FakeClock()
        clock.step = 1
        let gate = VerificationGate(settings: .unmetered, clock: { clock.read() })
        let prefix = CommunityPrefix(communityID: PlainCommunity.defaultID, version: 2)
        func check(_ i: Int) throws -> VerificationGate.Verdict {
            let packet = PacketEncoder.coreSigned(
                IntroductionRequestPayload(destinationAddress: honest, sourceLANAddress: Vectors.bLAN,
                                           sourceWANAddress: Vectors.bWAN, identifier: UInt16(i)),
                prefix: prefix, globalTime: UInt64(i), key: Vectors.keyB)
            return try packet.withUnsafeBytes { gate.check(try SignedPacketView($0), from: Vectors.bWAN) }
        }
        for i in 0..<10 { XCTAssertEqual(try check(i), .valid) }
        XCTAssertEqual(try check(3), .duplicate)
        XCTAssertEqual(gate.rememberedCount, 10)
        clock.now += 3_000_000_000   // past the 2 s duplicate window
        XCTAssertEqual(try check(10), .valid)
        XCTAssertEqual(gate.rememberedCount, 1, "the ten older ones are forgotten")
        XCTAssertEqual(try check(3), .valid, "a repeat after the window is handled again")
    }

    func testRepeatsAreDroppedBeforeVerification() throws {
        let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
        endpoint.router.verificationGate = VerificationGate()
        let clock = ManualClock()
        let community = try PlainCommunity(context: CommunityContext(
            key: Vectors.keyA, endpoint: endpoint, network: Network(), clock: clock, timers: ManualTimerScheduler(clock: clock)))
        let request = PacketEncoder.coreSigned(
            IntroductionRequestPayload(destinationAddress: endpoint.localAddress, sourceLANAddress: Vectors.bLAN,
                                       sourceWANAddress: Vectors.bWAN, identifier: 1),
            prefix: community.prefix, globalTime: 1, key: Vectors.keyB)
        for _ in 0..<3 { endpoint.writeInbound(request, from: Vectors.bWAN) }
        XCTAssertEqual(community.counters.handledByID[Int(MessageID.introductionRequest)], 1)
        XCTAssertEqual(community.counters.duplicates, 2)
        XCTAssertEqual(endpoint.router.verificationGate.counters.admitted, 1)
        community.unload()
    }
}
