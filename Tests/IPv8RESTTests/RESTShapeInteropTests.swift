import Foundation
import IPv8
import IPv8REST
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
