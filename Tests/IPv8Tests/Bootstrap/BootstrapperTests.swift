import XCTest
@testable import IPv8

final class BootstrapperTests: XCTestCase {
    func testDispersyBootstrapperBlacklistsItsTrackersAndRunsOncePerTimeout() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let tracker = try TestNode(loop: loop)
        let trackers = [tracker.address, Address(127, 0, 0, 1, port: 9)]
        let bootstrapper = DispersyBootstrapper(ipAddresses: trackers, bootstrapTimeout: 30)
        let node = try TestNode(loop: loop)
        node.community.bootstrappers = [bootstrapper]
        node.community.bootstrap()
        XCTAssertTrue(trackers.allSatisfy { node.network.isBlacklisted($0) })
        XCTAssertEqual(node.service.endpoint.counters.packetsOut, 2, "one introduction request per tracker")
        node.community.bootstrap()
        XCTAssertEqual(node.service.endpoint.counters.packetsOut, 2, "nothing again within the timeout")
        // The tracker answers, but as a blacklisted address it never becomes a peer.
        drive(loop) { tracker.community.counters.handledByID[246] == 1 && node.community.counters.handledByID[245] == 1 }
        XCTAssertTrue(node.community.peers.isEmpty)
    }

    func testDispersyBootstrapperResolvesNamesOffTheLoop() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let node = try TestNode(loop: loop)
        let bootstrapper = DispersyBootstrapper(ipAddresses: [], dnsAddresses: [(host: "localhost", port: 7)],
                                                bootstrapTimeout: 0, loop: loop)
        node.community.bootstrappers = [bootstrapper]
        node.community.bootstrap()
        drive(loop) { !bootstrapper.ipAddresses.isEmpty }
        XCTAssertTrue(bootstrapper.ipAddresses.allSatisfy { $0.isLoopback && $0.port == 7 })
        XCTAssertTrue(bootstrapper.ipAddresses.allSatisfy { node.network.isBlacklisted($0) })
    }

    func testUDPBroadcastBeaconsFindANodeOfTheSameCommunity() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop), b = try TestNode(loop: loop)
        let loopback = Address(127, 0, 0, 1, port: 0)
        let beaconA = UDPBroadcastBootstrapper(loop: loop, target: loopback, ports: [])
        let beaconB = UDPBroadcastBootstrapper(loop: loop, target: loopback, ports: [])
        a.community.bootstrappers = [beaconA]
        b.community.bootstrappers = [beaconB]
        try beaconB.open(for: b.community)
        let portB = try beaconB.open(for: b.community).port
        beaconA.ports = [portB]     // loopback only: A's beacon goes to B's broadcast socket
        a.community.bootstrap()
        XCTAssertEqual(beaconA.beaconsSent, 1)
        drive(loop) { a.knows(b) && b.knows(a) }
        beaconA.close(); beaconB.close()
    }
}
