import Foundation
import IPv8
@testable import IPv8REST
import IPv8Testing
import IPv8TestSupport
import XCTest

/// Our REST API and py-ipv8 3.2.1's (its own RESTManager, in Tests/Interop/pynode.py --rest-port) answer
/// the same requests with the same JSON shapes: keys and types, compared by Tests/Interop/rest_shape.py.
/// The two nodes are peers of each other, so that every list has an element to compare.
final class RESTShapeInteropTests: XCTestCase {
    func testEveryRouteAnswersWithPyIPv8sShapes() throws {
        let swarm = try LoopbackSwarm(count: 2, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        swarm.start()
        let ours = swarm.nodes[0]
        let rest = try RunningRESTServer(IPv8RESTServer(service: ours.service, settings: RESTSettings(port: 0, apiKey: "k")),
                                         loop: swarm.loop)
        defer { rest.stop() }
        let py = try PyIPv8Node(communityID: PlainCommunity.defaultID.hex, walkTo: [ours.address.description],
                                walkerInterval: 0.1, duration: 60, restPort: 0, apiKey: "k")
        defer { py.stop() }
        XCTAssertTrue(swarm.run(until: {
            guard let status = py.status, status.restPort != nil, let mid = Hex.decode(status.mid) else { return false }
            return ours.community.knows(mid: mid) && status.peers.contains(Hex.encode(ours.community.myPeer.mid))
        }, timeout: .seconds(20)), "py-ipv8 and our node did not become peers: \(py.errors.suffix(2000))")
        let clients = [RESTTestClient(loop: swarm.loop, port: rest.port, apiKey: "k"),
                       RESTTestClient(loop: swarm.loop, port: py.status!.restPort!, apiKey: "k")]
        for client in clients {
            XCTAssertEqual(try client.send("POST", "/overlays/statistics", body: #"{"enable": true, "all": true}"#).status, 200)
            XCTAssertEqual(try client.send("PUT", "/asyncio/drift", body: #"{"enable": true}"#).status, 200)
        }
        swarm.loop.run(for: .seconds(2))   // messages both ways, and ticks, after enabling

        let requests: [(String, String, String?)] = [
            ("GET", "/overlays", nil), ("GET", "/overlays/statistics", nil), ("GET", "/network", nil),
            ("GET", "/asyncio/drift", nil),
            ("POST", "/overlays/statistics", #"{"all": true}"#), ("POST", "/overlays/statistics", #"{"enable": true}"#),
            ("POST", "/overlays/statistics", "not json"), ("PUT", "/asyncio/drift", "{}"),
            ("POST", "/isolation", #"{"ip": "127.0.0.1"}"#), ("POST", "/isolation", #"{"ip": "127.0.0.1", "port": 1}"#),
            ("POST", "/isolation", #"{"ip": "127.0.0.1", "port": 1, "exitnode": true}"#),
            ("GET", "/nothing", nil),
        ]
        for (method, path, body) in requests {
            let answers = try clients.map { try $0.send(method, path, body: body) }
            let shapes = try answers.map { try Self.shape(of: $0.body) }
            XCTAssertEqual(shapes[0], shapes[1], "\(method) \(path) \(body ?? ""):\n ours    \(answers[0].text.prefix(600))\n py-ipv8 \(answers[1].text.prefix(600))")
        }
        var anonymous = clients
        for i in anonymous.indices { anonymous[i].apiKey = nil }
        let unauthorized = try anonymous.map { try $0.get("/overlays") }
        XCTAssertEqual(unauthorized.map(\.status), [401, 401])
        XCTAssertEqual(unauthorized[0].text.replacingOccurrences(of: " ", with: ""),
                       unauthorized[1].text.replacingOccurrences(of: " ", with: ""))
    }

    /// The `/dht` routes: two of our DHTDiscoveryCommunity nodes and py-ipv8's own (pynode.py --dht) in one
    /// DHT, every node storing itself every 0.5 s, so that every table, store and list compared has an
    /// element; each API stores a signed value under one key before the values are listed and looked up.
    func testTheDHTRoutesAnswerWithPyIPv8sShapes() throws {
        var settings = DHTCommunity.Settings()
        settings.storePeerInterval = .milliseconds(500)
        let swarm = try LoopbackSwarm(count: 2, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try DHTDiscoveryCommunity(context: $0, settings: settings) }
        defer { swarm.stop() }
        swarm.start()
        let ours = swarm.nodes[0].community
        let rest = try RunningRESTServer(IPv8RESTServer(service: swarm.nodes[0].service, settings: RESTSettings(port: 0, apiKey: "k")),
                                         loop: swarm.loop)
        defer { rest.stop() }
        let py = try PyIPv8Node(communityID: PlainCommunity.defaultID.hex, walkTo: [swarm.nodes[0].address.description],
                                walkerInterval: 0.1, duration: 90, restPort: 0, apiKey: "k", dht: true, storePeerInterval: 0.5)
        defer { py.stop() }
        let ourMids = swarm.nodes.map { Hex.encode($0.community.myPeer.mid) }
        XCTAssertTrue(swarm.run(until: {
            guard let status = py.status, status.restPort != nil, let dht = status.dht, let pyMid = Hex.decode(dht.mid) else { return false }
            let table = ours.routingTables[.ipv4]?.nodes.map(\.mid) ?? []
            return table.contains(pyMid) && ours.store[pyMid] != nil && !(ours.storeForMe[ours.myPeer.mid] ?? []).isEmpty
                && Set(dht.routingTable).isSuperset(of: ourMids) && dht.store.contains(ourMids[0]) && !dht.storeForMe.isEmpty
        }, timeout: .seconds(30)), "py-ipv8's DHT and ours did not fill their tables: \(String(describing: py.status?.dht)) \(py.errors.suffix(2000))")
        let pyMid = py.status!.dht!.mid
        let clients = [RESTTestClient(loop: swarm.loop, port: rest.port, apiKey: "k"),
                       RESTTestClient(loop: swarm.loop, port: py.status!.restPort!, apiKey: "k")]
        let key = String(repeating: "4201", count: 10)
        for (client, value) in zip(clients, ["6f757273", "7079"]) {
            let reply = try client.send("PUT", "/dht/values/\(key)", body: #"{"value": "\#(value)"}"#, timeout: .seconds(30))
            XCTAssertEqual(reply.status, 200, reply.text)
        }

        let requests: [(String, String, String?)] = [
            ("GET", "/dht/statistics", nil), ("GET", "/dht/values", nil), ("GET", "/dht/values/\(key)", nil),
            ("GET", "/dht/buckets", nil), ("PUT", "/dht/values/\(key)", "{}"), ("PUT", "/dht/values/\(key)", #"{"value": "zz"}"#),
            ("GET", "/dht/values/zz", nil), ("GET", "/dht/peers/{unknown}", nil), ("GET", "/dht/buckets/0101/refresh", nil),
        ]
        for (method, path, body) in requests {
            // A mid nobody stores, another for each API: py-ipv8 answers a connect-peer request for a mid with
            // an empty store entry (its `store` is a defaultdict), after which its own connect_peer of that mid
            // answers {"peers": []} instead of a DHTError.
            let answers = try zip(clients, ["ab01", "cd02"]).map { client, unknown in
                try client.send(method, path.replacingOccurrences(of: "{unknown}", with: String(repeating: unknown, count: 10)),
                                body: body, timeout: .seconds(30))
            }
            let shapes = try answers.map { try Self.shape(of: $0.body) }
            XCTAssertEqual(shapes[0], shapes[1], "\(method) \(path) \(body ?? ""):\n ours    \(answers[0].text.prefix(900))\n py-ipv8 \(answers[1].text.prefix(900))")
        }
        // Beyond shapes: both write the distance between our node and py-ipv8's (XOR is symmetric) as the same
        // whole 160-bit integer.
        let buckets = try clients.map { try $0.get("/dht/buckets").text }
        let pyNode = try XCTUnwrap(ours.routingTables[.ipv4]?.nodes.first { Hex.encode($0.mid) == pyMid })
        guard case .bigInteger(let distance) = DHTRoutes.unsignedInteger(bigEndian: pyNode.id.distance(to: ours.myNodeID(in: .ipv4))) else {
            return XCTFail("a distance within 64 bits")
        }
        XCTAssertTrue(buckets[0].contains(#""distance":\#(distance)"#), buckets[0])
        XCTAssertTrue(buckets[1].contains(#""distance": \#(distance)"#), buckets[1])
        // Each finds the other by its mid (from the peers it stores).
        let peers = try [clients[0].get("/dht/peers/\(pyMid)"), clients[1].get("/dht/peers/\(ourMids[0])")]
        XCTAssertEqual(peers.map(\.status), [200, 200], peers.map(\.text).joined(separator: "\n"))
        XCTAssertEqual(try Self.shape(of: peers[0].body), try Self.shape(of: peers[1].body),
                       "GET /dht/peers:\n ours    \(peers[0].text)\n py-ipv8 \(peers[1].text)")
    }

    /// The shape of a JSON document, as Tests/Interop/rest_shape.py prints it.
    static func shape(of body: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-rest-\(getpid())-\(UUID().uuidString).json")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = PyIPv8Node.packageRoot.appendingPathComponent("Tests/Interop/rest_shape.py").path
        let result = try ChildProcess.run(try PyIPv8Node.python(), [script, file.path], timeout: 30)
        guard result.status == 0 else { throw RESTTestClient.Failed(description: "rest_shape.py: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
