import IPv8TestSupport
import IPv8Testing
import Foundation
import XCTest
@testable import IPv8

/// Our node and real py-ipv8 3.2.1 nodes over IPv6 on `::1` (py-ipv8's `UDPv6Endpoint`), both ways, with an
/// Ed25519 and a legacy EC key on the py-ipv8 side; and one dual-stack node of ours serving a py-ipv8 node
/// on 127.0.0.1 and one on ::1 at once.
final class IPv6InteropTests: XCTestCase {
    static let communityHex = PlainCommunity.defaultID.hex
    static let loopback6 = Address(ip: "::1", port: 0)!
    /// The py-ipv8 key kinds: Ed25519 and one legacy EC curve (all EC curves are covered over IPv4).
    static let pyKeys = ["curve25519", "medium"]

    private func ourNode(loop: EventLoop, bindTo address: Address, bootstrap: [Address] = []) throws -> TestNode {
        let node = try TestNode(loop: loop, bootstrap: bootstrap, bindTo: address)
        node.service.endpoint.sendsOnlyToLoopback = true
        node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: 20)
        node.service.start()
        return node
    }

    private func mid(_ node: TestNode) -> String { Hex.encode(node.community.myPeer.mid) }

    private func ourPeer(_ node: TestNode, _ py: PyIPv8Node) -> Peer? {
        node.community.peers.first { Hex.encode($0.mid) == py.status?.mid }
    }

    /// Whether each has the other as a verified peer of the test community.
    private func peersBothWays(_ node: TestNode, _ py: PyIPv8Node) -> Bool {
        ourPeer(node, py) != nil && (py.status?.peers.contains(mid(node)) ?? false)
    }

    private func assertCleanStop(_ py: PyIPv8Node, file: StaticString = #filePath, line: UInt = #line) {
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send off loopback", file: file, line: line)
        XCTAssertEqual(py.process.terminationStatus, 0, "pynode exit status; stderr: \(py.errors.suffix(2000))", file: file, line: line)
        XCTAssertFalse(py.errors.contains("Exception"), "py-ipv8 failed on a packet: \(py.errors.suffix(2000))", file: file, line: line)
    }

    /// The IPv6 checks of one verified pair: both sides hold the other at its ::1 address, and only new-style
    /// messages went between them (py-ipv8 cannot write IPv6 into old-style ones).
    private func assertIPv6Pair(_ ours: TestNode, _ py: PyIPv8Node, _ label: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ourPeer(ours, py)?.address, Address(ip: "::1", port: py.status?.port ?? 0)!, label, file: file, line: line)
        XCTAssertEqual(py.status?.peerAddresses[mid(ours)], ours.address.description, label, file: file, line: line)
        let received = py.status?.received ?? [:]
        XCTAssertEqual(received["InteropCommunity:246"] ?? 0, 0, label, file: file, line: line)
        XCTAssertEqual(received["InteropCommunity:245"] ?? 0, 0, label, file: file, line: line)
        let counters = ours.community.counters
        XCTAssertEqual(counters.handledByID[245] + counters.handledByID[246], 0, label, file: file, line: line)
        XCTAssertEqual(counters.badSignature + counters.malformed, 0, label, file: file, line: line)
    }

    func testPyIPv8OnIPv6BootstrapsOffOurIPv6Node() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let ours = try ourNode(loop: loop, bindTo: Self.loopback6)
        defer { ours.service.stop() }
        for key in Self.pyKeys {
            let py = try PyIPv8Node(communityID: Self.communityHex, ip: "::1", walkTo: [ours.address.description], key: key)
            defer { py.stop() }
            drive(loop, seconds: 30) { peersBothWays(ours, py) && (py.status?.received["InteropCommunity:233"] ?? 0) > 0 }
            assertIPv6Pair(ours, py, key)
            XCTAssertEqual(ourPeer(ours, py)?.key.ec != nil, key != "curve25519", key)
            assertCleanStop(py)
        }
    }

    func testOurIPv6NodeBootstrapsOffPyIPv8OnIPv6() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        for key in Self.pyKeys {
            let py = try PyIPv8Node(communityID: Self.communityHex, ip: "::1", key: key)
            defer { py.stop() }
            drive(loop, seconds: 30) { py.status != nil }
            let pyAddress = Address(ip: "::1", port: py.status?.port ?? 0)!
            let ours = try ourNode(loop: loop, bindTo: Self.loopback6, bootstrap: [pyAddress])
            defer { ours.service.stop() }
            drive(loop, seconds: 30) { peersBothWays(ours, py) && ours.community.counters.handledByID[233] > 0 }
            assertIPv6Pair(ours, py, key)
            XCTAssertEqual(ours.community.ownAddress(in: .ipv6), ours.address, "py-ipv8 told us where it saw us")
            assertCleanStop(py)
        }
    }

    /// One dual-stack node of ours (`::`), a py-ipv8 node on 127.0.0.1 and one on ::1 walking to it: all
    /// become verified peers of the dual-stack node, the IPv4 one at its plain IPv4 address, and each
    /// py-ipv8 node holds ours at the address of its own family.
    func testADualStackNodeServesPyIPv8OnIPv4AndOnIPv6AtOnce() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let dual = try ourNode(loop: loop, bindTo: Address(ip: "::", port: 0)!)
        defer { dual.service.stop() }
        let port = dual.address.port
        let v4 = try PyIPv8Node(communityID: Self.communityHex, walkTo: ["127.0.0.1:\(port)"])
        defer { v4.stop() }
        let v6 = try PyIPv8Node(communityID: Self.communityHex, ip: "::1", walkTo: ["[::1]:\(port)"], key: "medium")
        defer { v6.stop() }
        let started = Date()
        drive(loop, seconds: 30) { peersBothWays(dual, v4) && peersBothWays(dual, v6) }
        print("dual-stack node: py-ipv8 on 127.0.0.1 and on ::1 verified both ways in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        let v4Peer = try XCTUnwrap(ourPeer(dual, v4))
        XCTAssertEqual(v4Peer.address, Address(127, 0, 0, 1, port: v4.status?.port ?? 0))
        XCTAssertTrue(v4Peer.address.isIPv4, "an IPv4 peer is never an IPv4-mapped IPv6 address")
        XCTAssertNil(v4Peer.address(of: .ipv6))
        XCTAssertEqual(ourPeer(dual, v6)?.address, Address(ip: "::1", port: v6.status?.port ?? 0)!)
        XCTAssertEqual(v4.status?.peerAddresses[mid(dual)], "127.0.0.1:\(port)")
        XCTAssertEqual(v6.status?.peerAddresses[mid(dual)], "[::1]:\(port)")
        XCTAssertEqual(dual.community.counters.badSignature + dual.community.counters.malformed, 0)
        XCTAssertEqual(dual.service.endpoint.counters.sendErrors, 0)
        assertCleanStop(v4)
        assertCleanStop(v6)
    }
}

