import Foundation
import IPv8

/// What the tutorials get from py-ipv8's `IPv8(...)` and `default_bootstrap_defs`, kept on loopback: one
/// event loop, a ``Tracker`` on 127.0.0.1 in place of the public trackers, and nodes that bootstrap off it
/// with py-ipv8's `DispersyBootstrapper`.
final class LocalNetwork {
    let loop: EventLoop
    let trackerEndpoint: UDPEndpoint
    let tracker: Tracker
    private(set) var services: [IPv8Service] = []

    init() throws {
        loop = try EventLoop()
        trackerEndpoint = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        tracker = Tracker(key: try .generate(curve: .sect163k1), endpoint: trackerEndpoint, clock: LoopClock(loop: loop),
                          timers: loop)
        tracker.start()
    }

    /// The loopback stand-in for `default_bootstrap_defs`.
    var bootstrappers: [any Bootstrapper] { [DispersyBootstrapper(ipAddresses: [trackerEndpoint.localAddress], loop: loop)] }

    /// A node on 127.0.0.1 with a key of `generation` ("medium" in the tutorials), running the community
    /// `make` builds with a RandomWalk (target `targetPeers`, py-ipv8's `{"timeout": 3.0}`).
    func node<C: Community>(generation: String = "medium", targetPeers: Int = 10,
                            _ make: (CommunityContext) throws -> C) throws -> (service: IPv8Service, community: C) {
        let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        let key = try ECCurve(generation: generation).map { try PrivateKey.generate(curve: $0) } ?? .generate()
        let community = service.addOverlay(try make(service.context(key: key, bootstrappers: bootstrappers)))
        service.addStrategy(RandomWalk(overlay: community, settings: .init(timeout: .seconds(3))), targetPeers: targetPeers)
        services.append(service)
        return (service, community)
    }

    func start() { for service in services { service.start() } }

    /// Runs the loop until `condition` holds or `seconds` pass; returns whether it held.
    @discardableResult
    func run(seconds: Double, until condition: () -> Bool = { false }) -> Bool {
        loop.run(until: condition, timeout: .milliseconds(Int64(seconds * 1000)))
    }

    func stop() {
        for service in services { service.stop() }
        tracker.stop()
        trackerEndpoint.close()
        loop.stop()
    }
}

/// A plain community with a random id (py-ipv8's `community_id = os.urandom(20)`).
class TutorialCommunity: Community {
    static let id = CommunityID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255) })!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
}

/// An example's failure: printed, exit status 1.
struct ExampleFailed: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
