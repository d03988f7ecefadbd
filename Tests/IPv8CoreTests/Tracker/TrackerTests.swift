import IPv8Testing
import XCTest
@testable import IPv8Core

/// The tracker on the simulated network: nodes that bootstrap only off it find the peers of their own
/// community; it churns the silent; its memory stays within its limits; bad datagrams are counted.
final class TrackerTests: SimulatedTestCase {
    let trackerAddress = Address(127, 0, 0, 1, port: 6421)
    let otherID = CommunityID(bytes: [UInt8](repeating: 0x17, count: 20))!

    func makeTracker(_ settings: Tracker.Settings = Tracker.Settings()) throws -> Tracker {
        let tracker = Tracker(key: try .generate(curve: .sect163k1), endpoint: try simulation.attach(at: trackerAddress),
                              clock: simulation.clock, timers: simulation, random: RandomSource(seed: 99),
                              settings: settings)
        tracker.start()
        return tracker
    }

    /// A node of `id` that knows only the tracker.
    func member(of id: CommunityID, key: PrivateKey? = nil) throws -> SimulatedNode<PlainCommunity> {
        let port = UInt16(9100 + trackerNodes)
        trackerNodes += 1
        let node = try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: port), seed: UInt64(port),
                                     key: key, trackers: [trackerAddress]) { try PlainCommunity(communityID: id, context: $0) }
        node.addRandomWalk(targetPeers: 20)
        return node
    }
    private var trackerNodes = 0

    static func allKnowEachOther(_ nodes: [SimulatedNode<PlainCommunity>]) -> Bool {
        for n in nodes { for m in nodes where m !== n { if !n.knows(m) { return false } } }
        return true
    }

    func testNodesOfTwoCommunitiesFindTheirOwnPeersThroughTheTracker() throws {
        let tracker = try makeTracker()
        let a = try [member(of: PlainCommunity.defaultID, key: try .generate(curve: .sect409k1)),
                     member(of: PlainCommunity.defaultID), member(of: PlainCommunity.defaultID)]
        let b = try [member(of: otherID, key: try .generate(curve: .sect163k1)), member(of: otherID)]
        run(within: 30) {
            Self.allKnowEachOther(a) && Self.allKnowEachOther(b)
        }
        for node in a + b {
            XCTAssertTrue(node.network.isBlacklisted(trackerAddress))
            XCTAssertFalse(node.community.peers.contains { $0.address == trackerAddress }, "the tracker is never a peer")
        }
        for n in a { for m in b { XCTAssertFalse(n.knows(m) || m.knows(n), "communities stay apart") } }
        XCTAssertEqual(tracker.communityCount, 2)
        XCTAssertEqual(tracker.peerCount, 5)
        XCTAssertEqual(Set(tracker.members(of: a[0].community.prefix)), Set(a.map { $0.address }))
        XCTAssertGreaterThan(tracker.counters.introductions, 0)
    }

    func testTrackerPingsAreAnsweredAndSilentPeersAreForgotten() throws {
        let tracker = try makeTracker()
        let nodes = try (0..<4).map { _ in try member(of: PlainCommunity.defaultID) }
        run(within: 30) { tracker.peerCount == 4 }
        // Every churn round pings the (at most 8) known peers not pinged within 10 s; live nodes answer.
        simulation.advance(by: 65)
        XCTAssertGreaterThan(tracker.counters.pongs, 4)
        XCTAssertEqual(tracker.counters.pingTimeouts, 0)
        XCTAssertEqual(tracker.peerCount, 4, "answering nodes stay known")
        nodes[0].stop()
        let gone = nodes[0].address
        run(within: 30) { !tracker.members(of: nodes[1].community.prefix).contains(gone) }
        XCTAssertEqual(tracker.peerCount, 3)
        XCTAssertGreaterThanOrEqual(tracker.counters.pingTimeouts, 1)
        XCTAssertEqual(tracker.pendingPingCount, 0, "no ping is left waiting once answered or timed out")
    }

    func testKeepAliveWalksReachTheTrackerAlthoughNodesHavePeers() throws {
        let tracker = try makeTracker()
        let nodes = try (0..<3).map { _ in try member(of: PlainCommunity.defaultID) }
        run(within: 30) { nodes.allSatisfy { $0.community.peerCount == 2 } }
        let before = tracker.counters.requests
        simulation.advance(by: 120)   // ~240 walks per node at 0.5 s, 5 % of them to the tracker
        let keepAlives = tracker.counters.requests - before
        XCTAssertGreaterThan(keepAlives, 10)
        XCTAssertLessThan(keepAlives, 80)
    }

    func testAFullCommunityForgetsItsOldestMemberAndTotalsRefuseNewcomers() throws {
        let tracker = try makeTracker(Tracker.Settings(maxPeersPerCommunity: 3, maxCommunities: 1, maxPeers: 10))
        var nodes: [SimulatedNode<PlainCommunity>] = []
        for _ in 0..<5 {
            nodes.append(try member(of: PlainCommunity.defaultID))
            run(within: 5) { tracker.members(of: nodes[0].community.prefix).contains(nodes.last!.address) }
        }
        XCTAssertEqual(Set(tracker.members(of: nodes[0].community.prefix)), Set(nodes.suffix(3).map { $0.address }),
                       "the newest three are kept")
        XCTAssertEqual(tracker.counters.forgotten, 2)
        // A second community exceeds maxCommunities: answered (the node hears back) but not remembered.
        let outsider = try member(of: otherID)
        run(within: 5) { outsider.community.counters.handledByID[Int(MessageID.introductionResponse)] > 0 }
        XCTAssertEqual(tracker.communityCount, 1)
        XCTAssertGreaterThan(tracker.counters.refused, 0)
        XCTAssertTrue(outsider.community.peers.isEmpty)
    }

    func testBadDatagramsAreCountedDropsThatChangeNothing() throws {
        let tracker = try makeTracker()
        let node = try member(of: PlainCommunity.defaultID)
        run(within: 5) { tracker.peerCount == 1 }
        let sender = try simulation.attach(at: Address(127, 0, 0, 1, port: 9999))
        var request = node.community.createIntroductionRequest(to: trackerAddress)
        request[request.count - 1] ^= 0x01
        sender.send(request, to: trackerAddress)
        sender.send(Array(request.prefix(40)), to: trackerAddress)
        var garbage = node.community.prefix.bytes + [MessageID.introductionRequest]
        garbage += [UInt8](repeating: 0xFF, count: 60)
        sender.send(garbage, to: trackerAddress)
        sender.send(node.community.prefix.bytes + [7, 1, 2, 3], to: trackerAddress)
        _ = simulation.deliverMessages()
        XCTAssertEqual(tracker.counters.badSignature, 1)
        XCTAssertEqual(tracker.counters.malformed, 2)
        XCTAssertEqual(tracker.counters.ignored, 1)
        XCTAssertEqual(tracker.peerCount, 1)
        XCTAssertEqual(tracker.members(of: node.community.prefix), [node.address])
    }
}

