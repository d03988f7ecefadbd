import XCTest
@testable import IPv8Core

/// Ports of py-ipv8's `test_network.py` (spec §12.2), minus the cache-size tests, plus index checks.
final class NetworkTests: XCTestCase {
    var network = Network()
    let peers = (0..<4).map { testPeer($0, testAddress(100 + $0)) }
    let service1 = CommunityID(bytes: Array(0..<20))!
    let service2 = CommunityID(bytes: Array(20..<40))!

    override func setUp() {
        super.setUp()
        network = Network()
    }

    override func tearDown() {
        XCTAssertEqual(network.indexConsistencyViolations(), [])
        super.tearDown()
    }

    private func walkable(_ service: CommunityID? = nil) -> [Address] {
        network.walkableAddresses(service: service)
    }

    private func verified(_ peer: Peer) -> Bool {
        network.verifiedPeers.contains(peer)
    }

    // MARK: discoverAddress

    func testDiscoverAddress() {
        network.discoverAddress(peers[0], peers[1].address)
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertTrue(walkable().contains(peers[1].address))
        XCTAssertTrue(verified(peers[0]))
        XCTAssertFalse(verified(peers[1]))
        XCTAssertEqual(network.introductions(from: peers[0]), [peers[1].address])
    }

    func testDiscoverAddressDuplicate() {
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverAddress(peers[0], peers[1].address)
        XCTAssertEqual(walkable(), [peers[1].address])
        XCTAssertEqual(network.verifiedPeers, [peers[0]])
        XCTAssertEqual(network.introductions(from: peers[0]), [peers[1].address])
    }

    func testDiscoverAddressKnownKeepsFirstIntroducer() {
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverAddress(peers[2], peers[1].address)
        XCTAssertEqual(walkable(), [peers[1].address])
        XCTAssertTrue(verified(peers[0]))
        XCTAssertFalse(verified(peers[1]))
        XCTAssertTrue(verified(peers[2]))
        XCTAssertEqual(network.introductions(from: peers[0]), [peers[1].address])
        XCTAssertEqual(network.introductions(from: peers[2]), [])
    }

    func testDiscoverAddressKnownParentDeceased() {
        network.discoverAddress(peers[0], peers[1].address)
        network.removePeer(peers[0])
        network.discoverAddress(peers[2], peers[1].address)
        XCTAssertTrue(walkable().contains(peers[1].address))
        XCTAssertFalse(walkable().contains(peers[2].address))
        XCTAssertTrue(verified(peers[2]))
        XCTAssertFalse(verified(peers[1]))
        XCTAssertEqual(network.introductions(from: peers[2]), [peers[1].address])
        XCTAssertEqual(network.introductions(from: peers[0]), [], "the adopted address left the old introducer")
    }

    func testDiscoverAddressBlacklist() {
        network.addToBlacklist(peers[2].address)
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverAddress(peers[0], peers[2].address)
        XCTAssertEqual(walkable(), [peers[1].address])
        XCTAssertTrue(verified(peers[0]))
        XCTAssertFalse(verified(peers[1]))
        XCTAssertFalse(verified(peers[2]))
        XCTAssertEqual(network.introductions(from: peers[0]), [peers[1].address])
    }

    func testDiscoverAddressBlacklistStillVerifiesIntroducer() {
        network.addToBlacklist(peers[1].address)
        network.discoverAddress(peers[0], peers[1].address)
        XCTAssertEqual(network.verifiedPeers, [peers[0]])
        XCTAssertEqual(walkable(), [])
    }

    func testDiscoverAddressMultiple() {
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverAddress(peers[0], peers[2].address)
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertTrue(verified(peers[0]))
        for other in [1, 2] {
            XCTAssertTrue(walkable().contains(peers[other].address))
            XCTAssertFalse(verified(peers[other]))
        }
        XCTAssertEqual(network.introductions(from: peers[0]), [peers[1].address, peers[2].address])
    }

