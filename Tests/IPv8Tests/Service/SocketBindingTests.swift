import IPv8Testing
import XCTest
@testable import IPv8

/// py-ipv8's `UDPIPv4` and `UDPIPv6` interfaces, as configuration and as the one socket a node opens.
final class SocketBindingTests: XCTestCase {
    private func interfaces(_ entries: [(String, String, UInt16)]) -> Configuration {
        Configuration(interfaces: entries.map { Configuration.Interface(interface: $0.0, ip: $0.1, port: $0.2) })
    }

    private func problems(_ configuration: Configuration) -> [String] {
        do {
            _ = try configuration.socketBinding()
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    func testEachFamilyAloneOrBothOnOneDualStackSocket() throws {
        XCTAssertEqual(try interfaces([("UDPIPv4", "127.0.0.1", 8090)]).socketBinding(),
                       .init(address: Address(127, 0, 0, 1, port: 8090)))
        let v6 = try interfaces([("UDPIPv6", "::1", 0)]).socketBinding()
        XCTAssertEqual(v6, .init(address: Address(ip: "::1", port: 0)!, ipv6Only: true))
        XCTAssertEqual(v6.families, .ipv6)
        XCTAssertEqual(try interfaces([("UDPIPv6", "::", 0)]).socketBinding().families, .ipv6, "UDPIPv6 alone takes no IPv4")
        let both = try interfaces([("UDPIPv6", "::", 8090), ("UDPIPv4", "0.0.0.0", 8090)]).socketBinding()
        XCTAssertEqual(both, .init(address: Address(ip: "::", port: 8090)!))
        XCTAssertEqual(both.families, [.ipv4, .ipv6])
        // The JSON shape py-ipv8 writes, with UDPIPv6's default ip (::).
        let json = try Configuration(json: #"{"interfaces": [{"interface": "UDPIPv4", "ip": "0.0.0.0", "port": 0}, {"interface": "UDPIPv6", "port": 0}], "keys": [], "overlays": []}"#)
        XCTAssertEqual(try json.socketBinding(), .init(address: Address(ip: "::", port: 0)!))
    }

    func testWhatOneSocketCannotServeIsRefusedNamingTheField() {
        let dual = "UDPIPv4 and UDPIPv6 share one dual-stack socket, which binds every address of both families"
        XCTAssertEqual(problems(interfaces([("UDPIPv4", "0.0.0.0", 8090), ("UDPIPv6", "::", 8091)])),
                       ["interfaces[1].port: must equal the UDPIPv4 port 8090, not 8091: \(dual) on one port"])
        XCTAssertEqual(problems(interfaces([("UDPIPv4", "127.0.0.1", 0), ("UDPIPv6", "::1", 0)])),
                       ["interfaces[0].ip: must be 0.0.0.0, not 127.0.0.1: \(dual)", "interfaces[1].ip: must be ::, not ::1: \(dual)"])
        XCTAssertEqual(problems(interfaces([("UDPIPv4", "::", 0)])),
                       ["interfaces[0].ip: \"::\" is not an IPv4 address, which UDPIPv4 needs"])
        XCTAssertEqual(problems(interfaces([("UDPIPv6", "::ffff:127.0.0.1", 0)])),
                       ["interfaces[0].ip: \"::ffff:127.0.0.1\" is not an IPv6 address, which UDPIPv6 needs"])
        XCTAssertEqual(problems(interfaces([("UDPIPv4", "0.0.0.0", 0), ("UDPIPv4", "0.0.0.0", 1)])),
                       ["interfaces[1].interface: UDPIPv4 is already interfaces[0]; a node has one socket per address family"])
        XCTAssertEqual(problems(Configuration(interfaces: [])), ["interfaces: at least one interface is needed"])
    }

    /// Loading binds what the interfaces say. Whether IPv4 is taken shows in whether an IPv4 socket can
    /// bind the same port afterwards.
    func testLoadingOpensAnIPv6OnlyOrADualStackSocket() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ipv6Only = try IPv8Service.load(interfaces([("UDPIPv6", "::", 0)]), registry: OverlayRegistry(), loop: loop)
        defer { ipv6Only.stop() }
        XCTAssertEqual(ipv6Only.endpoint.families, .ipv6)
        let port = ipv6Only.endpoint.localAddress.port
        let v4 = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: port))
        v4.close()
        ipv6Only.endpoint.send([0], to: Address(127, 0, 0, 1, port: port))
        XCTAssertEqual(ipv6Only.endpoint.counters.sendErrors, 1, "an IPv6-only socket does not send to IPv4")

        let dual = try IPv8Service.load(interfaces([("UDPIPv4", "0.0.0.0", 0), ("UDPIPv6", "::", 0)]),
                                        registry: OverlayRegistry(), loop: loop)
        defer { dual.stop() }
        XCTAssertEqual(dual.endpoint.families, [.ipv4, .ipv6])
        XCTAssertThrowsError(try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: dual.endpoint.localAddress.port)),
                             "the dual-stack socket holds the IPv4 port too")
        XCTAssertThrowsError(try IPv8Service.load(interfaces([("UDPIPv4", "0.0.0.0", 0), ("UDPIPv6", "::", 1)]),
                                                  registry: OverlayRegistry(), loop: loop)) { error in
            XCTAssertEqual((error as? ConfigurationErrors)?.errors.map(\.path), ["interfaces[1].port"])
        }
    }

    /// One dual-stack node and two of ours, one on 127.0.0.1 and one on ::1: each pair verifies each other,
    /// the IPv4 node is an IPv4 address at the dual-stack node (never `::ffff:`), and the dual-stack node's
    /// own addresses are its IPv4 estimate and the IPv6 address the IPv6 node saw.
    func testADualStackNodeServesOurIPv4AndIPv6NodesAtOnce() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let dual = try TestNode(loop: loop, bindTo: Address(ip: "::", port: 0)!)
        dual.service.endpoint.sendsOnlyToLoopback = true
        let port = dual.address.port
        let v4 = try TestNode(loop: loop, bootstrap: [Address(127, 0, 0, 1, port: port)])
        let v6 = try TestNode(loop: loop, bootstrap: [Address(ip: "::1", port: port)!], bindTo: Address(ip: "::1", port: 0)!)
        for node in [dual, v4, v6] {
            node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: 20)
            node.service.start()
        }
        drive(loop, seconds: 10) {
            dual.knows(v4) && dual.knows(v6) && v4.knows(dual) && v6.knows(dual)
                && dual.community.ownAddress(in: .ipv4)?.isLoopback == true && dual.community.ownAddress(in: .ipv6) != nil
        }
        let peers = Dictionary(uniqueKeysWithValues: dual.community.peers.map { ($0.mid, $0) })
        XCTAssertEqual(peers[v4.community.myPeer.mid]?.address, v4.address)
        XCTAssertTrue(peers[v4.community.myPeer.mid]?.address.isIPv4 ?? false)
        XCTAssertEqual(peers[v6.community.myPeer.mid]?.address, v6.address)
        XCTAssertEqual(v4.community.peers.first?.address, Address(127, 0, 0, 1, port: port))
        XCTAssertEqual(v6.community.peers.first?.address, Address(ip: "::1", port: port)!)
        XCTAssertEqual(dual.community.ownAddress(in: .ipv6), Address(ip: "::1", port: port)!)
        // Before a response, our IPv4 address is the LAN guess (the host's interface address); then what v4 saw.
        XCTAssertEqual(dual.community.ownAddress(in: .ipv4), Address(127, 0, 0, 1, port: port))
        // IPv6 only ever spoke new style; the IPv4 node started old style.
        XCTAssertEqual(v6.community.counters.handledByID[245] + v6.community.counters.handledByID[246], 0)
        XCTAssertGreaterThan(v6.community.counters.handledByID[233], 0)
        XCTAssertEqual(dual.service.endpoint.counters.sendErrors + dual.service.endpoint.counters.sendsRefusedOffLoopback, 0)
        for node in [v6, v4, dual] { node.service.stop() }
    }
}
