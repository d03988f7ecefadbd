import Foundation
import IPv8
@testable import IPv8REST
import IPv8Testing
import IPv8TestSupport
import MetricsTestKit
import Prometheus
import XCTest

/// The MetricsPublisher's figures move with traffic, and `GET /metrics` serves them as Prometheus text that
/// Prometheus's own Python parser (prometheus_client, in the venv) reads.
final class MetricsTests: XCTestCase {
    func testPublishedCountersMoveWithTrafficByDeltas() throws {
        let swarm = try LoopbackSwarm(count: 2, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        let metrics = TestMetrics()
        let publisher = MetricsPublisher(service: swarm.nodes[0].service, interval: .milliseconds(100), factory: metrics)
        publisher.start()
        defer { publisher.stop() }
        swarm.start()
        let nodes = swarm.nodes
        XCTAssertTrue(swarm.run(until: { nodes[0].community.peerCount == 1 }, timeout: .seconds(5)))
        swarm.loop.run(for: .milliseconds(300))
        publisher.publish()
        let received = try metrics.expectCounter("ipv8_datagrams_received_total")
        XCTAssertEqual(UInt64(received.totalValue), nodes[0].service.endpoint.counters.packetsIn,
                       "the sum of the increments is the endpoint's own count")
        let id = PlainCommunity.defaultID.hex
        let handled = try metrics.expectCounter("ipv8_messages_handled_total",
                                                [("community", id), ("message_id", String(MessageID.newIntroductionRequest))])
        XCTAssertGreaterThan(handled.totalValue, 0)
        XCTAssertEqual(try metrics.expectGauge("ipv8_peers", [("community", id)]).lastValue, 1)
        let before = received.totalValue
        swarm.loop.run(for: .milliseconds(300))
        publisher.publish()
        XCTAssertGreaterThan(received.totalValue, before)
        XCTAssertEqual(UInt64(received.totalValue), nodes[0].service.endpoint.counters.packetsIn)
        XCTAssertEqual(UInt64(try metrics.expectCounter("ipv8_datagrams_sent_batched_total").totalValue),
                       nodes[0].service.endpoint.counters.batchedSends)
        XCTAssertEqual(UInt64(try metrics.expectCounter("ipv8_sends_queued_total").totalValue),
                       nodes[0].service.endpoint.counters.queuedSends)
        let gate = nodes[0].service.endpoint.router.verificationGate.counters
        XCTAssertGreaterThan(gate.admitted, 0)
        XCTAssertEqual(UInt64(try metrics.expectCounter("ipv8_gate_admitted_total").totalValue), gate.admitted)
        XCTAssertEqual(UInt64(try metrics.expectCounter("ipv8_gate_admitted_as_newcomer_total").totalValue),
                       gate.admittedAsNewcomer)
    }

    func testMetricsRouteServesPrometheusTextThatParses() throws {
        let swarm = try LoopbackSwarm(count: 2, walkInterval: .milliseconds(100), bootstrapToFirst: true,
                                      randomWalkTarget: 20) { try PlainCommunity(context: $0) }
        defer { swarm.stop() }
        let registry = PrometheusCollectorRegistry()
        let publisher = MetricsPublisher(service: swarm.nodes[0].service, interval: .milliseconds(100),
                                         factory: PrometheusMetricsFactory(registry: registry))
        publisher.start()
        defer { publisher.stop() }
        swarm.start()
        let rest = try RunningRESTServer(IPv8RESTServer(service: swarm.nodes[0].service, settings: RESTSettings(port: 0),
                                                        metrics: { registry.emitToBuffer() }), loop: swarm.loop)
        defer { rest.stop() }
        let client = RESTTestClient(loop: swarm.loop, port: rest.port)
        let nodes = swarm.nodes
        XCTAssertTrue(swarm.run(until: { nodes[0].community.peerCount == 1 }, timeout: .seconds(5)))
        let first = try Self.parse(try client.get("/metrics"))
        swarm.loop.run(for: .milliseconds(500))
        let second = try Self.parse(try client.get("/metrics"))
        let key = "ipv8_datagrams_received_total"
        XCTAssertGreaterThan(second[key] ?? 0, first[key] ?? 0, "counters move with traffic")
        XCTAssertEqual(second["ipv8_peers{community=\"\(PlainCommunity.defaultID.hex)\"}"], 1)
        XCTAssertNotNil(second["ipv8_loop_lag_seconds{quantile=\"0.99\"}"])
        let document = try XCTUnwrap(try client.get("/docs/swagger.json").object?["paths"] as? [String: Any])
        XCTAssertNotNil(document["/metrics"], "documented when served")
    }

    /// Samples of a Prometheus text document as `name{labels}` → value, read by prometheus_client's parser.
    static func parse(_ reply: RESTTestClient.Reply) throws -> [String: Double] {
        XCTAssertEqual(reply.status, 200)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-metrics-\(getpid())-\(UUID().uuidString).txt")
        try reply.body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                    out[s.name + ("{" + labels + "}" if labels else "")] = s.value
            print(json.dumps(out))
            """
        let result = try ChildProcess.run(try PyIPv8Node.python(), ["-c", script, file.path], timeout: 30)
        guard result.status == 0 else { throw RESTTestClient.Failed(description: "not Prometheus text: \(result.stderr)\n\(reply.text)") }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Double])
    }
}
