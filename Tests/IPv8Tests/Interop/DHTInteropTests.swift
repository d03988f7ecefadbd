import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IPv8TestSupport
import IPv8Testing
import XCTest
@testable import IPv8

/// Our DHT (`DHTDiscoveryCommunity` on a real UDP socket on 127.0.0.1, with RandomWalk and PingChurn) and
/// py-ipv8 3.2.1's own `DHTDiscoveryCommunity` (Tests/Interop/dht_node.py), asserting from both sides:
/// routing tables, values stored and found both ways (signed, unsigned, with a legacy EC key), peers
/// connected by mid through a third node both ways, and bad DHT datagrams counted and dropped.
final class DHTInteropTests: XCTestCase {
    /// One of our DHT nodes on 127.0.0.1 (any port).
    final class OurDHTNode {
        let service: IPv8Service
        let dht: DHTDiscoveryCommunity

        /// A node; `walk` adds a RandomWalk (20 peers, as py-ipv8's default configuration), `churn` a
        /// PingChurn (-1). Our own `store_peer` task is pushed out of the test's way (an hour): tests call
        /// ``DHTDiscoveryCommunity/storePeer(completion:)`` themselves, so whom we store ourselves on is theirs
        /// to decide.
        init(loop: EventLoop, key: PrivateKey = .generate(), walk: Bool = true, churn: Bool = true) throws {
            service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0),
                                      scheduling: .init(walkInterval: .milliseconds(500)))
            service.endpoint.sendsOnlyToLoopback = true   // counted in assertStayedOnLoopback
            var settings = DHTCommunity.Settings()
            settings.storePeerInterval = .seconds(3600)
            dht = service.addOverlay(try DHTDiscoveryCommunity(context: service.context(key: key), settings: settings))
            if walk { service.addStrategy(RandomWalk(overlay: dht), targetPeers: 20) }
            if churn { service.addStrategy(PingChurn(overlay: dht), targetPeers: -1) }
            service.start()
        }

        var address: Address { service.endpoint.localAddress }
        var mid: String { Hex.encode(dht.myPeer.mid) }
        var publicKey: String { Hex.encode(dht.key.publicKey.bin) }
        var table: DHTRoutingTable? { dht.routingTables[.ipv4] }

        /// Our routing table's node with this mid (hex), if any.
        func node(mid: String) -> DHTNode? { table?.nodes.first { Hex.encode($0.mid) == mid } }
        func knows(_ py: PyDHTNode) -> Bool { py.started.map { node(mid: $0.mid) != nil } ?? false }
        func knows(_ other: OurDHTNode) -> Bool { node(mid: other.mid) != nil }
        /// Our IPv4 storage's values under `key`.
        func stored(_ key: [UInt8]) -> [[UInt8]] { dht.storages[.ipv4]?.get(key) ?? [] }
    }

    // MARK: Helpers

    static func randomKey() -> [UInt8] { (0..<20).map { _ in UInt8.random(in: 0...255) } }

    /// A py-ipv8 DHT node that has said it started.
    func startedPyNode(_ loop: EventLoop, walkTo: [OurDHTNode] = [], pyWalkTo: [PyDHTNode] = [],
                       key: String = "curve25519", storePeerInterval: Double? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> PyDHTNode {
        let py = try PyDHTNode(walkTo: walkTo.map(\.address.description) + pyWalkTo.compactMap(\.address), key: key,
                               duration: 90, storePeerInterval: storePeerInterval)
        drive(loop, seconds: 30, file: file, line: line) { py.started != nil && py.status != nil }
        return py
    }

    /// Drives `loop` until py-ipv8 answered command `id` (or `seconds` passed).
    func answer(_ py: PyDHTNode, _ id: Int, _ loop: EventLoop, seconds: Double = 40,
                file: StaticString = #filePath, line: UInt = #line) -> PyDHTNode.Answer? {
        drive(loop, seconds: seconds, file: file, line: line) { py.answer(id) != nil }
        let answer = py.answer(id)
        if let answer, !answer.ok {
            XCTFail("py-ipv8 command \(id) failed: \(answer.error ?? "?"); stderr: \(py.errors.suffix(2000))",
                    file: file, line: line)
        }
        return answer
    }

    /// Starts a callback-based operation of ours and drives `loop` until its completion ran.
    func result<T>(_ loop: EventLoop, seconds: Double = 30, file: StaticString = #filePath, line: UInt = #line,
                   _ start: (@escaping (T) -> Void) -> Void) -> T? {
        var outcome: T?
        start { outcome = $0 }
        drive(loop, seconds: seconds, file: file, line: line) { outcome != nil }
        return outcome
    }

    /// Drives `loop` until our node and the py-ipv8 node each have the other in their routing table, and
    /// each has had an answer to a ping from the other (so neither looks bad to the other).
    func joinBothWays(_ ours: OurDHTNode, _ py: PyDHTNode, _ loop: EventLoop,
                      file: StaticString = #filePath, line: UInt = #line) {
        drive(loop, seconds: 30, file: file, line: line) {
            guard let pyNode = py.started.flatMap({ ours.node(mid: $0.mid) }) else { return false }
            let ourEntry = py.status?.routingTable.first { $0.mid == ours.mid }
            return pyNode.lastResponse != nil && ourEntry?.status == DHTNode.Status.good.rawValue
        }
    }

    /// Asserts that none of our nodes tried to send outside 127.0.0.0/8.
    func assertStayedOnLoopback(_ nodes: OurDHTNode..., file: StaticString = #filePath, line: UInt = #line) {
        for node in nodes {
            XCTAssertEqual(node.service.endpoint.counters.sendsRefusedOffLoopback, 0, "our node tried to send off loopback",
                           file: file, line: line)
        }
    }

    func assertCleanStop(_ py: PyDHTNode, file: StaticString = #filePath, line: UInt = #line) {
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send outside 127.0.0.0/8", file: file, line: line)
        XCTAssertEqual(py.process.terminationStatus, 0, "dht_node exit status; stderr: \(py.errors.suffix(2000))",
                       file: file, line: line)
    }

    /// Skips (rather than fails) when no Python with py-ipv8 is at hand, as the brief of these tests asks.
    /// Fails (never skips, as every interop test) when py-ipv8 is missing: `make test` installs it.
    func requirePyIPv8() throws {
        let python = try PyIPv8Node.python()
        let check = try ChildProcess.run(python, ["-c", "import ipv8.dht.discovery"], timeout: 30)
        XCTAssertEqual(check.status, 0, "py-ipv8 is not importable by \(python.path): \(check.stderr.suffix(500))")
    }

    // MARK: Routing tables

    /// A py-ipv8 DHT node walks to ours: each ends up in the other's routing table under the node id the
    /// other computes for itself (CRC-32 of the masked IP + mid), each answers the other's pings, and each
    /// has the other as a peer of the DHT overlay (PingChurn on both sides).
    func testOursAndPyIPv8BecomeNodesOfEachOthersRoutingTables() throws {
        try requirePyIPv8()
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try OurDHTNode(loop: loop)
        let py = try startedPyNode(loop, walkTo: [ours])
        defer { py.stop() }
        joinBothWays(ours, py, loop)
        let started = try XCTUnwrap(py.started)

        let pyNode = try XCTUnwrap(ours.node(mid: started.mid))
        XCTAssertEqual(pyNode.id.hex, started.nodeID, "py-ipv8's node id as we compute it")
        XCTAssertEqual(pyNode.address.description, py.address)
        XCTAssertEqual(Hex.encode(pyNode.key.bin), started.publicKey)
        let ourEntry = try XCTUnwrap(py.status?.routingTable.first { $0.mid == ours.mid })
        XCTAssertEqual(ourEntry.nodeID, ours.dht.myNodeID(in: .ipv4).hex, "our node id as py-ipv8 computes it")
        XCTAssertEqual(ourEntry.address, ours.address.description)
        XCTAssertEqual(pyNode.status(at: ours.dht.clock.now), .good)

        // Pings both ways, and each a peer of the other's DHT overlay.
        drive(loop, seconds: 30) {
            let received = py.status?.received ?? [:]
            return (received["PinnedDHTDiscovery:1"] ?? 0) > 0 && (received["PinnedDHTDiscovery:2"] ?? 0) > 0
                && ours.dht.counters.handledByID[1] > 0 && ours.dht.counters.handledByID[2] > 0
                && ours.dht.peers.contains { Hex.encode($0.mid) == started.mid }
                && (py.status?.peers.contains(ours.mid) ?? false)
        }
        XCTAssertEqual(ours.dht.counters.badSignature, 0)
        XCTAssertEqual(ours.dht.counters.malformed, 0)
        XCTAssertEqual(ours.dht.dhtCounters.rateLimited, 0)
        assertStayedOnLoopback(ours)
        assertCleanStop(py)
    }

    // MARK: Values

    func testValuesStoredByEitherSideAreFoundByTheOther() throws {
        try requirePyIPv8()
        try storeAndFindBothWays(pyKey: "curve25519")
    }

    /// py-ipv8's public trackers sign with legacy EC keys (`very-low`): the same exchange with a py-ipv8
    /// node whose messages and signed values carry such a key.
    func testValuesStoredAndFoundWithPyIPv8SigningWithALegacyECKey() throws {
        try requirePyIPv8()
        try storeAndFindBothWays(pyKey: "very-low")
    }

    /// We store a signed and an unsigned value under one key, py-ipv8 finds both (data and signer); py-ipv8
    /// stores a signed and an unsigned value under another, we find both. Each side also holds what the other
    /// stored on it, byte for byte as it was sent.
    func storeAndFindBothWays(pyKey: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try OurDHTNode(loop: loop)
        let py = try startedPyNode(loop, walkTo: [ours], key: pyKey, file: file, line: line)
        defer { py.stop() }
        joinBothWays(ours, py, loop, file: file, line: line)
        let started = try XCTUnwrap(py.started, file: file, line: line)
        let pyKeyBin = try XCTUnwrap(Hex.decode(started.publicKey), file: file, line: line)
        XCTAssertEqual(try PublicKey(bin: pyKeyBin).ec != nil, pyKey != "curve25519", file: file, line: line)

        // Ours → py-ipv8.
        let ourKey = Self.randomKey(), ourKeyHex = Hex.encode(ourKey)
        let signedData = Array("signed by swift-ipv8".utf8), unsignedData = Array("unsigned, from swift-ipv8".utf8)
        for (data, sign) in [(signedData, true), (unsignedData, false)] {
            let stored = result(loop, file: file, line: line) { done in
                ours.dht.storeValue(ourKey, data: data, sign: sign, completion: done)
            }
            let nodes = try XCTUnwrap(stored, file: file, line: line).get()
            XCTAssertEqual(nodes.map { Hex.encode($0.mid) }, [started.mid], "stored on py-ipv8", file: file, line: line)
        }
        // py-ipv8 took both values into its own storage (our store request passed its token check) …
        drive(loop, seconds: 10, file: file, line: line) { (py.status?.storage[ourKeyHex]?.count ?? 0) == 2 }
        let held = (py.status?.storage[ourKeyHex] ?? []).compactMap { Hex.decode($0).flatMap(DHTValue.init(serialized:)) }
        XCTAssertEqual(Set(held.map(\.data)), [signedData, unsignedData], file: file, line: line)
        let ourSigned = try XCTUnwrap(held.first { $0.publicKey != nil }, file: file, line: line)
        XCTAssertEqual(ourSigned.publicKey, ours.dht.key.publicKey.bin, file: file, line: line)
        // A signed value's version is its signing time in Unix seconds, as py-ipv8 makes it.
        XCTAssertEqual(Double(ourSigned.version), Date().timeIntervalSince1970, accuracy: 120,
                       "version of our signed value", file: file, line: line)
        // … and finds both with a lookup of its own (which crawls us, never its own storage).
        let found = try XCTUnwrap(answer(py, py.find(key: ourKeyHex), loop, file: file, line: line), file: file, line: line)
        XCTAssertEqual(found.values.count, 2, "\(found.values)", file: file, line: line)
        XCTAssertTrue(found.values.contains(.init(data: Hex.encode(signedData), publicKey: ours.publicKey)),
                      "\(found.values)", file: file, line: line)
        XCTAssertTrue(found.values.contains(.init(data: Hex.encode(unsignedData), publicKey: nil)),
                      "\(found.values)", file: file, line: line)

        // py-ipv8 → ours.
        let pyKeyTarget = Self.randomKey(), pyKeyTargetHex = Hex.encode(pyKeyTarget)
        // py-ipv8 refuses serialized values over 170 bytes: a signed one with a curve25519 key carries 145
        // bytes of its own (type, lengths, version, a 74-byte key, a 64-byte signature).
        let pySigned = Array("py-ipv8 \(pyKey)".utf8), pyUnsigned = Array("unsigned, from py-ipv8".utf8)
        for (data, sign) in [(pySigned, true), (pyUnsigned, false)] {
            let stored = answer(py, py.store(key: pyKeyTargetHex, value: Hex.encode(data), sign: sign), loop,
                                file: file, line: line)
            XCTAssertEqual(stored?.nodes.map(\.mid), [ours.mid], "py-ipv8 stored on us", file: file, line: line)
        }
        let heldByUs = ours.stored(pyKeyTarget).compactMap(DHTValue.init(serialized:))
        XCTAssertEqual(Set(heldByUs.map(\.data)), [pySigned, pyUnsigned], file: file, line: line)
        let lookup = result(loop, file: file, line: line) { done in ours.dht.findValues(pyKeyTarget, completion: done) }
        let values = try XCTUnwrap(lookup, file: file, line: line).get()
        XCTAssertEqual(values.count, 2, "\(values)", file: file, line: line)
        let theirSigned = try XCTUnwrap(values.first, "signed values come first", file: file, line: line)
        XCTAssertEqual(theirSigned.data, pySigned, file: file, line: line)
        XCTAssertEqual(theirSigned.publicKey, pyKeyBin, file: file, line: line)
        XCTAssertEqual(Double(theirSigned.version), Date().timeIntervalSince1970, accuracy: 120, file: file, line: line)
        XCTAssertEqual(values.last, DHTValue(data: pyUnsigned), file: file, line: line)

        XCTAssertEqual(ours.dht.counters.badSignature, 0, file: file, line: line)
        XCTAssertEqual(ours.dht.dhtCounters.badToken, 0, file: file, line: line)
        XCTAssertEqual(ours.dht.dhtCounters.valuesStored, 2, file: file, line: line)
        assertStayedOnLoopback(ours, file: file, line: line)
        assertCleanStop(py, file: file, line: line)
    }

    // MARK: Connecting by mid

    /// py-ipv8 connects to our node by its mid through the DHT.
    ///
    /// Three nodes: ours (the target), py-ipv8 "holder", py-ipv8 "seeker". We store ourselves (our
    /// `storePeer()`) while the holder is the only node we know, so only the holder stores us. The seeker
    /// starts after that and walks to the holder: it does not store us, so its `connect_peer` cannot answer
    /// from its own `store` and must look up the nodes closest to our mid and send them connect-peer
    /// requests; the holder answers with our node (and punctures us towards the seeker).
    func testPyIPv8ConnectsToOurNodeByMidThroughAnotherPyIPv8Node() throws {
        try requirePyIPv8()
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try OurDHTNode(loop: loop)
        let holder = try startedPyNode(loop, walkTo: [ours])
        defer { holder.stop() }
        joinBothWays(ours, holder, loop)
        let holderMid = try XCTUnwrap(holder.started?.mid)

        let storedOn = try XCTUnwrap(result(loop) { done in ours.dht.storePeer(completion: done) }).get()
        XCTAssertEqual(storedOn.map { Hex.encode($0.mid) }, [holderMid])
        XCTAssertEqual(ours.dht.storeForMe[ours.dht.myPeer.mid]?.map { Hex.encode($0.mid) }, [holderMid])
        drive(loop, seconds: 10) { holder.status?.store[ours.mid] == [ours.mid] }

        let seeker = try startedPyNode(loop, pyWalkTo: [holder])
        defer { seeker.stop() }
        drive(loop, seconds: 30) { seeker.status?.knows(mid: holderMid) ?? false }
        XCTAssertNil(seeker.status?.store[ours.mid], "the seeker must not store us itself")
        func punctureRequests() -> Int {
            ours.dht.counters.handledByID[Int(MessageID.punctureRequest)]
                + ours.dht.counters.handledByID[Int(MessageID.newPunctureRequest)]
        }
        let punctureRequestsBefore = punctureRequests()

        let connected = try XCTUnwrap(answer(seeker, seeker.connect(mid: ours.mid), loop))
        XCTAssertEqual(connected.nodes.map(\.mid), [ours.mid], "\(connected.nodes)")
        XCTAssertEqual(connected.nodes.first?.address, ours.address.description)
        XCTAssertEqual(connected.nodes.first?.nodeID, ours.dht.myNodeID(in: .ipv4).hex)
        // The request went over the wire to the holder, which punctured us towards the seeker.
        drive(loop, seconds: 10) {
            (holder.status?.received["PinnedDHTDiscovery:9"] ?? 0) > 0
                && punctureRequests() > punctureRequestsBefore
        }
        assertStayedOnLoopback(ours)
        assertCleanStop(seeker)
        assertCleanStop(holder)
    }

    /// Our node connects to a py-ipv8 node by its mid through the DHT.
    ///
    /// Four nodes: py-ipv8 "target" (storing itself every second, `--store-peer-interval 1`), a py-ipv8
    /// "holder" and one of ours as a second holder, both of which the target stores itself on, and our
    /// "seeker". The seeker starts last, walks only to our holder (no RandomWalk, so the target does not
    /// hear of it and cannot store itself on it before the lookup), and its `connectPeer` finds nothing
    /// in its own `store`: it looks up the nodes closest to the target's mid and sends them connect-peer
    /// requests, which both holders answer with the target's node.
    func testOurNodeConnectsToPyIPv8ByMidThroughOtherNodes() throws {
        try requirePyIPv8()
        let loop = try EventLoop()
        defer { loop.stop() }
        let ourHolder = try OurDHTNode(loop: loop)
        let pyHolder = try startedPyNode(loop, walkTo: [ourHolder])
        defer { pyHolder.stop() }
        let target = try startedPyNode(loop, walkTo: [ourHolder], storePeerInterval: 1)
        defer { target.stop() }
        let targetMid = try XCTUnwrap(target.started?.mid), targetAddress = try XCTUnwrap(target.address)
        let targetMidBytes = try XCTUnwrap(Hex.decode(targetMid)), pyHolderMid = try XCTUnwrap(pyHolder.started?.mid)
        // The target is stored by both holders.
        drive(loop, seconds: 40) {
            Set(target.status?.storeForMe[targetMid] ?? []) == [ourHolder.mid, pyHolderMid]
                && ourHolder.dht.store[targetMidBytes]?.count == 1
        }
        let held = ourHolder.dht.store[targetMidBytes]?.first
        XCTAssertEqual(held?.address.description, targetAddress)

        let seeker = try OurDHTNode(loop: loop, walk: false)
        seeker.dht.walkTo(ourHolder.address)
        drive(loop, seconds: 10) { seeker.knows(ourHolder) }
        XCTAssertNil(seeker.dht.store[targetMidBytes], "the seeker must not store the target itself")
        let handledBefore = ourHolder.dht.counters.handledByID[9]

        let connected = try XCTUnwrap(result(loop) { done in seeker.dht.connectPeer(targetMidBytes, completion: done) }).get()
        XCTAssertEqual(connected.map { Hex.encode($0.mid) }, [targetMid], "\(connected)")
        XCTAssertEqual(connected.first?.address.description, targetAddress)
        XCTAssertEqual(connected.first?.id.hex, target.started?.nodeID)
        XCTAssertEqual(ourHolder.dht.counters.handledByID[9], handledBefore + 1, "our holder was asked")
        drive(loop, seconds: 10) { (pyHolder.status?.received["PinnedDHTDiscovery:9"] ?? 0) > 0 }
        // Answers from both holders (and the target's own, empty one) came back, none unparsable.
        XCTAssertGreaterThanOrEqual(seeker.dht.counters.handledByID[10], 2)
        XCTAssertEqual(seeker.dht.dhtCounters.badNodeEntries, 0)
        assertStayedOnLoopback(ourHolder, seeker)
        assertCleanStop(target)
        assertCleanStop(pyHolder)
    }

    // MARK: Bad datagrams

    /// Bad DHT datagrams from a socket of the test's own (a key of its own, on 127.0.0.1): each is counted
    /// under its reason and dropped without an answer, and our node still stores and finds with py-ipv8.
    func testBadDHTDatagramsAreCountedAndDroppedAndTheNodeKeepsWorking() throws {
        try requirePyIPv8()
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try OurDHTNode(loop: loop)
        let py = try startedPyNode(loop, walkTo: [ours])
        defer { py.stop() }
        joinBothWays(ours, py, loop)

        let socket = try LoopbackUDPSocket()
        defer { socket.close() }
        let key = PrivateKey.generate()
        let prefix = ours.dht.prefix, to = ours.address
        func send<P: Payload>(_ payload: P) { socket.send(PacketEncoder.ezSigned(payload, prefix: prefix, key: key), to: to) }
        // Everything our node sends the socket, by message id.
        var answers: [UInt8: [[UInt8]]] = [:]
        func readAnswers() {
            while let datagram = socket.receive() {
                if datagram.count > 22 { answers[datagram[22], default: []].append(datagram) }
            }
        }

        // A well-formed find request first: its answer carries the token a store must present.
        send(DHTFindRequest(identifier: 7, lanAddress: socket.address, target: Self.randomKey(), offset: 0, forceNodes: false))
        drive(loop, seconds: 10) { readAnswers(); return answers[DHTFindResponse.messageID] != nil }
        let response = try XCTUnwrap(answers[DHTFindResponse.messageID]?.first)
        let token = try response.withUnsafeBytes { try SignedPacketView.openEz($0, as: DHTFindResponse.self) }.payload.token
        let before = ours.dht.counters, dhtBefore = ours.dht.dhtCounters
        let tooShortBefore = ours.service.endpoint.counters.droppedTooShort

        let target = Self.randomKey()
        // A store with a token we never gave.
        send(DHTStoreRequest(identifier: 1, token: [UInt8](repeating: 0x5a, count: 20), target: target,
                             values: [DHTValue.serializeUnsigned([1, 2, 3])]))
        // A store with the right token but a value over 170 bytes.
        send(DHTStoreRequest(identifier: 2, token: token, target: target,
                             values: [DHTValue.serializeUnsigned([UInt8](repeating: 7, count: 200))]))
        // A store-peer with the right token under a key that is not the sender's mid.
        send(DHTStorePeerRequest(identifier: 3, token: token, target: Self.randomKey()))
        // A find request cut short after its identifier and 3 bytes of its LAN address (signed as sent).
        send(TruncatedFindRequest())
        // A find request whose signature does not match.
        var forged = PacketEncoder.ezSigned(DHTFindRequest(identifier: 8, lanAddress: socket.address, target: target,
                                                           offset: 0, forceNodes: false), prefix: prefix, key: key)
        forged[forged.count - 1] ^= 0xff
        socket.send(forged, to: to)
        // Answers to requests never sent (identifiers above 2^16, which our requests never use).
        send(DHTPingResponse(identifier: 0x0123_4567))
        send(DHTStoreResponse(identifier: 0x0123_4568))
        send(DHTFindResponse(identifier: 0x0123_4569, token: token, values: [], nodes: []))
        send(DHTStorePeerResponse(identifier: 0x0123_456a))
        send(DHTConnectPeerResponse(identifier: 0x0123_456b, nodes: []))
        // A message id the DHT does not have, and a datagram shorter than a header (the endpoint drops it).
        socket.send(PacketEncoder.ezSigned(DHTPingRequest(identifier: 9), prefix: prefix, key: key, messageID: 11), to: to)
        socket.send(Array(prefix.bytes.prefix(20)), to: to)

        drive(loop, seconds: 10) {
            let c = ours.dht.counters, d = ours.dht.dhtCounters
            return d.badToken - dhtBefore.badToken == 1 && d.oversizedStores - dhtBefore.oversizedStores == 1
                && d.foreignStorePeer - dhtBefore.foreignStorePeer == 1
                && d.unexpectedResponses - dhtBefore.unexpectedResponses == 5
                && c.malformed - before.malformed == 1 && c.badSignature - before.badSignature == 1
                && c.unknownMessage - before.unknownMessage == 1
                && ours.service.endpoint.counters.droppedTooShort - tooShortBefore == 1
        }
        let after = ours.dht.counters, dhtAfter = ours.dht.dhtCounters
        XCTAssertEqual(dhtAfter.badToken - dhtBefore.badToken, 1, "store with a token we never gave")
        XCTAssertEqual(dhtAfter.oversizedStores - dhtBefore.oversizedStores, 1, "store of a value over 170 bytes")
        XCTAssertEqual(dhtAfter.foreignStorePeer - dhtBefore.foreignStorePeer, 1, "store-peer under a foreign key")
        XCTAssertEqual(dhtAfter.unexpectedResponses - dhtBefore.unexpectedResponses, 5, "answers nobody asked for")
        XCTAssertEqual(after.malformed - before.malformed, 1, "truncated find request")
        XCTAssertEqual(after.badSignature - before.badSignature, 1, "forged find request")
        XCTAssertEqual(after.unknownMessage - before.unknownMessage, 1, "message id 11")
        XCTAssertEqual(ours.service.endpoint.counters.droppedTooShort - tooShortBefore, 1, "20-byte datagram")
        XCTAssertEqual(dhtAfter.valuesStored, dhtBefore.valuesStored, "nothing stored")
        XCTAssertEqual(ours.stored(target), [])
        XCTAssertTrue(ours.dht.store.isEmpty, "no peer stored")

        // Our node still works with py-ipv8: it stores and finds.
        let key1 = Self.randomKey(), key2 = Self.randomKey()
        _ = answer(py, py.store(key: Hex.encode(key1), value: "c0ffee", sign: true), loop)
        let found = try XCTUnwrap(result(loop) { done in ours.dht.findValues(key1, completion: done) }).get()
        XCTAssertEqual(found.map(\.data), [[0xc0, 0xff, 0xee]])
        _ = try XCTUnwrap(result(loop) { done in ours.dht.storeValue(key2, data: [1, 2, 3], completion: done) }).get()
        let pyFound = try XCTUnwrap(answer(py, py.find(key: Hex.encode(key2)), loop))
        XCTAssertEqual(pyFound.values, [.init(data: "010203", publicKey: nil)])

        // No answer ever went to the bad datagrams: one find response (to the good request), no store,
        // store-peer, ping or connect-peer response. (The sender, a node of our routing table since its good
        // find request, as in py-ipv8, does get our own requests: pings, find requests of our lookups,
        // introduction and puncture requests.)
        loop.run(for: .milliseconds(200))
        readAnswers()
        XCTAssertEqual(answers[DHTFindResponse.messageID]?.count, 1, "find responses")
        for id in [DHTStoreResponse.messageID, DHTStorePeerResponse.messageID, DHTPingResponse.messageID,
                   DHTConnectPeerResponse.messageID] {
            XCTAssertNil(answers[id], "message \(id) sent to the bad sender")
        }
        assertStayedOnLoopback(ours)
        assertCleanStop(py)
    }
}