final class TrackerTableTests: XCTestCase {
    let a = CommunityPrefix(communityID: CommunityID(bytes: [UInt8](repeating: 1, count: 20))!)
    let b = CommunityPrefix(communityID: CommunityID(bytes: [UInt8](repeating: 2, count: 20))!)
    func address(_ port: UInt16) -> Address { Address(127, 0, 0, 1, port: port) }

    func testAPeerInTwoCommunitiesLeavesTheTableWithItsLastOne() {
        var table = TrackerTable(limits: .init(maxPeers: 10, maxCommunities: 10, maxPeersPerCommunity: 10))
        let x = address(1)
        XCTAssertEqual(table.record(x, mid: [1], lan: x, newStyle: false, prefix: a, now: 0), .stored)
        XCTAssertEqual(table.record(x, mid: [1], lan: x, newStyle: false, prefix: b, now: 1), .stored)
        XCTAssertEqual(table.membershipCount, 2)
        table.dropService(a, from: x)
        XCTAssertEqual(table.peerCount, 1)
        XCTAssertEqual(table.communityCount, 1)
        table.dropService(b, from: x)
        XCTAssertEqual(table.peerCount, 0)
        XCTAssertEqual(table.communityCount, 0)
    }

    func testANewKeyAtAKnownAddressReplacesThePeer() {
        var table = TrackerTable(limits: .init(maxPeers: 10, maxCommunities: 10, maxPeersPerCommunity: 10))
        let x = address(1)
        _ = table.record(x, mid: [1], lan: x, newStyle: false, prefix: a, now: 0)
        _ = table.record(x, mid: [2], lan: x, newStyle: false, prefix: b, now: 5)
        XCTAssertEqual(table.peers[x]?.mid, [2])
        XCTAssertEqual(table.peers[x]?.services, [b])
        XCTAssertEqual(table.peers[x]?.created, 5)
        XCTAssertNil(table.communities[a])
    }

