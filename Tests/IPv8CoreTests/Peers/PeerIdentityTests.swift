import Dispatch
import XCTest
@testable import IPv8Core

final class PeerIdentityTests: XCTestCase {
    /// Peer objects with the same key share one identity, hence one copy of the bin; another key gets its own.
    func testPeersWithOneKeyShareTheIdentityAndTheBin() throws {
        let first = testPeer(7_000_001, testAddress(1))
        let second = testPeer(7_000_001, testAddress(2))
        XCTAssertTrue(first.identity === second.identity)
        first.keyBin.bytes.withUnsafeBytes { a in
            second.keyBin.bytes.withUnsafeBytes { b in XCTAssertEqual(a.baseAddress, b.baseAddress) }
        }
        XCTAssertEqual(first.midKey, second.midKey)
        XCTAssertEqual(first.mid, testKey(7_000_001).mid)
        XCTAssertFalse(first.identity === testPeer(7_000_002).identity)
    }

    /// An EC peer's identity keeps the parsed key, and its peers rebuild the same public key.
    func testECIdentityKeepsTheParsedKey() throws {
        let key = try PrivateKey.generate(curve: .sect233k1).publicKey
        let peer = Peer(key: key)
        XCTAssertNotNil(peer.identity.ec)
        XCTAssertEqual(peer.key, key)
        XCTAssertTrue(Peer(key: key).identity === peer.identity)
    }

    /// Identities no peer holds are swept: interning three times the sweep limit of keys that are dropped at once
    /// never takes the table past that limit (without sweeps it would hold them all), and a sweep leaves only what
    /// was held before. A held identity survives the sweeps: its key still finds the same object. Measured against
    /// the table as the earlier tests left it (the table is the process's).
    func testUnheldIdentitiesAreSweptAndHeldOnesKept() throws {
        let held = testPeer(7_100_000)
        PeerIdentity.sweepUnheld()
        let before = PeerIdentity.internedCount
        let limit = PeerIdentity.nextSweepAt
        XCTAssertEqual(limit, max(PeerIdentity.sweepThreshold, 2 * before))
        var most = 0
        for n in 1...(3 * limit) {
            _ = testPeer(7_100_000 + n)
            most = max(most, PeerIdentity.internedCount)
        }
        XCTAssertLessThanOrEqual(most, limit)
        PeerIdentity.sweepUnheld()
        XCTAssertLessThanOrEqual(PeerIdentity.internedCount, before)
        XCTAssertTrue(testPeer(7_100_000).identity === held.identity)
    }

    /// Loops on several threads interning the same keys get the same identities (and the sanitizer runs check the
    /// table's locking).
    func testThreadsInterningTheSameKeysShareIdentities() throws {
        let keys = (0..<64).map { testKey(7_200_000 + $0) }
        let threads = 4
        let results = UnsafeMutableBufferPointer<ObjectIdentifier?>.allocate(capacity: threads * keys.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let held = keys.map { Peer(key: $0) }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for (index, key) in keys.enumerated() {
                slots[thread * keys.count + index] = ObjectIdentifier(PeerIdentity.interned(key))
            }
        }
        for thread in 0..<threads {
            for index in keys.indices {
                XCTAssertEqual(results[thread * keys.count + index], ObjectIdentifier(held[index].identity))
            }
        }
    }
}