/// A find request (id 5) cut short: its identifier and the first 3 bytes of a LAN address.
private struct TruncatedFindRequest: Payload {
    static let messageID: UInt8 = DHTFindRequest.messageID
    init() {}
    func encode(into packer: inout Packer) {
        packer.u32(6)
        packer.raw([127, 0, 0])
    }
    init(from unpacker: inout Unpacker) throws(WireError) {}
}

/// A UDP socket of the test's own on 127.0.0.1 (any port): sends datagrams, receives without blocking.
final class LoopbackUDPSocket {
    private let fd: Int32
    let address: Address

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        self.fd = fd
        var bound = sockaddr_in()
        bound.sin_family = sa_family_t(AF_INET)
        bound.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            Glibc.close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        address = Address(127, 0, 0, 1, port: UInt16(bigEndian: bound.sin_port))
    }

    /// Sends `bytes` to `address` (which must be on 127.0.0.0/8).
    func send(_ bytes: [UInt8], to address: Address) {
        precondition(address.description.hasPrefix("127."), "tests send to loopback only")
        var to = sockaddr_in()
        to.sin_family = sa_family_t(AF_INET)
        to.sin_port = address.port.bigEndian
        to.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &to) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// A datagram waiting on the socket, if any.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return count < 0 ? nil : Array(buffer.prefix(count))
    }

    func close() { Glibc.close(fd) }
}