    /// Replaces `test_get_introductions_from_cache_no_refresh`: introductions are exact and in order.
    func testIntroductionsAreExactAndOrdered() {
        let intro1 = Address(1, 2, 3, 4, port: 5), intro2 = Address(6, 7, 8, 9, port: 10)
        let intro3 = Address(11, 12, 13, 14, port: 15)
        network.discoverAddress(peers[0], intro1)
        network.discoverAddress(peers[1], intro2)
        XCTAssertEqual(network.introductions(from: peers[0]), [intro1])
        XCTAssertEqual(network.introductions(from: peers[1]), [intro2])
        network.discoverAddress(peers[0], intro3)
        XCTAssertEqual(network.introductions(from: peers[0]), [intro1, intro3])
        network.removeByAddress(intro1)
        XCTAssertEqual(network.introductions(from: peers[0]), [intro3], "no stale introductions")
    }

    func testIsNewStyle() {
        network.discoverAddress(peers[0], peers[1].address, newStyle: true)
        network.discoverAddress(peers[0], peers[2].address)
        XCTAssertTrue(network.isNewStyle(peers[1].address))
        XCTAssertFalse(network.isNewStyle(peers[2].address))
        XCTAssertFalse(network.isNewStyle(peers[3].address))
    }

    // MARK: discoverServices

    func testDiscoverServices() {
        network.discoverServices(peers[0], [service1])
        network.addVerifiedPeer(peers[0])
        XCTAssertEqual(network.services(for: peers[0]), [service1])
        XCTAssertEqual(network.peersForService(service1), [peers[0]])
    }

    func testDiscoverServicesUnverified() {
        network.discoverServices(peers[0], [service1])
        XCTAssertEqual(network.services(for: peers[0]), [service1])
        XCTAssertEqual(network.peersForService(service1), [])
    }

    func testDiscoverServicesUpdate() {
        network.discoverServices(peers[0], [service1])
        network.discoverServices(peers[0], [service2])
        network.addVerifiedPeer(peers[0])
        XCTAssertEqual(network.services(for: peers[0]), [service1, service2])
        XCTAssertEqual(network.peersForService(service1), [peers[0]])
        XCTAssertEqual(network.peersForService(service2), [peers[0]])
    }

    func testDiscoverServicesUpdateOverlap() {
        network.discoverServices(peers[0], [service1])
        network.discoverServices(peers[0], [service1, service2])
        network.addVerifiedPeer(peers[0])
        XCTAssertEqual(network.services(for: peers[0]), [service1, service2])
        XCTAssertEqual(network.peersForService(service1), [peers[0]])
        XCTAssertEqual(network.peersForService(service2), [peers[0]])
    }

