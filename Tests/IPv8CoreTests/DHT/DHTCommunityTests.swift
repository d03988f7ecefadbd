import Foundation
import IPv8Testing
import XCTest
@testable import IPv8Core

/// A 20-byte DHT key: SHA-1 of `text`.
private func dhtKey(_ text: String) -> [UInt8] { SHA1Digest.hash(Array(text.utf8)) }

/// The DHT on the simulated network: storing, finding, connecting by mid, churn, hostile datagrams, and
/// lookups in a larger swarm.
final class DHTCommunityTests: XCTestCase {
    var simulation = SimulatedNetwork(seed: 1)
    private var nextPort: UInt16 = 7000

    typealias DHTNodeUnderTest = SimulatedNode<DHTDiscoveryCommunity>

    /// A DHT node with RandomWalk (20) and PingChurn that walks to `bootstrap` while it has no peers.
    func dhtNode(bootstrap: [Address] = []) throws -> DHTNodeUnderTest {
        nextPort += 1
        let node = try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: nextPort), seed: UInt64(nextPort),
                                     bootstrap: bootstrap) { try DHTDiscoveryCommunity(context: $0) }
        _ = node.addRandomWalk(targetPeers: 20)
        node.addStrategy(PingChurn(overlay: node.community), targetPeers: -1)
        return node
    }

    /// `count` nodes that all bootstrap off the first.
    func swarm(_ count: Int) throws -> [DHTNodeUnderTest] {
        let first = try dhtNode()
        var nodes = [first]
        for _ in 1..<count { nodes.append(try dhtNode(bootstrap: [first.address])) }
        return nodes
    }

    func run(within seconds: Double, file: StaticString = #filePath, line: UInt = #line, until condition: () -> Bool) {
        XCTAssertTrue(simulation.run(until: condition, within: seconds, step: 0.05),
                      "condition not reached within \(seconds) simulated s", file: file, line: line)
    }

    /// Waits for a completion-based operation's result.
    func outcome<T>(within seconds: Double = 30, file: StaticString = #filePath, line: UInt = #line,
                  _ start: (@escaping (T) -> Void) -> Void) -> T? {
        var result: T?
        start { result = $0 }
        run(within: seconds, file: file, line: line) { result != nil }
        return result
    }


    func testNodesJoinEachOthersRoutingTablesAndPeers() throws {
        let nodes = try swarm(6)
        run(within: 20) { nodes.allSatisfy { ($0.community.routingTables[.ipv4]?.count ?? 0) >= 5 } }
        for node in nodes {
            let table = node.community.routingTable(for: .ipv4)
            XCTAssertEqual(table.myNodeID, DHTNodeID(address: node.address, mid: node.community.myPeer.mid))
            // PingChurn makes every routing-table node a peer of the DHT's own network, and pings them.
            XCTAssertEqual(Set(node.community.peers.map(\.mid)), Set(table.nodes.map(\.mid)))
            XCTAssertTrue(table.nodes.allSatisfy { $0.status(at: simulation.clock.now) == .good })
        }
    }

    func testAValueStoredByOneNodeIsFoundByAnother() throws {
        let nodes = try swarm(10)
        run(within: 30) { nodes.allSatisfy { ($0.community.routingTables[.ipv4]?.count ?? 0) >= 5 } }
        let unsignedKey = dhtKey("unsigned"), signedKey = dhtKey("signed")
        let stored = outcome { nodes[3].community.storeValue(unsignedKey, data: Array("hello".utf8), completion: $0) }
        XCTAssertFalse(try XCTUnwrap(try stored?.get()).isEmpty)
        let signed = outcome { nodes[4].community.storeValue(signedKey, data: Array("signed hello".utf8), sign: true, completion: $0) }
        XCTAssertNoThrow(try signed?.get())

        let found = try XCTUnwrap(outcome { nodes[8].community.findValues(unsignedKey, completion: $0) }).get()
        XCTAssertEqual(found, [DHTValue(data: Array("hello".utf8))])
        let foundSigned = try XCTUnwrap(outcome { nodes[9].community.findValues(signedKey, completion: $0) }).get()
        XCTAssertEqual(foundSigned.map(\.data), [Array("signed hello".utf8)])
        XCTAssertEqual(foundSigned.first?.publicKey, nodes[4].community.myPeer.publicKeyBin)
        XCTAssertGreaterThan(nodes.map(\.community.dhtCounters.valuesStored).reduce(0, +), 0)

        // A newer signed version replaces the older one for its signer.
        simulation.advance(by: 2)
        _ = outcome { nodes[4].community.storeValue(signedKey, data: Array("v2".utf8), sign: true, completion: $0) }
        let newer = try XCTUnwrap(outcome { nodes[7].community.findValues(signedKey, completion: $0) }).get()
        XCTAssertEqual(newer.map(\.data), [Array("v2".utf8)])

        // Too long to store: refused before anything is sent.
        let tooLong = outcome { nodes[1].community.storeValue(unsignedKey, data: [UInt8](repeating: 1, count: 170), completion: $0) }
        XCTAssertEqual(tooLong.flatMap { try? $0.get() }?.count, nil)
    }

    func testALookupWithoutNodesFails() throws {
        let lonely = try dhtNode()
        let result = outcome { lonely.community.findValues(dhtKey("x"), completion: $0) }
        XCTAssertEqual(result.map { (try? $0.get()) == nil }, true)
        let stored = outcome { lonely.community.storeValue(dhtKey("x"), data: [1], completion: $0) }
        XCTAssertEqual(stored.map { (try? $0.get()) == nil }, true)
    }

    func testAPeerIsConnectedByItsMidThroughTheDHT() throws {
        let nodes = try swarm(8)
        run(within: 30) { nodes.allSatisfy { ($0.community.routingTables[.ipv4]?.count ?? 0) >= 4 } }
        let sought = nodes[2]
        let storedOn = try XCTUnwrap(outcome { sought.community.storePeer(completion: $0) }).get()
        XCTAssertFalse(storedOn.isEmpty)
        // A newcomer holds no stored peers, so the connect goes over the wire to the nodes storing the mid.
        let newcomer = try dhtNode(bootstrap: [nodes[0].address])
        run(within: 30) { (newcomer.community.routingTables[.ipv4]?.count ?? 0) >= 4 }
        XCTAssertNil(newcomer.community.store[sought.community.myPeer.mid])
        let punctureRequestsBefore = sought.community.counters.handledByID[Int(MessageID.punctureRequest)]
        let found = try XCTUnwrap(outcome { newcomer.community.connectPeer(sought.community.myPeer.mid, completion: $0) }).get()
        XCTAssertEqual(found.map(\.mid), [sought.community.myPeer.mid])
        XCTAssertEqual(found.first?.address, sought.address)
        run(within: 5) { sought.community.counters.handledByID[Int(MessageID.punctureRequest)] > punctureRequestsBefore }

        let unknown = outcome { newcomer.community.connectPeer(dhtKey("nobody"), completion: $0) }
        XCTAssertEqual(unknown.map { (try? $0.get()) == nil }, true)
    }

    func testChurnDropsANodeThatStopsAnswering() throws {
        let nodes = try swarm(5)
        run(within: 20) { nodes.allSatisfy { ($0.community.routingTables[.ipv4]?.count ?? 0) >= 4 } }
        let gone = nodes[4]
        gone.stop()
        let goneID = DHTNodeID(address: gone.address, mid: gone.community.myPeer.mid)
        // Two unanswered pings (25 s apart) make it bad; the next churn step removes it everywhere.
        run(within: 120) {
            nodes.prefix(4).allSatisfy { !$0.community.routingTable(for: .ipv4).has(goneID) &&
                !$0.community.peers.contains { $0.mid == gone.community.myPeer.mid } }
        }
    }

    func testHostileDatagramsAreCountedDrops() throws {
        let nodes = try swarm(3)
        run(within: 20) { nodes.allSatisfy { ($0.community.routingTables[.ipv4]?.count ?? 0) >= 2 } }
        let victim = nodes[0].community
        let attackerKey = PrivateKey.deterministic(seed: 999)
        let attacker = try simulation.attach(at: Address(127, 0, 0, 1, port: 6999))
        let prefix = CommunityPrefix(communityID: DHTCommunity.id)
        func send<P: Payload>(_ payload: P) {
            attacker.send(PacketEncoder.ezSigned(payload, prefix: prefix, key: attackerKey), to: nodes[0].address)
            _ = simulation.deliverMessages()
        }
        let before = victim.dhtCounters
        send(DHTStoreRequest(identifier: 1, token: [UInt8](repeating: 0, count: 20), target: dhtKey("k"), values: [[0, 1]]))
        XCTAssertEqual(victim.dhtCounters.badToken, before.badToken + 1)
        XCTAssertEqual(victim.storage(for: .ipv4).count, 0)
        send(DHTStoreRequest(identifier: 2, token: [UInt8](repeating: 0, count: 20), target: dhtKey("k"),
                             values: [[UInt8](repeating: 0, count: 171)]))
        XCTAssertEqual(victim.dhtCounters.oversizedStores, before.oversizedStores + 1)
        send(DHTPingResponse(identifier: 77))
        send(DHTFindResponse(identifier: 78, token: [UInt8](repeating: 0, count: 20), values: [], nodes: []))
        XCTAssertEqual(victim.dhtCounters.unexpectedResponses, before.unexpectedResponses + 2)
        send(DHTStorePeerRequest(identifier: 3, token: [UInt8](repeating: 0, count: 20), target: dhtKey("someone else")))
        XCTAssertEqual(victim.dhtCounters.badToken, before.badToken + 2)

        // A truncated find request does not decode.
        let malformedBefore = victim.counters.malformed
        var truncated = PacketEncoder.ezSigned(DHTFindRequest(identifier: 4, lanAddress: Address(127, 0, 0, 1, port: 1),
                                                              target: dhtKey("k"), offset: 0, forceNodes: false),
                                               prefix: prefix, key: attackerKey)
        truncated.removeLast(70)
        attacker.send(truncated, to: nodes[0].address)
        _ = simulation.deliverMessages()
        XCTAssertGreaterThan(victim.counters.malformed + victim.counters.badSignature, malformedBefore)

        // More than 10 queries in 5 s (the two store requests above count too): the rest are dropped
        // until the window passes.
        let pongsBefore = victim.counters.handledByID[Int(DHTPingRequest.messageID)]
        for i in 0..<15 { send(DHTPingRequest(identifier: UInt32(100 + i))) }
        XCTAssertEqual(victim.dhtCounters.rateLimited, before.rateLimited + 7)
        simulation.advance(by: 5.1)
        send(DHTPingRequest(identifier: 200))
        XCTAssertEqual(victim.dhtCounters.rateLimited, before.rateLimited + 7, "the window passed")
        XCTAssertEqual(victim.counters.handledByID[Int(DHTPingRequest.messageID)], pongsBefore + 16, "decoded and verified, then dropped")

        // The node still works.
        let stored = outcome { nodes[1].community.storeValue(dhtKey("after"), data: [1, 2, 3], completion: $0) }
        XCTAssertNoThrow(try stored?.get())
        let found = try XCTUnwrap(outcome { nodes[2].community.findValues(dhtKey("after"), completion: $0) }).get()
        XCTAssertEqual(found, [DHTValue(data: [1, 2, 3])])
    }

    func testAResponseListingUsIsNotCrawledBackToUs() throws {
        let node = try dhtNode().community
        let other = PrivateKey.deterministic(seed: 5).publicKey
        let entries = [DHTNodeEntry(address: Address(127, 0, 0, 1, port: 1), publicKeyBin: node.myPeer.publicKeyBin),
                       DHTNodeEntry(address: Address(127, 0, 0, 1, port: 2), publicKeyBin: other.bin)]
        XCTAssertEqual(node.dhtNodes(entries)?.map(\.mid), [other.mid])
        XCTAssertNil(node.dhtNodes([DHTNodeEntry(address: Address(127, 0, 0, 1, port: 3), publicKeyBin: [1, 2, 3])]))
        XCTAssertEqual(node.dhtCounters.badNodeEntries, 1)
    }

    func testStorageForOthersIsCapped() throws {
        let first = try dhtNode()
        nextPort += 1
        var settings = DHTCommunity.Settings()
        settings.maxStoredValues = 1
        let capped = try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: nextPort), seed: 77,
                                       bootstrap: [first.address]) { try DHTDiscoveryCommunity(context: $0, settings: settings) }
        _ = capped.addRandomWalk()
        run(within: 10) { first.community.routingTable(for: .ipv4).has(DHTNodeID(address: capped.address, mid: capped.community.myPeer.mid)) }
        _ = outcome { first.community.storeValue(dhtKey("one"), data: [1], completion: $0) }
        _ = outcome { first.community.storeValue(dhtKey("two"), data: [2], completion: $0) }
        XCTAssertEqual(capped.community.storage(for: .ipv4).count, 1)
        XCTAssertEqual(capped.community.dhtCounters.storageFull, 1)
    }

    /// Lookups in a swarm (IPV8_DHT_NODES nodes, default 64; signatures skipped for speed): each node
    /// joins through a few earlier ones, stores itself under its mid (a Kademlia self-lookup), then values
    /// stored at random nodes are looked up from others. Prints the success rate and mean hops.
    func testLookupsInASwarmSucceedInAboutLogNHops() throws {
        let count = ProcessInfo.processInfo.environment["IPV8_DHT_NODES"].flatMap(Int.init) ?? 64
        simulation = SimulatedNetwork(seed: 3, latency: 0.01, signatures: .skipped)
        let random = RandomSource(seed: 5)
        var nodes: [DHTNodeUnderTest] = []
        for i in 0..<count {
            let bootstrap = i == 0 ? [] : (0..<3).map { _ in nodes[random.int(in: 0...(i - 1))].address }
            nodes.append(try dhtNode(bootstrap: bootstrap))
        }
        simulation.advance(by: 35)   // a round of store_peer self-lookups
        let lookups = 50
        var keys: [[UInt8]] = []
        for i in 0..<lookups {
            let k = dhtKey("value \(i)")
            keys.append(k)
            let storer = nodes[random.int(in: 0...(count - 1))]
            _ = outcome(within: 60) { storer.community.storeValue(k, data: Array("v\(i)".utf8), completion: $0) }
        }
        var successes = 0
        var hops: [Int] = []
        var requests: [Int] = []
        for (i, k) in keys.enumerated() {
            let finder = nodes[random.int(in: 0...(count - 1))]
            guard let lookup = try outcome(within: 60, { finder.community.find(k, forceNodes: false, offset: 0, completion: $0) })?.get()
            else { continue }
            if lookup.values.map(\.data) == [Array("v\(i)".utf8)] { successes += 1 }
            if let hop = lookup.crawls.first?.valueHop { hops.append(hop) }
            requests.append(lookup.crawls.map(\.requests).reduce(0, +))
        }
        let meanHops = Double(hops.reduce(0, +)) / Double(max(1, hops.count))
        let meanRequests = Double(requests.reduce(0, +)) / Double(max(1, requests.count))
        print(String(format: "DHT-LOOKUPS nodes=%d success=%d/%d mean_hops=%.2f log2(N)=%.2f mean_requests=%.1f",
                     count, successes, lookups, meanHops, log2(Double(count)), meanRequests))
        XCTAssertGreaterThanOrEqual(Double(successes) / Double(lookups), 0.95)
        XCTAssertLessThanOrEqual(meanHops, log2(Double(count)))
    }
}

