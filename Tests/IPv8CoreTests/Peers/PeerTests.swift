#if canImport(Glibc)
import Glibc
#endif
import IPv8Testing
import XCTest
@testable import IPv8Core

final class PeerTests: XCTestCase {
    let a4 = Address(1, 2, 3, 4, port: 5)
    let b4 = Address(6, 7, 8, 9, port: 10)
    let a6 = Address("[::1]:7")!

    // MARK: Key and size

    /// The key is rebuilt from the key bin (curve25519) or kept (EC): the same key either way.
    func testKeyRoundTripsForBothKeyKinds() throws {
        let nacl = PrivateKey.generate().publicKey
        XCTAssertEqual(Peer(key: nacl, address: a4).key, nacl)
        XCTAssertEqual(Peer(key: nacl, address: a4).key.bin, nacl.bin)
        let ec = try PrivateKey.generate(curve: .sect233k1).publicKey
        XCTAssertEqual(Peer(key: ec, address: a4).key, ec)
        XCTAssertEqual(Peer(key: ec, address: a4).key.bin, ec.bin)
    }

    /// A peer object fits in a 160-byte heap block (a node of a swarm keeps a few dozen of them).
    func testPeerObjectFitsIn160Bytes() throws {
        #if canImport(Glibc)
        // glibc's malloc_usable_size (in <malloc.h>, which the Glibc module does not export): a 160-byte block
        // has 152 usable bytes.
        typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
        let symbol = try XCTUnwrap(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_usable_size"))
        let usableSize = unsafeBitCast(symbol, to: UsableSize.self)
        let peer = Peer(key: PrivateKey.generate().publicKey, address: a4)
        withExtendedLifetime(peer) {
            XCTAssertLessThanOrEqual(usableSize(Unmanaged.passUnretained(peer).toOpaque()), 160 - 8)
        }
        #else
        throw XCTSkip("needs glibc's malloc_usable_size")
        #endif
    }

    // MARK: Lamport clock

    func testLamportClockDefaultsToZero() {
        XCTAssertEqual(testPeer(1).lamportTimestamp, 0)
    }

    func testLamportClockIncrements() {
        let peer = testPeer(1)
        peer.updateClock(1, now: 10)
        XCTAssertEqual(peer.lamportTimestamp, 1)
    }

    func testLamportClockIncreases() {
        let peer = testPeer(1)
        peer.updateClock(2, now: 10)
        peer.updateClock(3, now: 11)
        XCTAssertEqual(peer.lamportTimestamp, 3)
    }

    func testLamportClockNeverDecreasesButRefreshesLastResponse() {
        let peer = testPeer(1)
        peer.updateClock(3, now: 10)
        peer.updateClock(2, now: 12)
        XCTAssertEqual(peer.lamportTimestamp, 3)
        XCTAssertEqual(peer.lastResponse, 12)
    }

    func testLastResponseAndCreationTime() {
        let introduced = Peer(key: testKey(1), address: a4, now: 100)
        XCTAssertEqual(introduced.lastResponse, 0)
        XCTAssertEqual(introduced.creationTime, 100)
        let contacted = Peer(key: testKey(1), address: a4, intro: false, now: 100)
        XCTAssertEqual(contacted.lastResponse, 100)
    }

    // MARK: Identity

    func testEqualityIsByKeyOnly() {
        let p1 = testPeer(1, a4), p1b = testPeer(1, b4), p2 = testPeer(2, a4)
        XCTAssertEqual(p1, p1b)
        XCTAssertEqual(p1.hashValue, p1b.hashValue)
        XCTAssertNotEqual(p1, p2)
        XCTAssertEqual(Set([p1, p1b, p2]).count, 2)
    }

    func testHashIsMidPrefixBigEndian() {
        let peer = Peer(key: Vectors.keyA.publicKey, address: nil)   // mid e0149866574a1f36…
        XCTAssertEqual(peer.midPrefix, 0xE014_9866_574A_1F36)
    }

    // MARK: Pings

    func testPingsEmpty() {
        let peer = testPeer(1)
        XCTAssertNil(peer.medianPing)
        XCTAssertNil(peer.averagePing)
    }

    func testPingsOddCount() {
        let peer = testPeer(1)
        for rtt in [0.3, 0.1, 0.2] { peer.addPing(rtt) }
        XCTAssertEqual(peer.medianPing, 0.2)
        XCTAssertEqual(peer.averagePing!, 0.2, accuracy: 1e-12)
    }

    func testPingsEvenCount() {
        let peer = testPeer(1)
        for rtt in [0.4, 0.1, 0.2, 0.3] { peer.addPing(rtt) }
        XCTAssertEqual(peer.medianPing!, 0.25, accuracy: 1e-12)
        XCTAssertEqual(peer.averagePing!, 0.25, accuracy: 1e-12)
    }

    func testPingsKeepTheLastFive() {
        let peer = testPeer(1)
        for rtt in 1...7 { peer.addPing(Double(rtt)) }
        XCTAssertEqual(peer.pings, [3, 4, 5, 6, 7])
        XCTAssertEqual(peer.medianPing, 5)
    }

    // MARK: Description

    func testDescription() {
        let peer = Peer(key: Vectors.keyA.publicKey, address: a4)
        XCTAssertEqual(peer.description, "Peer<1.2.3.4:5, 4BSYZldKHzYst7ztQCqcSYbhwW0=>")
        XCTAssertEqual(Base64.encode([0xFF, 0xFE]), "//4=")
        XCTAssertEqual(Base64.encode([]), "")
    }

    // MARK: Addresses

    func testDefaultAddressIsZero() {
        let peer = testPeer(1)
        XCTAssertEqual(peer.address, Address(0, 0, 0, 0, port: 0))
        XCTAssertTrue(peer.addresses.isEmpty)
    }

    func testAddressFromInit() {
        let peer = testPeer(1, a4)
        XCTAssertEqual(peer.address, a4)
        XCTAssertEqual(peer.addresses, [.ipv4: a4])
    }

    func testAddressSetter() {
        let peer = testPeer(1, a4)
        peer.address = b4
        XCTAssertEqual(peer.address, b4)
        XCTAssertEqual(peer.addresses, [.ipv4: b4])
    }

    func testAddAddressKeepsOnePerClass() {
        let peer = testPeer(1)
        peer.addAddress(a4)
        peer.addAddress(b4, kind: .ipv4LAN)
        peer.addAddress(b4)
        XCTAssertEqual(peer.addresses, [.ipv4: b4, .ipv4LAN: b4])
        XCTAssertEqual(peer.distinctAddresses, [b4])
    }

    func testIPv6Address() {
        let peer = testPeer(1, a6)
        XCTAssertEqual(peer.address, a6)
        XCTAssertEqual(peer.addresses, [.ipv6: a6])
    }

    func testIPv6PreferredRegardlessOfOrder() {
        let first = testPeer(1, a4)
        first.addAddress(a6)
        let second = testPeer(1, a6)
        second.addAddress(a4)
        XCTAssertEqual(first.address, a6)
        XCTAssertEqual(second.address, a6)
    }

    func testLANNeverPreferred() {
        let peer = testPeer(1, a4)
        peer.addAddress(b4, kind: .ipv4LAN)
        XCTAssertEqual(peer.address, a4)
        let lanOnly = Peer(key: testKey(2), address: b4, kind: .ipv4LAN)
        XCTAssertEqual(lanOnly.address, b4, "falls back to the initial address")
        lanOnly.addAddress(a4)
        XCTAssertEqual(lanOnly.address, a4)
    }

    func testAddressChangesAreNoticed() {
        let peer = testPeer(1, a4)
        peer.addAddress(a6)
        XCTAssertEqual(peer.address, a6)
        peer.removeAddress(kind: .ipv6)
        XCTAssertEqual(peer.address, a4)
        peer.removeAddress(kind: .ipv4)
        XCTAssertEqual(peer.address, a4, "falls back to the initial address")
    }

    func testFrozenAddresses() {
        let peer = testPeer(1, a4)
        peer.addressFrozen = true
        peer.address = b4
        peer.addAddress(a6)
        peer.removeAddress(kind: .ipv4)
        XCTAssertEqual(peer.address, a4)
        XCTAssertEqual(peer.addresses, [.ipv4: a4])
        peer.addressFrozen = false
        peer.address = b4
        XCTAssertEqual(peer.address, b4)
    }

    // MARK: CommunityID

    func testCommunityIDRoundTrips() {
        let bytes = (0..<20).map { UInt8($0 * 13) }
        let id = CommunityID(bytes: bytes)!
        XCTAssertEqual(id.bytes, bytes)
        XCTAssertEqual(CommunityID(hex: id.hex), id)
        XCTAssertEqual(CommunityID(hex: "7e313685c1912a141279f8248fc8db5899c5df5a")?.hex,
                       "7e313685c1912a141279f8248fc8db5899c5df5a")
        XCTAssertNil(CommunityID(bytes: [UInt8](repeating: 0, count: 19)))
        XCTAssertNil(CommunityID(hex: "zz313685c1912a141279f8248fc8db5899c5df5a"))
        XCTAssertLessThan(CommunityID(bytes: [UInt8](repeating: 0, count: 20))!, id)
    }
}