    func testDiscoverServicesAddressUpdate() {
        let key = peers[0].key
        var peer = Peer(key: key, address: Address(1, 1, 1, 1, port: 1))
        let canonical = peer
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, [service1])
        peer = Peer(key: key, address: Address(1, 1, 1, 1, port: 1))
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, [service2])
        peer = Peer(key: key, address: Address(1, 1, 1, 1, port: 2))
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, [service1])
        peer = Peer(key: key, address: Address(1, 1, 1, 1, port: 2))
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, [service2])

        XCTAssertTrue(network.peersForService(service1)[0] === canonical)
        XCTAssertEqual(network.peersForService(service1)[0].address, peer.address)
        XCTAssertEqual(network.peersForService(service2)[0].address, peer.address)
        XCTAssertTrue(network.verifiedPeer(byAddress: Address(1, 1, 1, 1, port: 2)) === canonical)
        XCTAssertNil(network.verifiedPeer(byAddress: Address(1, 1, 1, 1, port: 1)), "old address unindexed")
    }

    /// py-ipv8 issue 1131: services discovered later must show up for every service.
    func testServiceReconstruction() {
        network.addVerifiedPeer(peers[0])
        network.addVerifiedPeer(peers[1])
        network.discoverServices(peers[0], [service1, service2])
        _ = network.peersForService(service1)
        network.discoverServices(peers[1], [service2])
        XCTAssertEqual(network.peersForService(service2), [peers[0], peers[1]])
    }

    // MARK: addVerifiedPeer

    func testAddVerifiedPeerNew() {
        network.addVerifiedPeer(peers[0])
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertTrue(verified(peers[0]))
        XCTAssertEqual(network.introductions(from: peers[0]), [])
    }

    func testAddVerifiedPeerBlacklist() {
        network.addToBlacklist(peers[0].address)
        network.addVerifiedPeer(peers[0])
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertFalse(verified(peers[0]))
    }

    func testAddVerifiedPeerBlacklistedMid() {
        network.addToBlacklist(mid: peers[0].mid)
        network.addVerifiedPeer(peers[0])
        network.discoverAddress(peers[0], peers[1].address)
        XCTAssertEqual(network.verifiedPeers, [])
        XCTAssertEqual(network.blacklistMids, [peers[0].mid])
    }

    func testAddVerifiedPeerDuplicate() {
        network.addVerifiedPeer(peers[0])
        peers[0].updateClock(1, now: 1)
        network.addVerifiedPeer(peers[0])
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertEqual(network.verifiedPeers, [peers[0]])
        XCTAssertEqual(network.introductions(from: peers[0]), [])
    }

    func testAddVerifiedPeerCopyOnlyMergesAddresses() {
        network.addVerifiedPeer(peers[0])
        let copy = Peer(key: peers[0].key, address: Address("[::2]:9")!)
        network.addVerifiedPeer(copy)
        XCTAssertEqual(network.verifiedPeers.count, 1)
        XCTAssertTrue(network.verifiedPeers[0] === peers[0])
        XCTAssertEqual(peers[0].address, Address("[::2]:9")!)
        XCTAssertTrue(network.verifiedPeer(byAddress: Address("[::2]:9")!) === peers[0])
        XCTAssertTrue(network.verifiedPeer(byAddress: testAddress(100)) === peers[0])
        XCTAssertFalse(network.isKnown(Address("[::2]:9")!), "merged addresses do not become known, like py-ipv8")
    }

    func testAddVerifiedPeerPromote() {
        network.discoverAddress(peers[1], peers[0].address)
        network.addVerifiedPeer(peers[0])
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertTrue(verified(peers[0]))
        XCTAssertEqual(network.introductions(from: peers[0]), [])
    }

    // MARK: Lookups

    func testVerifiedByAddress() {
        network.addVerifiedPeer(peers[0])
        XCTAssertTrue(network.verifiedPeer(byAddress: peers[0].address) === peers[0])
        XCTAssertNil(network.verifiedPeer(byAddress: peers[1].address))
    }

    func testVerifiedByAddressFollowsExternalAddressChanges() {
        network.addVerifiedPeer(peers[0])
        let moved = Address(9, 9, 9, 9, port: 9)
        network.addAddress(moved, to: peers[0])
        XCTAssertTrue(network.verifiedPeer(byAddress: moved) === peers[0])
        XCTAssertNil(network.verifiedPeer(byAddress: testAddress(100)))
        network.addAddress(moved, kind: .ipv4LAN, to: peers[0])
        network.removeAddress(kind: .ipv4, from: peers[0])
        XCTAssertTrue(network.verifiedPeer(byAddress: moved) === peers[0])
    }

    func testVerifiedByPublicKeyAndMid() {
        network.addVerifiedPeer(peers[0])
        XCTAssertTrue(network.verifiedPeer(byPublicKeyBin: peers[0].publicKeyBin) === peers[0])
        XCTAssertTrue(network.verifiedPeer(byMid: peers[0].mid) === peers[0])
        XCTAssertNil(network.verifiedPeer(byPublicKeyBin: peers[1].publicKeyBin))
        XCTAssertNil(network.verifiedPeer(byMid: peers[1].mid))
    }

    // MARK: Removal

    func testRemoveByAddress() {
        network.addVerifiedPeer(peers[0])
        network.discoverServices(peers[0], [service1])
        network.removeByAddress(peers[0].address)
        XCTAssertFalse(verified(peers[0]))
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertEqual(network.services(for: peers[0]), [])
        XCTAssertEqual(network.peersForService(service1), [])
        XCTAssertNil(network.verifiedPeer(byAddress: peers[0].address))
        XCTAssertNil(network.verifiedPeer(byPublicKeyBin: peers[0].publicKeyBin))
    }

    func testRemoveByAddressUnverified() {
        network.discoverAddress(peers[0], peers[1].address)
        network.removeByAddress(peers[1].address)
        XCTAssertFalse(walkable().contains(peers[1].address))
        XCTAssertEqual(network.introductions(from: peers[0]), [])
    }

    func testRemoveByAddressUnknown() {
        network.addVerifiedPeer(peers[0])
        let walkableBefore = walkable(), verifiedBefore = network.verifiedPeers
        network.removeByAddress(peers[1].address)
        XCTAssertEqual(walkable(), walkableBefore)
        XCTAssertEqual(network.verifiedPeers, verifiedBefore)
    }

    func testRemoveByAddressNoServices() {
        network.addVerifiedPeer(peers[0])
        network.removeByAddress(peers[0].address)
        XCTAssertFalse(verified(peers[0]))
        XCTAssertFalse(walkable().contains(peers[0].address))
    }

    /// Fixes spec §14 item 11: py-ipv8 can never re-verify a peer removed by address.
    func testRemoveByAddressThenReverify() {
        network.addVerifiedPeer(peers[0])
        network.discoverServices(peers[0], [service1])
        network.removeByAddress(peers[0].address)
        network.addVerifiedPeer(peers[0])
        network.discoverServices(peers[0], [service1])
        XCTAssertEqual(network.verifiedPeers, [peers[0]])
        XCTAssertEqual(network.peersForService(service1), [peers[0]])
        XCTAssertTrue(network.verifiedPeer(byAddress: peers[0].address) === peers[0])
    }

    func testRemovePeer() {
        network.addVerifiedPeer(peers[0])
        network.discoverServices(peers[0], [service1])
        network.removePeer(peers[0])
        XCTAssertFalse(verified(peers[0]))
        XCTAssertFalse(walkable().contains(peers[0].address))
        XCTAssertEqual(network.services(for: peers[0]), [])
        XCTAssertEqual(network.knownAddressCount, 0)
    }

    func testRemovePeerExternal() {
        network.discoverAddress(peers[1], peers[0].address)
        network.removePeer(testPeer(0, peers[0].address))
        XCTAssertFalse(walkable().contains(peers[0].address))
    }

    func testRemovePeerUnknown() {
        network.addVerifiedPeer(peers[0])
        let walkableBefore = walkable(), verifiedBefore = network.verifiedPeers
        network.removePeer(peers[1])
        XCTAssertEqual(walkable(), walkableBefore)
        XCTAssertEqual(network.verifiedPeers, verifiedBefore)
    }

    /// Fixes spec §14 item 12: no lookup returns a removed peer.
    func testRemovePeerPurgesEveryIndex() {
        network.discoverServices(peers[0], [service1])
        network.discoverAddress(peers[0], peers[1].address, service: service1)
        XCTAssertTrue(network.verifiedPeer(byAddress: peers[0].address) === peers[0])
        network.removePeer(testPeer(0))   // a copy without addresses: the canonical object's addresses go too
        XCTAssertNil(network.verifiedPeer(byAddress: peers[0].address))
        XCTAssertNil(network.verifiedPeer(byMid: peers[0].mid))
        XCTAssertEqual(network.peersForService(service1), [])
        XCTAssertFalse(network.isKnown(peers[0].address))
        XCTAssertEqual(walkable(service1), [peers[1].address], "still walkable through the entry's service")
        network.addVerifiedPeer(peers[0])
        XCTAssertTrue(network.verifiedPeer(byAddress: peers[0].address) === peers[0])
    }

    // MARK: Walkable addresses

    func testWalkableByService() {
        network.discoverAddress(peers[2], peers[3].address)
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverServices(peers[0], [service1])
        XCTAssertEqual(walkable(service1), [peers[1].address])
    }

    func testWalkableByEntryService() {
        network.discoverAddress(peers[0], peers[1].address, service: service1)
        XCTAssertEqual(walkable(service1), [peers[1].address])
        XCTAssertEqual(walkable(service2), [])
        XCTAssertEqual(network.services(for: peers[0]), [], "no in-place mutation of the introducer's services")
    }

    func testWalkableOldStyleSkipsNewStyle() {
        network.discoverServices(peers[0], [service1])
        network.discoverAddress(peers[0], peers[1].address, newStyle: true)
        network.discoverAddress(peers[0], peers[2].address)
        XCTAssertEqual(walkable(service1), [peers[1].address, peers[2].address])
        XCTAssertEqual(network.walkableAddresses(service: service1, oldStyle: true), [peers[2].address])
    }

    func testWalkableExcludesVerifiedPeersOfTheService() {
        network.discoverServices(peers[0], [service1])
        network.discoverAddress(peers[0], peers[1].address)
        network.discoverAddress(peers[0], peers[2].address)
        network.addVerifiedPeer(peers[1])
        network.discoverServices(peers[1], [service1])
        network.addVerifiedPeer(peers[2])   // verified, but not a member of service1: still walkable for it
        XCTAssertEqual(walkable(service1), [peers[2].address])
        XCTAssertEqual(walkable(), [])
    }

    func testAddressesWithoutIntroducerAreNotWalkablePerService() {
        network.addVerifiedPeer(peers[0])
        network.removePeer(testPeer(9))
        network.loadSnapshot([0x01, 1, 2, 3, 4, 0, 5])
        XCTAssertEqual(walkable(), [Address(1, 2, 3, 4, port: 5)])
        XCTAssertEqual(walkable(service1), [])
    }

    // MARK: Snapshots

    func testSnapshotOnlyVerified() {
        for peer in peers { network.addVerifiedPeer(peer) }
        XCTAssertEqual(network.snapshot().count, 7 * peers.count)
    }

    func testSnapshotVerifiedAndUnverified() {
        network.addVerifiedPeer(peers[0])
        network.discoverAddress(peers[0], peers[1].address)
        let snapshot = network.snapshot()
        XCTAssertEqual(snapshot.count, 7)
        XCTAssertEqual(snapshot, [0x01, 10, 0, 0, 100, 0x04, 0x4C])
    }

    func testSnapshotOnlyUnverified() {
        network.addToBlacklist(mid: peers[0].mid)
        for peer in peers[1...] { network.discoverAddress(peers[0], peer.address) }
        XCTAssertEqual(network.snapshot(), [])
    }

    func testSnapshotNoPeers() {
        XCTAssertEqual(network.snapshot(), [])
    }

    func testSnapshotIPv6AndRoundTrip() {
        let v6 = Address("[2001:db8::1]:443")!
        network.addVerifiedPeer(testPeer(7, v6))
        network.addVerifiedPeer(testPeer(8))   // 0.0.0.0:0 is skipped
        let snapshot = network.snapshot()
        XCTAssertEqual(snapshot.count, 19)
        let other = Network()
        other.loadSnapshot(snapshot)
        XCTAssertEqual(other.walkableAddresses(), [v6])
    }

    private let snapshotVector: [UInt8] = [
        0x01, 0x36, 0xe2, 0x38, 0x71, 0xe1, 0x4a, 0x01, 0x46, 0xc8, 0xb7, 0x1d, 0xed, 0x8f,
        0x01, 0xc2, 0x74, 0x2a, 0xae, 0x55, 0x7a, 0x01, 0x8f, 0x5d, 0xfe, 0xaf, 0xa3, 0x86,
    ]

    func testLoadSnapshot() {
        network.loadSnapshot(snapshotVector)
        XCTAssertEqual(walkable(), [
            Address(ip: "54.226.56.113", port: 57674)!, Address(ip: "70.200.183.29", port: 60815)!,
            Address(ip: "194.116.42.174", port: 21882)!, Address(ip: "143.93.254.175", port: 41862)!,
        ])
    }

    func testLoadSnapshotEmpty() {
        network.loadSnapshot([])
        XCTAssertEqual(walkable(), [])
    }

    func testLoadSnapshotMalformed() {
        network.loadSnapshot(Array(snapshotVector.dropFirst()))
        XCTAssertEqual(walkable(), [])
    }

    func testLoadSnapshotTruncated() {
        network.loadSnapshot(Array(snapshotVector.dropLast()))
        XCTAssertEqual(walkable().count, 3)
    }

    func testLoadSnapshotSkipsDomainEntries() {
        let domain: [UInt8] = [0x02, 0x00, 0x03] + Array("abc".utf8) + [0x00, 0x05]
        network.loadSnapshot(domain + snapshotVector.prefix(7))
        XCTAssertEqual(walkable(), [Address(ip: "54.226.56.113", port: 57674)!])
    }

    // MARK: Observers

    func testAddAndRemovePeerObserver() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.addPeerObserver(observer)
        XCTAssertEqual(network.peerObservers.count, 1)
        XCTAssertTrue(network.peerObservers[0] === observer)
        network.removePeerObserver(observer)
        XCTAssertTrue(network.peerObservers.isEmpty)
    }

    func testObserversAreWeak() {
        var observer: RecordingObserver? = RecordingObserver()
        network.addPeerObserver(observer!)
        observer = nil
        XCTAssertTrue(network.peerObservers.isEmpty)
        network.addVerifiedPeer(peers[0])
    }

    func testNotifyAdditionViaAddVerifiedPeer() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.addVerifiedPeer(peers[0])
        network.addVerifiedPeer(peers[0])
        XCTAssertEqual(observer.added, [peers[0]])
    }

    func testNotifyAdditionViaDiscoverAddress() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.discoverAddress(peers[0], peers[1].address)
        XCTAssertEqual(observer.added, [peers[0]])
    }

    func testNotifyAdditionKnownAddress() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.discoverAddress(peers[0], peers[1].address)
        network.addVerifiedPeer(peers[1])
        XCTAssertEqual(observer.added, [peers[0], peers[1]])
    }

    func testNotifyRemoval() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.addVerifiedPeer(peers[0])
        network.removePeer(peers[0])
        network.removePeer(peers[0])
        XCTAssertEqual(observer.removed, [peers[0]])
    }

    func testNotifyRemovalByAddress() {
        let observer = RecordingObserver()
        network.addPeerObserver(observer)
        network.addVerifiedPeer(peers[0])
        network.removeByAddress(peers[0].address)
        XCTAssertEqual(observer.removed, [peers[0]])
    }

    func testNotifyRemovalByAddressMany() {
        let observer = RecordingObserver()
        let shared = Address(7, 7, 7, 7, port: 0)
        network.addPeerObserver(observer)
        network.addVerifiedPeer(peers[0])
        let share1 = testPeer(50, shared), share2 = testPeer(51, shared)
        network.addVerifiedPeer(share1)
        network.addVerifiedPeer(share2)
        network.addVerifiedPeer(peers[1])
        XCTAssertTrue(network.verifiedPeer(byAddress: shared) === share1)
        network.removeByAddress(shared)
        XCTAssertEqual(observer.removed, [share1, share2])
        XCTAssertEqual(network.verifiedPeers, [peers[0], peers[1]])
    }

    func testObserverMayMutateTheNetwork() {
        let observer = RecordingObserver()
        observer.onAdd = { [unowned self] peer in
            if peer == self.peers[0] { self.network.discoverServices(peer, [self.service1]) }
        }
        network.addPeerObserver(observer)
        network.addVerifiedPeer(peers[0])
        XCTAssertEqual(network.peersForService(service1), [peers[0]])
    }

    // MARK: Configuration

    func testBlacklistAndServiceProviders() {
        network.addToBlacklist(peers[0].address)
        network.addToBlacklist(peers[0].address)
        XCTAssertEqual(network.blacklist, [peers[0].address])
        network.removeFromBlacklist(peers[0].address)
        XCTAssertFalse(network.isBlacklisted(peers[0].address))

        var overlay: RecordingObserver? = RecordingObserver()
        network.registerServiceProvider(service1, overlay: overlay!)
        XCTAssertTrue(network.serviceProvider(for: service1) === overlay)
        XCTAssertEqual(network.localServices, [service1])
        overlay = nil
        XCTAssertNil(network.serviceProvider(for: service1))
        XCTAssertEqual(network.localServices, [])
    }
}

final class RecordingObserver: PeerObserver {
    var added: [Peer] = []
    var removed: [Peer] = []
    var onAdd: ((Peer) -> Void)?

    func onPeerAdded(_ peer: Peer) {
        added.append(peer)
        onAdd?(peer)
    }

    func onPeerRemoved(_ peer: Peer) {
        removed.append(peer)
    }
}