/// The async forms, from a task body on the community's loop (simulated time drives it).
final class DHTAsyncTests: XCTestCase {
    func testAsyncStoreFindAndConnectFromATaskBody() throws {
        let simulation = SimulatedNetwork(seed: 2)
        var nodes: [SimulatedNode<DHTDiscoveryCommunity>] = []
        for i in 0..<5 {
            let node = try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: UInt16(7100 + i)), seed: UInt64(i + 1),
                                         bootstrap: nodes.first.map { [$0.address] } ?? []) { try DHTDiscoveryCommunity(context: $0) }
            _ = node.addRandomWalk()
            node.addStrategy(PingChurn(overlay: node.community), targetPeers: -1)
            nodes.append(node)
        }
        XCTAssertTrue(simulation.run(until: { nodes.allSatisfy { $0.community.routingTable(for: .ipv4).count >= 4 } }, within: 20))
        let reader = nodes[4].community, writer = nodes[1].community, sought = nodes[2].community
        var found: [DHTValue]?
        var connected: [DHTNode]?
        var failure: DHTError?
        try writer.tasks.register("write", async: {
            try await writer.storeValue(dhtKey("async"), data: [4, 2], sign: true)
            try await sought.storePeer()
            found = try await reader.findValues(dhtKey("async"))
            connected = try await reader.connectPeer(sought.myPeer.mid)
            do throws(DHTError) { _ = try await reader.findValues([1, 2, 3]) } catch { failure = error }
        })
        XCTAssertTrue(simulation.run(until: { failure != nil }, within: 60))
        XCTAssertEqual(found?.map(\.data), [[4, 2]])
        XCTAssertEqual(connected?.first?.mid, sought.myPeer.mid)
        XCTAssertEqual(failure, DHTError("A key has 20 bytes"))
    }
}

