import Foundation
import IPv8
@testable import IPv8REST
import IPv8Testing
import XCTest

/// Every route of the REST API against a running node with peers: what it answers, the API key, JSON
/// errors for bad requests (the node unharmed), and the OpenAPI document.
final class RESTRouteTests: XCTestCase {
    /// Three loopback nodes that know each other; node 0 serves the API with key "secret".
    final class World {
        let swarm: LoopbackSwarm<PlainCommunity>
        let rest: RunningRESTServer
        var client: RESTTestClient

        init(apiKey: String? = "secret") throws {
            swarm = try LoopbackSwarm(count: 3, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try PlainCommunity(context: $0) }
            swarm.start()
            let service = swarm.nodes[0].service
            rest = try RunningRESTServer(IPv8RESTServer(service: service, settings: RESTSettings(port: 0, apiKey: apiKey)),
                                         loop: swarm.loop)
            client = RESTTestClient(loop: swarm.loop, port: rest.port, apiKey: apiKey)
            let nodes = swarm.nodes
            guard swarm.run(until: { nodes[0].community.peerCount == 2 }, timeout: .seconds(10)) else {
                throw RESTTestClient.Failed(description: "the nodes did not find each other")
            }
        }

        func stop() {
            rest.stop()
            swarm.stop()
        }
    }

    func testOverlaysListsTheCommunityWithItsPeersStrategiesAndAddresses() throws {
        let world = try World()
        defer { world.stop() }
        let reply = try world.client.get("/overlays")
        XCTAssertEqual(reply.status, 200, reply.text)
        let overlays = try XCTUnwrap(reply.object?["overlays"] as? [[String: Any]])
        XCTAssertEqual(overlays.count, 1)
        let overlay = overlays[0]
        let node = world.swarm.nodes[0]
        XCTAssertEqual(overlay["id"] as? String, PlainCommunity.defaultID.hex)
        XCTAssertEqual(overlay["my_peer"] as? String, Hex.encode(node.community.myPeer.key.bin))
        XCTAssertEqual(overlay["overlay_name"] as? String, "PlainCommunity")
        XCTAssertEqual(overlay["max_peers"] as? Int, node.community.maxPeers)
        XCTAssertEqual(overlay["is_isolated"] as? Bool, false)
        let peers = try XCTUnwrap(overlay["peers"] as? [[String: Any]])
        XCTAssertEqual(Set(peers.compactMap { $0["port"] as? Int }),
                       Set(world.swarm.nodes.dropFirst().map { Int($0.address.port) }))
        XCTAssertEqual(Set(peers.compactMap { $0["public_key"] as? String }),
                       Set(world.swarm.nodes.dropFirst().map { Hex.encode($0.community.myPeer.key.bin) }))
        let strategies = try XCTUnwrap(overlay["strategies"] as? [[String: Any]])
        XCTAssertEqual(strategies.first?["name"] as? String, "RandomWalk")
        XCTAssertEqual(strategies.first?["target_peers"] as? Int, 20)
        XCTAssertEqual((overlay["my_estimated_lan"] as? [String: Any])?["ip"] as? String, "127.0.0.1")
    }

    func testNetworkListsVerifiedPeersByBase64MidWithTheirServices() throws {
        let world = try World()
        defer { world.stop() }
        let reply = try world.client.get("/network")
        XCTAssertEqual(reply.status, 200, reply.text)
        let peers = try XCTUnwrap(reply.object?["peers"] as? [String: [String: Any]])
        for other in world.swarm.nodes.dropFirst() {
            let entry = try XCTUnwrap(peers[Data(other.community.myPeer.mid).base64EncodedString()], reply.text)
            XCTAssertEqual(entry["port"] as? Int, Int(other.address.port))
            XCTAssertEqual(entry["public_key"] as? String, Data(other.community.myPeer.key.bin).base64EncodedString())
            XCTAssertEqual(entry["services"] as? [String], [Data(PlainCommunity.defaultID.bytes).base64EncodedString()])
        }
    }

