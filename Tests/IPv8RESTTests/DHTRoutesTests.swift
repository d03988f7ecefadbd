import Foundation
import IPv8
@testable import IPv8REST
import IPv8Testing
import XCTest

/// The `/dht` routes (py-ipv8's `DHTEndpoint`) against real DHT nodes on 127.0.0.1: a value put through one
/// node's API is found through another's, the statistics, stored values and buckets describe the nodes'
/// tables, a peer is found by its mid, bad keys get 400s, a node without a DHT answers as py-ipv8's does, and
/// a lookup that outlives the deadline gets a 504.
final class DHTRoutesTests: XCTestCase {
    /// `count` DHTDiscoveryCommunity nodes that walk to the first one until every routing table holds every
    /// other node and (`waitForStoredPeers`) every node is stored under its mid by another; nodes 0 and 1
    /// serve the API.
    final class World {
        let swarm: LoopbackSwarm<DHTDiscoveryCommunity>
        let rests: [RunningRESTServer]
        let clients: [RESTTestClient]

        init(count: Int = 4, settings: DHTCommunity.Settings = World.settings, waitForStoredPeers: Bool = true,
             dhtTimeout: Duration = .seconds(40)) throws {
            let swarm = try LoopbackSwarm(count: count, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                          randomWalkTarget: 20) { try DHTDiscoveryCommunity(context: $0, settings: settings) }
            self.swarm = swarm
            swarm.start()
            var rests: [RunningRESTServer] = []
            for node in swarm.nodes.prefix(2) {
                rests.append(try RunningRESTServer(
                    IPv8RESTServer(service: node.service, settings: RESTSettings(port: 0, apiKey: "k", dhtTimeout: dhtTimeout)),
                    loop: swarm.loop))
            }
            self.rests = rests
            clients = rests.map { RESTTestClient(loop: swarm.loop, port: $0.port, apiKey: "k") }
            let nodes = swarm.nodes
            let ready = swarm.run(until: {
                nodes.allSatisfy { node in
                    node.community.routingTables[.ipv4]?.count == count - 1
                        && (!waitForStoredPeers || !(node.community.storeForMe[node.community.myPeer.mid] ?? []).isEmpty)
                }
            }, timeout: .seconds(20))
            guard ready else {
                stop()
                throw RESTTestClient.Failed(description: "the routing tables did not fill: "
                    + nodes.map { "\($0.community.routingTables[.ipv4]?.count ?? 0)/\($0.community.storeForMe.count)" }
                        .joined(separator: " "))
            }
        }

        /// Storing ourselves every 200 ms (py-ipv8: 30 s), so that the nodes find each other by mid quickly.
        static var settings: DHTCommunity.Settings {
            var settings = DHTCommunity.Settings()
            settings.storePeerInterval = .milliseconds(200)
            return settings
        }

        func stop() {
            for rest in rests { rest.stop() }
            swarm.stop()
        }
    }

    /// A key of 20 bytes whose hex has digits in it (so that py-ipv8's shape script sees a data key).
    static let key = Array(repeating: UInt8(0x42), count: 19) + [0x01]

