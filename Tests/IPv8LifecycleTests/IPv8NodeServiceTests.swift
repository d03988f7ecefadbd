import IPv8
import IPv8Lifecycle
import IPv8Testing
import Logging
import ServiceLifecycle
import XCTest

/// Two nodes run as services of one ServiceGroup beside a host service of its own; they find each other,
/// and a graceful shutdown of the group stops both (sockets closed, loops closed) and returns.
final class IPv8NodeServiceTests: XCTestCase {
    /// The host's own service: runs until the group shuts down, counting that it saw the shutdown.
    final class HostService: Service, Sendable {
        func run() async throws { try await gracefulShutdown() }
    }

    static func node(bootstrap: [Address] = []) throws -> (IPv8Service, PlainCommunity) {
        let loop = try EventLoop()
        let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0),
                                      scheduling: .init(walkInterval: .milliseconds(100)))
        let context = service.context(key: .generate(), bootstrappers: bootstrap.isEmpty ? [] : [AddressListBootstrapper(bootstrap)])
        let community = service.addOverlay(try PlainCommunity(context: context))
        service.addStrategy(RandomWalk(overlay: community), targetPeers: 20)
        return (service, community)
    }

    func testNodesRunInAServiceGroupAndStopWithItsGracefulShutdown() async throws {
        let (a, _) = try Self.node()
        let (b, _) = try Self.node(bootstrap: [a.endpoint.localAddress])
        let nodeA = IPv8NodeService(a), nodeB = IPv8NodeService(b)
        let group = ServiceGroup(configuration: .init(services: [nodeA, nodeB, HostService()],
                                                      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        let running = Task { try await group.run() }

        let deadline = ContinuousClock.now + .seconds(10)
        var peers = 0
        while ContinuousClock.now < deadline {
            peers = try await nodeA.withService { $0.overlays[0].peerCount }
            if peers == 1 { break }
            try await Task.sleep(for: .milliseconds(20))   // polling the node's state, bounded by the deadline
        }
        XCTAssertEqual(peers, 1, "a did not find b within 10 s")

        await group.triggerGracefulShutdown()
        try await running.value
        XCTAssertTrue(nodeA.loop.isClosed)
        XCTAssertTrue(nodeB.loop.isClosed)
        do {
            _ = try await nodeA.withService { $0.overlays.count }
            XCTFail("a stopped node takes no work")
        } catch IPv8NodeServiceError.notRunning {}
    }
}
