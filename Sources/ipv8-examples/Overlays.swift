import ArgumentParser
import Foundation
import IPv8

/// py-ipv8's default configuration (`get_default_configuration()`) with its public trackers replaced by
/// the loopback tracker, its port by any free one on 127.0.0.1, and the overlays we do not have
/// (HiddenTunnelCommunity) left out, each named on stderr.
func loopbackDefaultConfiguration(tracker: Address) -> Configuration {
    var configuration = Configuration.default
    configuration.interfaces = configuration.interfaces.map { var i = $0; i.ip = "127.0.0.1"; i.port = 0; return i }
    configuration.keys = configuration.keys.map { var k = $0; k.file = ""; return k }   // no key file written
    let loopback = Configuration.BootstrapperDefinition(className: "DispersyBootstrapper", initArguments: [
        "ip_addresses": .array([.array([.string("127.0.0.1"), .integer(Int64(tracker.port))])]),
        "dns_addresses": .array([]),
    ])
    let (supported, warnings) = configuration.skippingOverlays(unknownTo: .builtIns)
    for warning in warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
    configuration = supported
    configuration.overlays = configuration.overlays.map { var o = $0; o.bootstrappers = [loopback]; return o }
    return configuration
}

/// overlay_tutorial_1: start one node with the default configuration, run, stop.
struct Overlay1: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overlay1", abstract: "overlay_tutorial_1: one default node.")
    @Option(help: "Seconds to run.") var duration: Double = 1

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let service = try IPv8Service.load(loopbackDefaultConfiguration(tracker: net.trackerEndpoint.localAddress),
                                           registry: .builtIns, loop: net.loop)
        service.start()
        net.run(seconds: duration)
        print("started \(service.overlays.map { "\(type(of: $0))" }.joined(separator: ", ")) on \(service.endpoint.localAddress)")
        service.stop()
    }
}

/// overlay_tutorial_2: two default nodes find each other (in DiscoveryCommunity).
struct Overlay2: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overlay2", abstract: "overlay_tutorial_2: two default nodes meet.")
    @Option(help: "Seconds to wait at most.") var duration: Double = 10

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let configuration = loopbackDefaultConfiguration(tracker: net.trackerEndpoint.localAddress)
        let a = try IPv8Service.load(configuration, registry: .builtIns, loop: net.loop)
        let b = try IPv8Service.load(configuration, registry: .builtIns, loop: net.loop)
        a.start(); b.start()
        defer { a.stop(); b.stop() }
        let met = net.run(seconds: duration) { a.overlays[0].peerCount > 0 && b.overlays[0].peerCount > 0 }
        print("node 1 peers: \(a.overlays[0].peers), node 2 peers: \(b.overlays[0].peers)")
        guard met else { throw ExampleFailed("the two nodes did not meet") }
    }
}

/// overlay_tutorial_3: two nodes of our own community (medium EC keys) find each other.
struct Overlay3: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overlay3", abstract: "overlay_tutorial_3: our own community.")
    @Option(help: "Seconds to wait at most.") var duration: Double = 10

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let nodes = try (1...2).map { _ in try net.node { try TutorialCommunity(context: $0) }.community }
        net.start()
        let met = net.run(seconds: duration) { nodes.allSatisfy { $0.peerCount == 1 } }
        for node in nodes { print("\(node.myPeer) has peers \(node.peers)") }
        guard met else { throw ExampleFailed("the two nodes did not meet") }
    }
}

/// overlay_tutorial_4: a PeerObserver prints every peer its community finds.
final class ObservingCommunity: TutorialCommunity, PeerObserver {
    var found = 0
    func onPeerAdded(_ peer: Peer) {
        found += 1
        print("I am: \(myPeer) I found: \(peer)")
    }
    func onPeerRemoved(_ peer: Peer) {}
    /// py-ipv8's `started()`.
    func started() { network.addPeerObserver(self) }
}

struct Overlay4: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overlay4", abstract: "overlay_tutorial_4: a peer observer.")
    @Option(help: "Seconds to wait at most.") var duration: Double = 10

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let nodes = try (1...2).map { _ in try net.node { try ObservingCommunity(context: $0) }.community }
        for node in nodes { node.started() }
        net.start()
        guard net.run(seconds: duration, until: { nodes.allSatisfy { $0.found >= 1 } }) else {
            throw ExampleFailed("a node found nobody")
        }
    }
}