/// Spec §5.8 against py-ipv8 3.2.1 itself.
final class InterfaceSwitchingInteropTests: XCTestCase {
    /// A py-ipv8 dual-stack node (its `DispatcherEndpoint` on 127.0.0.1 and ::1) learns its IPv6 address from
    /// an IPv6 node of ours, then names it as the source address of its responses (py-ipv8's
    /// `my_preferred_address()`, IPv6 first). Our dual-stack node met it over IPv4: it discovers the IPv6
    /// address, walks there, and the py-ipv8 node becomes an IPv6 peer, its IPv4 address kept as IPv4.
    func testOurDualStackNodeSwitchesAPyIPv8DualStackPeerToIPv6() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let py = try PyIPv8Node(communityID: PlainCommunity.defaultID.hex, dualStack: true)
        defer { py.stop() }
        drive(loop, seconds: 30) { py.status != nil }
        let v4 = Address(127, 0, 0, 1, port: py.status?.port ?? 0)
        let v6 = Address(ip: "::1", port: py.status?.port6 ?? 0)!
        func node(_ bindTo: Address, bootstrap: Address, prepare: (TestNode) -> Void = { _ in }) throws -> TestNode {
            let node = try TestNode(loop: loop, bootstrap: [bootstrap], bindTo: bindTo)
            prepare(node)
            node.service.endpoint.sendsOnlyToLoopback = true
            node.service.addStrategy(RandomWalk(overlay: node.community), targetPeers: 20)
            node.service.start()
            return node
        }
        let teller = try node(Address(ip: "::1", port: 0)!, bootstrap: v6)
        defer { teller.service.stop() }
        drive(loop, seconds: 30) { py.status?.myAddresses.contains(v6.description) ?? false }

        // Only the switch under test may move the peer to IPv6: a walker learnt from the teller's puncture
        // request (py-ipv8 walking to the teller, which introduces us) can name py-ipv8's IPv6 address first.
        let dual = try node(Address(ip: "::", port: 0)!, bootstrap: v4) { $0.community.learnsWalkersFromPunctureRequests = false }
        defer { dual.service.stop() }
        let started = Date()
        func pyPeer() -> Peer? { dual.community.peers.first { Hex.encode($0.mid) == py.status?.mid } }
        drive(loop, seconds: 30) { pyPeer()?.address == v6 }
        print("py-ipv8 dual-stack peer switched to IPv6 in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        XCTAssertGreaterThanOrEqual(dual.community.counters.interfaceSwitches, 1)
        XCTAssertEqual(pyPeer()?.address(of: .ipv4), v4)
        drive(loop, seconds: 30) { py.status?.peers.contains(Hex.encode(dual.community.myPeer.mid)) ?? false }
        XCTAssertEqual(dual.community.counters.badSignature + dual.community.counters.malformed, 0)
        py.stop()
        XCTAssertEqual(py.finalStatus?.blockedSends, 0, "py-ipv8 tried to send off loopback")
        XCTAssertEqual(py.process.terminationStatus, 0, "pynode exit status; stderr: \(py.errors.suffix(2000))")
        XCTAssertFalse(py.errors.contains("Exception"), "py-ipv8 failed on a packet: \(py.errors.suffix(2000))")
    }
}