    func testAValuePutThroughOneNodeIsFoundThroughAnotherSignedByTheFirst() throws {
        let world = try World()
        defer { world.stop() }
        let keyHex = Hex.encode(Self.key)
        let writer = world.swarm.nodes[0].community
        var reply = try world.clients[0].send("PUT", "/dht/values/\(keyHex)", body: #"{"value": "68656c6c6f"}"#)
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.text, #"{"success":true}"#)

        reply = try world.clients[1].get("/dht/values/\(keyHex)")
        XCTAssertEqual(reply.status, 200, reply.text)
        let values = try XCTUnwrap(reply.object?["values"] as? [[String: Any]], reply.text)
        XCTAssertEqual(values.count, 1, reply.text)
        XCTAssertEqual(values.first?["key"] as? String, keyHex)
        XCTAssertEqual(values.first?["value"] as? String, "68656c6c6f")
        XCTAssertEqual(values.first?["public_key"] as? String, Data(writer.myPeer.key.bin).base64EncodedString(),
                       "py-ipv8 signs what PUT stores, and names the signer in base64")
        let debug = try XCTUnwrap(reply.object?["debug"] as? [String: Any])
        XCTAssertGreaterThan(debug["requests"] as? Int ?? 0, 0, reply.text)
        XCTAssertGreaterThan(debug["responses_with_values"] as? Int ?? 0, 0, reply.text)
        XCTAssertEqual((debug["responses_with_nodes"] as? Int ?? -1) + (debug["responses_with_values"] as? Int ?? -1),
                       debug["responses"] as? Int, reply.text)
        XCTAssertTrue(reply.text.contains(#""time":"#) && debug["time"] is Double, reply.text)

        // Node 1 stores it too (4 nodes, 8 wanted: every node with a token took it), and lists it.
        reply = try world.clients[1].get("/dht/values")
        XCTAssertEqual(reply.status, 200, reply.text)
        let stored = try XCTUnwrap(reply.object?[keyHex] as? [[String: Any]], reply.text)
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?["endpoint"] as? String, "UDPIPv4")
        XCTAssertEqual(stored.first?["key"] as? String, keyHex)
        XCTAssertEqual(stored.first?["value"] as? String, "68656c6c6f")
        XCTAssertEqual(stored.first?["public_key"] as? String, Data(writer.myPeer.key.bin).base64EncodedString())

        // A key nobody stored: a lookup that found nothing, not an error.
        reply = try world.clients[1].get("/dht/values/" + String(repeating: "17", count: 20))
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual((reply.object?["values"] as? [Any])?.count, 0, reply.text)
        XCTAssertEqual((reply.object?["debug"] as? [String: Any])?["responses_with_values"] as? Int, 0, reply.text)
    }

    func testStatisticsAndBucketsDescribeTheRoutingTableAndTheStoredPeers() throws {
        let world = try World()
        defer { world.stop() }
        let dht = world.swarm.nodes[0].community
        var reply = try world.clients[0].get("/dht/statistics")
        XCTAssertEqual(reply.status, 200, reply.text)
        let stats = try XCTUnwrap(reply.object?["statistics"] as? [String: Any], reply.text)
        XCTAssertEqual(stats["peer_id"] as? String, Hex.encode(dht.myPeer.mid))
        XCTAssertGreaterThan(stats["num_tokens"] as? Int ?? 0, 0, "lookups were answered with tokens")
        let endpoints = try XCTUnwrap(stats["endpoints"] as? [[String: Any]])
        XCTAssertEqual(endpoints.count, 1, reply.text)
        XCTAssertEqual(endpoints.first?["endpoint"] as? String, "UDPIPv4")
        XCTAssertEqual(endpoints.first?["node_id"] as? String, dht.myNodeID(in: .ipv4).hex)
        XCTAssertEqual(endpoints.first?["routing_table_size"] as? Int, 3)
        XCTAssertEqual(endpoints.first?["routing_table_buckets"] as? Int, dht.routingTables[.ipv4]?.buckets.count)
        XCTAssertEqual(endpoints.first?["num_keys_in_store"] as? Int, 0)
        let storingMe = try XCTUnwrap(stats["num_store_for_me"] as? [String: Int], reply.text)
        XCTAssertGreaterThan(storingMe[Hex.encode(dht.myPeer.mid)] ?? 0, 0, reply.text)
        let stored = try XCTUnwrap(stats["num_peers_in_store"] as? [String: Int], reply.text)
        let mids = Set(world.swarm.nodes.map { Hex.encode($0.community.myPeer.mid) })
        XCTAssertTrue(stored.allSatisfy { mids.contains($0.key) && $0.value == 1 }, reply.text)

        reply = try world.clients[0].get("/dht/buckets")
        XCTAssertEqual(reply.status, 200, reply.text)
        let buckets = try XCTUnwrap(reply.object?["buckets"] as? [[String: Any]], reply.text)
        XCTAssertEqual(buckets.count, dht.routingTables[.ipv4]?.buckets.count)
        XCTAssertEqual(buckets.first?["prefix"] as? String, "", "three nodes fit in the root bucket")
        XCTAssertEqual(buckets.first?["endpoint"] as? String, "UDPIPv4")
        let now = Date().timeIntervalSince1970
        XCTAssertLessThan(abs((buckets.first?["last_changed"] as? Double ?? 0) - now), 60, "Unix time: \(reply.text)")
        let peers = buckets.flatMap { $0["peers"] as? [[String: Any]] ?? [] }
        let others = world.swarm.nodes.dropFirst()
        XCTAssertEqual(Set(peers.compactMap { $0["mid"] as? String }), Set(others.map { Hex.encode($0.community.myPeer.mid) }))
        XCTAssertEqual(Set(peers.compactMap { $0["port"] as? Int }), Set(others.map { Int($0.address.port) }))
        let myID = dht.myNodeID(in: .ipv4)
        for node in dht.routingTables[.ipv4]?.nodes ?? [] {
            let peer = try XCTUnwrap(peers.first { $0["mid"] as? String == Hex.encode(node.mid) })
            XCTAssertEqual(peer["ip"] as? String, "127.0.0.1")
            XCTAssertEqual(peer["id"] as? String, node.id.hex)
            XCTAssertEqual(peer["failed"] as? Int, 0)
            XCTAssertLessThan(abs((peer["last_contact"] as? Double ?? 0) - now), 60, "Unix time: \(reply.text)")
            // The distance is a 160-bit JSON integer, written whole as py-ipv8 writes it.
            guard case .bigInteger(let digits) = DHTRoutes.unsignedInteger(bigEndian: node.id.distance(to: myID)) else {
                return XCTFail("a distance that fits in 64 bits: \(node.id) \(myID)")
            }
            XCTAssertTrue(reply.text.contains(#""distance":\#(digits)}"#), "\(digits) in \(reply.text)")
        }

        // The root bucket's prefix is empty: py-ipv8's path for it has an empty segment.
        reply = try world.clients[0].get("/dht/buckets//refresh")
        XCTAssertEqual(reply.text, #"{"success":true}"#)
    }

    func testDistancesAreWrittenAsWholeIntegers() {
        XCTAssertEqual(DHTRoutes.unsignedInteger(bigEndian: []), .number(0))
        XCTAssertEqual(DHTRoutes.unsignedInteger(bigEndian: [0, 0, 0xff]), .number(255))
        XCTAssertEqual(DHTRoutes.unsignedInteger(bigEndian: Array(repeating: 0, count: 12) + Array(repeating: 0xff, count: 8)),
                       .number(.max))
        XCTAssertEqual(DHTRoutes.unsignedInteger(bigEndian: [1] + Array(repeating: 0, count: 8)),
                       .bigInteger("18446744073709551616"))
        XCTAssertEqual(DHTRoutes.unsignedInteger(bigEndian: Array(repeating: 0xff, count: 20)),
                       .bigInteger("1461501637330902918203684832716283019655932542975"))   // 2^160 - 1
        XCTAssertEqual(JSONValue.object([.init("distance", .bigInteger("1461501637330902918203684832716283019655932542975"))])
                        .serialized(indent: nil), #"{"distance":1461501637330902918203684832716283019655932542975}"#)
    }

    func testAPeerIsFoundByItsMidAndAnUnknownMidIsADHTError() throws {
        let world = try World()
        defer { world.stop() }
        let target = world.swarm.nodes[3]
        var reply = try world.clients[1].get("/dht/peers/\(Hex.encode(target.community.myPeer.mid))")
        XCTAssertEqual(reply.status, 200, reply.text)
        let peers = try XCTUnwrap(reply.object?["peers"] as? [[String: Any]], reply.text)
        XCTAssertFalse(peers.isEmpty)
        for peer in peers {
            XCTAssertEqual(peer["public_key"] as? String, Data(target.community.myPeer.key.bin).base64EncodedString())
            let address = try XCTUnwrap(peer["address"] as? [Any], reply.text)
            XCTAssertEqual(address.first as? String, "127.0.0.1")
            XCTAssertEqual(address.last as? Int, Int(target.address.port))
        }

        // Nobody stores this mid: py-ipv8's DHTError, as its error middleware writes it.
        reply = try world.clients[1].get("/dht/peers/" + String(repeating: "ab01", count: 10))
        XCTAssertEqual(reply.status, 500, reply.text)
        XCTAssertEqual(reply.text, #"{"success":false,"error":{"code":"DHTError","message":"Failed to connect peer"}}"#)
    }

    func testBadKeysMidsAndValuesGet400sAndLeaveTheNodeUnharmed() throws {
        let world = try World(count: 2)
        defer { world.stop() }
        let client = world.clients[0]
        let good = Hex.encode(Self.key)
        let cases: [(String, String, String?, String)] = [
            ("GET", "/dht/values/zz", nil, #""code":"Error""#),
            ("GET", "/dht/values/abc", nil, "40 hex digits"),
            ("GET", "/dht/values/" + String(repeating: "00", count: 19), nil, "40 hex digits (20 bytes)"),
            ("GET", "/dht/values/" + String(repeating: "00", count: 21), nil, "40 hex digits (20 bytes)"),
            ("GET", "/dht/values/" + String(repeating: "0g", count: 20), nil, "40 hex digits"),
            ("PUT", "/dht/values/xyz", #"{"value": "00"}"#, "40 hex digits"),
            ("PUT", "/dht/values/\(good)", "{}", #"{"success":false,"error":"incorrect parameters"}"#),
            ("PUT", "/dht/values/\(good)", #"{"value": "0"}"#, "value: hex digits expected"),
            ("PUT", "/dht/values/\(good)", #"{"value": 12}"#, "value: hex digits expected"),
            ("PUT", "/dht/values/\(good)", "not json", "JSONDecodeError"),
            ("PUT", "/dht/values/\(good)", #"{"value": "\#(String(repeating: "ab", count: 100))"}"#,
             #"{"success":false,"error":{"code":"DHTError","message":"Maximum length exceeded"}}"#),
            ("GET", "/dht/peers/12", nil, "mid: 40 hex digits (20 bytes) expected"),
        ]
        for (method, path, body, expected) in cases {
            let reply = try client.send(method, path, body: body)
            XCTAssertEqual(reply.status, 400, "\(method) \(path): \(reply.text)")
            XCTAssertNotNil(reply.object, "not a JSON object: \(reply.text)")
            XCTAssertTrue(reply.text.contains(expected), "\(method) \(path): \(reply.text)")
        }
        XCTAssertEqual(world.swarm.nodes[0].community.storages.values.reduce(0) { $0 + $1.count }, 0, "nothing stored")
        XCTAssertEqual(try client.get("/dht/statistics").status, 200)
    }

    func testWithoutADHTTheRoutesAnswerAsPyIPv8s() throws {
        let swarm = try LoopbackSwarm(count: 1) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        let rest = try RunningRESTServer(IPv8RESTServer(service: swarm.nodes[0].service, settings: RESTSettings(port: 0)),
                                         loop: swarm.loop)
        defer { rest.stop() }
        let client = RESTTestClient(loop: swarm.loop, port: rest.port)
        let key = Hex.encode(Self.key)
        let notFound = #"{"success":false,"error":"DHT community not found"}"#
        for (method, path, body) in [("GET", "/dht/statistics", nil), ("GET", "/dht/values", nil), ("GET", "/dht/values/\(key)", nil),
                                     ("PUT", "/dht/values/\(key)", #"{"value": "00"}"#), ("PUT", "/dht/values/zz", "not json"),
                                     ("GET", "/dht/peers/\(key)", nil), ("GET", "/dht/values/zz", nil)] as [(String, String, String?)] {
            let reply = try client.send(method, path, body: body)
            XCTAssertEqual(reply.status, 404, "\(method) \(path)")
            XCTAssertEqual(reply.text, notFound, "\(method) \(path)")
        }
        XCTAssertEqual(try client.get("/dht/buckets").text, #"{"buckets":[]}"#)
        let refresh = try client.get("/dht/buckets/0/refresh")
        XCTAssertEqual(refresh.status, 400)
        XCTAssertEqual(refresh.text, #"{"success":false,"error":"DHT community is not loaded"}"#)
    }

    func testAPlainDHTHasNoPeerRouteAndNoStoredPeerStatistics() throws {
        let swarm = try LoopbackSwarm(count: 1) { try DHTCommunity(context: $0) }
        defer { swarm.stop() }
        let rest = try RunningRESTServer(IPv8RESTServer(service: swarm.nodes[0].service, settings: RESTSettings(port: 0)),
                                         loop: swarm.loop)
        defer { rest.stop() }
        let client = RESTTestClient(loop: swarm.loop, port: rest.port)
        let peers = try client.get("/dht/peers/\(Hex.encode(Self.key))")
        XCTAssertEqual(peers.status, 404)
        XCTAssertEqual(peers.text, #"{"success":false,"error":"DHT community not found"}"#)
        let mid = Hex.encode(swarm.nodes[0].community.myPeer.mid)
        XCTAssertEqual(try client.get("/dht/statistics").text,
                       #"{"statistics":{"peer_id":"\#(mid)","num_tokens":0,"endpoints":[]}}"#)
        XCTAssertEqual(try client.get("/dht/values").text, "{}")
        XCTAssertEqual(try client.get("/dht/buckets").text, #"{"buckets":[]}"#)
        // No node known yet: the lookup fails as one with an empty routing table does in py-ipv8 (py-ipv8
        // itself answers an empty 200 while it has no routing table at all).
        let lookup = try client.get("/dht/values/\(Hex.encode(Self.key))")
        XCTAssertEqual(lookup.status, 500, lookup.text)
        XCTAssertTrue(lookup.text.contains("No nodes found in the routing table"), lookup.text)
        // Nothing to store on: py-ipv8's DHTError.
        let store = try client.send("PUT", "/dht/values/\(Hex.encode(Self.key))", body: #"{"value": "00"}"#)
        XCTAssertEqual(store.status, 500, store.text)
        XCTAssertTrue(store.text.contains(#""code":"DHTError""#), store.text)
    }

    func testRefreshLooksUpARandomIDInTheBucketWithThePrefix() throws {
        // Buckets of 2 split as the table fills, so that buckets have prefixes a path can name. py-ipv8's
        // store-peer interval (30 s): no lookups but the one asked for.
        var settings = DHTCommunity.Settings()
        settings.bucketSize = 2
        let swarm = try LoopbackSwarm(count: 4, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try DHTDiscoveryCommunity(context: $0, settings: settings) }
        defer { swarm.stop() }
        swarm.start()
        let dht = swarm.nodes[0].community
        XCTAssertTrue(swarm.run(until: { (dht.routingTables[.ipv4]?.buckets.count ?? 0) > 1 }, timeout: .seconds(20)))
        let rest = try RunningRESTServer(IPv8RESTServer(service: swarm.nodes[0].service, settings: RESTSettings(port: 0)),
                                         loop: swarm.loop)
        defer { rest.stop() }
        let client = RESTTestClient(loop: swarm.loop, port: rest.port)
        let bucket = try XCTUnwrap(dht.routingTables[.ipv4]?.buckets.first { !$0.nodes.isEmpty })
        let lookups = dht.dhtCounters.lookups
        var reply = try client.get("/dht/buckets/\(bucket.prefixBits)/refresh")
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.text, #"{"success":true}"#)
        XCTAssertEqual(dht.dhtCounters.lookups, lookups + 1)
        for prefix in ["0101010101010101", "/"] {   // no such prefix; the root bucket, split
            reply = try client.get("/dht/buckets/\(prefix)/refresh")
            XCTAssertEqual(reply.status, 400, reply.text)
            XCTAssertEqual(reply.text, #"{"success":false,"error":"no such bucket"}"#)
        }
    }

    func testALookupThatOutlivesTheDeadlineGets504AndTheNodeStillAnswers() throws {
        let world = try World(count: 3, settings: DHTCommunity.Settings(), waitForStoredPeers: false,
                              dhtTimeout: .milliseconds(300))
        defer { world.stop() }
        // The others go silent: each find request waits its 2 s, past the REST deadline.
        for node in world.swarm.nodes.dropFirst() { node.service.stop() }
        let started = ContinuousClock.now
        let reply = try world.clients[0].get("/dht/values/\(Hex.encode(Self.key))")
        XCTAssertEqual(reply.status, 504, reply.text)
        XCTAssertTrue(reply.text.hasPrefix(#"{"success":false,"error":{"code":"TimeoutError","message":"#), reply.text)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "answered at the deadline, not at the lookup's end")
        XCTAssertEqual(try world.clients[0].get("/dht/statistics").status, 200)
        // The lookup goes on and ends by its own timeouts; its late answer is dropped.
        let dht = world.swarm.nodes[0].community
        XCTAssertTrue(world.swarm.run(until: { dht.dhtCounters.lookups == 1 }, timeout: .seconds(10)))
        XCTAssertEqual(try world.clients[0].get("/dht/statistics").status, 200)
    }

    func testAnOperationIsAnsweredOnceWhateverComesFirst() throws {
        let swarm = try LoopbackSwarm(count: 1) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        let access = NodeAccess(service: LoopBound(swarm.nodes[0].service, loop: swarm.loop))
        final class Outcome: @unchecked Sendable {
            // @unchecked Sendable: written by one task, read after it finished (`done`), both under `lock`.
            let lock = NSLock()
            var results: [String] = []
            func add(_ text: String) { lock.withLock { results.append(text) } }
            var count: Int { lock.withLock { results.count } }
        }
        let outcome = Outcome()
        Task {
            do {   // never answered: the deadline
                _ = try await access.onLoop(deadline: .milliseconds(100)) { (_, _: NodeAccess.Reply<Int>) in }
                outcome.add("answered")
            } catch RESTError.timedOut {
                outcome.add("timed out")
            } catch { outcome.add("\(error)") }
            // Answered twice, the first one counts; then the deadline passes and changes nothing.
            let value = try? await access.onLoop(deadline: .milliseconds(100)) { (_, reply: NodeAccess.Reply<Int>) in
                reply(.success(1))
                reply(.success(2))
            }
            outcome.add("value \(value.map { String($0) } ?? "none")")
            // Thrown on the loop: the error.
            do {
                _ = try await access.onLoop(deadline: .seconds(5)) { (_, _: NodeAccess.Reply<Int>) in throw DHTError("no") }
            } catch let error as DHTError { outcome.add(error.message) } catch { outcome.add("\(error)") }
        }
        XCTAssertTrue(swarm.run(until: { outcome.count == 3 }, timeout: .seconds(5)))
        XCTAssertEqual(outcome.lock.withLock { outcome.results }, ["timed out", "value 1", "no"])
    }
}