    func testIntroductionsNeverNameTheRequesterAndCoverEveryOtherMember() {
        var table = TrackerTable(limits: .init(maxPeers: 10, maxCommunities: 10, maxPeersPerCommunity: 10))
        for port in 1...4 { _ = table.record(address(UInt16(port)), mid: [UInt8(port)], lan: address(UInt16(port)),
                                             newStyle: false, prefix: a, now: 0) }
        let random = RandomSource(seed: 3)
        var seen = Set<Address>()
        for _ in 0..<200 {
            let pick = table.introduction(for: a, excluding: address(2), using: random)!.address
            XCTAssertNotEqual(pick, address(2))
            seen.insert(pick)
        }
        XCTAssertEqual(seen, [address(1), address(3), address(4)])
        XCTAssertNil(table.introduction(for: b, excluding: address(1), using: random))
    }

    /// A dual-stack tracker introduces each requester to members of its own family only.
    func testIntroductionsNameAMemberOfTheRequestersFamily() {
        var table = TrackerTable(limits: .init(maxPeers: 10, maxCommunities: 10, maxPeersPerCommunity: 10))
        let v4 = (1...4).map { address(UInt16($0)) }
        let v6 = ["[fd00:13::3]:8090", "[fd00:13::4]:8090"].map { Address($0)! }
        for (i, member) in (v4 + v6).enumerated() {
            _ = table.record(member, mid: [UInt8(i)], lan: member, newStyle: true, prefix: a, now: 0)
        }
        let random = RandomSource(seed: 5)
        var seen4 = Set<Address>(), seen6 = Set<Address>()
        for _ in 0..<100 {
            seen4.insert(table.introduction(for: a, excluding: v4[0], using: random)!.address)
            seen6.insert(table.introduction(for: a, excluding: v6[0], using: random)!.address)
        }
        XCTAssertEqual(seen4, Set(v4.dropFirst()))
        XCTAssertEqual(seen6, [v6[1]])
        table.remove(v6[1])
        XCTAssertNil(table.introduction(for: a, excluding: v6[0], using: random), "no other IPv6 member: nobody")
    }

    /// One host cannot take a community over from many ports: it holds at most `maxPeersPerHost` slots.
    func testOneHostHoldsAtMostItsShareOfSlots() {
        var table = TrackerTable(limits: .init(maxPeers: 1_000, maxCommunities: 10, maxPeersPerCommunity: 100,
                                               maxPeersPerHost: 8))
        for host in 1...20 {
            let honest = Address(10, 0, 0, UInt8(host), port: 1)
            _ = table.record(honest, mid: [UInt8(host)], lan: honest, newStyle: false, prefix: a, now: 0)
        }
        var refused = 0
        for port in 1...500 {
            let attacker = Address(192, 0, 2, 1, port: UInt16(port))
            if table.record(attacker, mid: [0xEE], lan: attacker, newStyle: false, prefix: a, now: 1) == .refusedPeerLimit { refused += 1 }
        }
        XCTAssertEqual(refused, 492)
        XCTAssertEqual(table.communities[a]?.count, 28, "the twenty honest members stay")
        table.remove(Address(192, 0, 2, 1, port: 1))
        let again = Address(192, 0, 2, 1, port: 999)
        XCTAssertEqual(table.record(again, mid: [0xEE], lan: again, newStyle: false, prefix: a, now: 2), .stored, "a freed slot")
    }

    func testMemoryStaysBoundedUnderAFloodOfFreshIdentitiesAndCommunities() {
        let limits = TrackerTable.Limits(maxPeers: 50, maxCommunities: 5, maxPeersPerCommunity: 20, maxPeersPerHost: 50)
        var table = TrackerTable(limits: limits)
        let random = RandomSource(seed: 1)
        for i in 0..<5_000 {
            let prefix = CommunityPrefix(communityID: CommunityID(bytes: [UInt8](repeating: UInt8(random.int(in: 0...20)), count: 20))!)
            let x = address(UInt16(1 + random.int(in: 0...2_000)))
            _ = table.record(x, mid: [UInt8(i & 0xFF)], lan: x, newStyle: false, prefix: prefix, now: Double(i))
            XCTAssertLessThanOrEqual(table.peerCount, limits.maxPeers)
            XCTAssertLessThanOrEqual(table.communityCount, limits.maxCommunities)
            XCTAssertTrue(table.communities.values.allSatisfy { $0.count <= limits.maxPeersPerCommunity })
        }
        // The table is consistent: every membership names a known peer that lists it.
        for (prefix, members) in table.communities {
            for x in members.elements { XCTAssertTrue(table.peers[x]?.services.contains(prefix) ?? false) }
        }
        XCTAssertEqual(table.membershipCount, table.peers.values.reduce(0) { $0 + $1.services.count })
        XCTAssertEqual(table.addresses.count, table.peerCount)
    }
}