    func testStatisticsCountMessagesOnceEnabledAndOnlyThen() throws {
        let world = try World()
        defer { world.stop() }
        var reply = try world.client.get("/overlays/statistics")
        XCTAssertEqual(reply.text, #"{"statistics":[{"PlainCommunity":{}}]}"#)
        reply = try world.client.send("POST", "/overlays/statistics", body: #"{"enable": true, "all": true}"#)
        XCTAssertEqual(reply.text, #"{"success":true}"#)
        world.swarm.loop.run(for: .milliseconds(500))   // walks every 100 ms: introduction requests both ways
        reply = try world.client.get("/overlays/statistics")
        let stats = try XCTUnwrap((reply.object?["statistics"] as? [[String: [String: [String: Any]]]])?.first?["PlainCommunity"])
        // Introduction requests (old-style 246 or new-style 234) went both ways.
        let requests = stats.filter { $0.key.hasSuffix("introduction_request") }.map(\.value)
        func total(_ field: String) -> Int { requests.reduce(0) { $0 + ($1[field] as? Int ?? 0) } }
        XCTAssertGreaterThan(total("num_up"), 0, reply.text)
        XCTAssertGreaterThan(total("num_down"), 0, reply.text)
        XCTAssertGreaterThan(total("bytes_down"), total("num_down") * 23, reply.text)
        let aggregate = try XCTUnwrap((try world.client.get("/overlays").object?["overlays"] as? [[String: Any]])?.first?["statistics"] as? [String: Any])
        XCTAssertGreaterThan(aggregate["num_up"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(aggregate["diff_time"] as? Double ?? 0, 0)
        reply = try world.client.send("POST", "/overlays/statistics", body: #"{"enable": false, "overlay_name": "PlainCommunity"}"#)
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(try world.client.get("/overlays/statistics").text, #"{"statistics":[{"PlainCommunity":{}}]}"#)
        XCTAssertFalse(world.swarm.nodes[0].service.endpoint.statistics.isRecording)
    }

    func testDriftIsMeasuredBetweenEnableAndDisable() throws {
        let world = try World()
        defer { world.stop() }
        var reply = try world.client.get("/asyncio/drift")
        XCTAssertEqual(reply.status, 404)
        XCTAssertEqual(reply.text, #"{"success":false,"error":"Core drift disabled."}"#)
        XCTAssertEqual(try world.client.send("PUT", "/asyncio/drift", body: #"{"enable": true}"#).status, 200)
        world.swarm.loop.run(for: .milliseconds(500))
        reply = try world.client.get("/asyncio/drift")
        let measurements = try XCTUnwrap(reply.object?["measurements"] as? [[String: Any]])
        XCTAssertGreaterThan(measurements.count, 0, reply.text)
        let now = Date().timeIntervalSince1970
        for m in measurements {
            let drift = try XCTUnwrap(m["drift"] as? Double), timestamp = try XCTUnwrap(m["timestamp"] as? Double)
            XCTAssertGreaterThanOrEqual(drift, 0)
            XCTAssertLessThan(abs(now - timestamp), 60)
        }
        XCTAssertEqual(try world.client.send("PUT", "/asyncio/drift", body: #"{"enable": false}"#).status, 200)
        XCTAssertEqual(try world.client.get("/asyncio/drift").status, 404)
    }

    func testIsolationAddsABootstrapServerEveryOverlayWalksToAndNeverKeeps() throws {
        let world = try World()
        defer { world.stop() }
        let stranger = try LoopbackSwarm(count: 1, loop: world.swarm.loop) { try PlainCommunity(context: $0) }
        defer { stranger.stop() }
        let address = stranger.nodes[0].address
        let reply = try world.client.send("POST", "/isolation", body: #"{"ip": "127.0.0.1", "port": \#(address.port), "bootstrapnode": true}"#)
        XCTAssertEqual(reply.text, #"{"success":true}"#)
        let node = world.swarm.nodes[0]
        XCTAssertTrue(node.service.network.isBlacklisted(address))
        // The stranger got our introduction request (it now knows us); we never make it a peer.
        XCTAssertTrue(world.swarm.loop.run(until: { stranger.nodes[0].community.knows(node.community) }, timeout: .seconds(5)))
        XCTAssertFalse(node.community.peers.contains { $0.address == address })
    }

    func testWithoutTheKeyEveryRouteGets401ButTheDocsStayOpen() throws {
        let world = try World()
        defer { world.stop() }
        var anonymous = world.client
        anonymous.apiKey = nil
        for (method, path) in OpenAPIDocument.routes.map({ ($0.method.uppercased(), Self.concrete($0.path)) }) + [("GET", "/nothing")] {
            let reply = try anonymous.send(method, path, body: method == "GET" ? nil : "{}")
            XCTAssertEqual(reply.status, 401, "\(method) \(path)")
            XCTAssertEqual(reply.text, #"{"error":"Unauthorized access"}"#)
        }
        var wrong = world.client
        wrong.apiKey = "not the key"
        XCTAssertEqual(try wrong.get("/overlays").status, 401)
        XCTAssertEqual(try world.client.send("GET", "/overlays", keyInQuery: true).status, 200, "the key as ?apikey=")
        XCTAssertEqual(try anonymous.get("/docs/swagger.json").status, 200)
    }

    func testBadRequestsGetJSONErrorsAndLeaveTheNodeUnharmed() throws {
        let world = try World()
        defer { world.stop() }
        let node = world.swarm.nodes[0]
        let peersBefore = Set(node.community.peers.map(\.mid))
        let cases: [(String, String, String?, Int, String)] = [
            ("POST", "/overlays/statistics", "not json", 400, "JSONDecodeError"),
            ("POST", "/overlays/statistics", "[1, 2]", 400, "JSONDecodeError"),
            ("POST", "/overlays/statistics", nil, 400, "JSONDecodeError"),
            ("POST", "/overlays/statistics", #"{"all": true}"#, 400, #"Parameter \"enable\" is required"#),
            ("POST", "/overlays/statistics", #"{"enable": true}"#, 412, #"Parameter \"all\" or \"overlay_name\" is required"#),
            ("PUT", "/asyncio/drift", "{}", 400, "incorrect parameters"),
            ("POST", "/isolation", #"{"ip": "127.0.0.1"}"#, 400, #"Parameters \"ip\" and \"port\" are required"#),
            ("POST", "/isolation", #"{"ip": "127.0.0.1", "port": 5}"#, 400, "exitnode"),
            ("POST", "/isolation", #"{"ip": "nowhere", "port": 5, "bootstrapnode": true}"#, 400, "not an IP address"),
            ("POST", "/isolation", #"{"ip": "127.0.0.1", "port": 70000, "bootstrapnode": true}"#, 400, "not an IP address"),
            ("GET", "/nothing", nil, 404, "HTTPNotFound"),
            ("DELETE", "/overlays", nil, 404, "HTTPNotFound"),
            ("POST", "/overlays/statistics", String(repeating: " ", count: 70_000) + "{}", 413, "HTTPRequestEntityTooLarge"),
        ]
        for (method, path, body, status, message) in cases {
            let reply = try world.client.send(method, path, body: body)
            XCTAssertEqual(reply.status, status, "\(method) \(path) \(body?.prefix(40) ?? ""): \(reply.text)")
            XCTAssertNotNil(reply.object, "not a JSON object: \(reply.text)")
            XCTAssertTrue(reply.text.contains(message), "\(method) \(path): \(reply.text)")
        }
        XCTAssertEqual(try world.client.get("/overlays").status, 200)
        XCTAssertEqual(Set(node.community.peers.map(\.mid)), peersBefore)
        XCTAssertFalse(node.service.endpoint.statistics.isRecording)
    }

    func testTheOpenAPIDocumentListsEveryRouteAndEveryListedRouteAnswers() throws {
        let world = try World()
        defer { world.stop() }
        let reply = try world.client.get("/docs/swagger.json")
        let document = try XCTUnwrap(reply.object)
        XCTAssertEqual(document["openapi"] as? String, "3.0.3")
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        XCTAssertNotNil(document["security"], "with a key, the document asks for it")
        let bodies = ["/overlays/statistics": #"{"enable": false, "all": true}"#, "/asyncio/drift": #"{"enable": false}"#,
                      "/isolation": #"{"ip": "127.0.0.1", "port": 1, "exitnode": true}"#]
        for route in OpenAPIDocument.routes {
            XCTAssertNotNil(paths[route.path]?[route.method], "\(route.method) \(route.path) is not documented")
            let answer = try world.client.send(route.method.uppercased(), Self.concrete(route.path),
                                               body: route.method == "get" ? nil : bodies[route.path])
            XCTAssertTrue(route.responses.contains { $0.code == answer.status },
                          "\(route.method) \(route.path) answered \(answer.status), documented \(route.responses.map(\.code))")
        }
        XCTAssertEqual(paths.values.reduce(0) { $0 + $1.count }, OpenAPIDocument.routes.count)
        let parameters = (paths["/dht/values/{key}"]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]]
        XCTAssertEqual(parameters?.first?["name"] as? String, "key")
        XCTAssertEqual(parameters?.first?["in"] as? String, "path")
    }

    /// A documented path with its `{parameters}` filled in (a bucket prefix, else 20 bytes of hex).
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{prefix}", with: "0")
            .replacingOccurrences(of: "{key}", with: String(repeating: "00", count: 20))
            .replacingOccurrences(of: "{mid}", with: String(repeating: "00", count: 20))
    }
}
