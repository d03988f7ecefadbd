import IPv8Testing
import XCTest
@testable import IPv8Core

final class DHTRoutingTableTests: XCTestCase {
    /// A node whose id starts with the given bytes: the id is computed from the address, so search a key.
    func node(_ n: Int, port: UInt16 = 1) -> DHTNode {
        DHTNode(key: PrivateKey.deterministic(seed: UInt64(n)).publicKey, address: Address(127, 0, 0, 1, port: port))
    }

    func testBucketsSplitAlongOurOwnIDOnly() {
        let me = node(0)
        let table = DHTRoutingTable(myNodeID: me.id, bucketSize: 8)
        var added = 0
        for n in 1...400 where table.add(node(n), now: 0) != nil { added += 1 }
        XCTAssertGreaterThan(table.buckets.count, 3)
        // Every bucket but the one holding our id is a sibling along our id's path, and buckets partition.
        for bucket in table.buckets {
            XCTAssertLessThanOrEqual(bucket.nodes.count, 8)
            for node in bucket.nodes { XCTAssertTrue(bucket.owns(node.id)) }
            let ourPath = (0..<bucket.prefixLength).allSatisfy { bucket.prefix.bit($0) == me.id.bit($0) || $0 == bucket.prefixLength - 1 }
            XCTAssertTrue(ourPath, "bucket \(bucket.prefixBits) is off our id's path")
        }
        XCTAssertEqual(table.count, added)
        XCTAssertEqual(table.buckets.filter { $0.owns(me.id) }.count, 1)
        // Far buckets fill and refuse the rest; the total stays bounded.
        XCTAssertLessThan(added, 400)
    }

    func testClosestNodesAreTheTrueClosestInOrder() {
        let table = DHTRoutingTable(myNodeID: node(0).id)
        for n in 1...300 { table.add(node(n), now: 0) }
        let target = node(1000).id
        let closest = table.closestNodes(to: target, max: 8, now: 0)
        let expected = table.nodes.sorted { target.isCloser($0.id, than: $1.id) }.prefix(8)
        XCTAssertEqual(closest.map(\.id), expected.map(\.id))
        let excluded = closest[0].id
        XCTAssertFalse(table.closestNodes(to: target, max: 8, excluding: excluded, now: 0).contains { $0.id == excluded })
    }

    func testReAddingKeepsTheNodeAndTakesTheNewAddress() {
        let table = DHTRoutingTable(myNodeID: node(0).id)
        let first = node(1, port: 1)
        first.rtt = 0.5
        table.add(first, now: 0)
        let again = table.add(node(1, port: 2), now: 1)
        XCTAssertTrue(again === first)
        XCTAssertEqual(first.address.port, 2)
        XCTAssertEqual(table.count, 1)
    }

    func testStatusFollowsBEP5AndBadNodesMakeRoom() {
        let n = node(1)
        XCTAssertEqual(n.status(at: 10_000), .unknown, "never answered")
        n.lastResponse = 100
        XCTAssertEqual(n.status(at: 100 + 899), .good)
        XCTAssertEqual(n.status(at: 100 + 901), .unknown)
        n.recordQuery(at: 1000)
        XCTAssertEqual(n.status(at: 1000 + 899), .good, "answered once and queried lately")
        n.failed = 2
        XCTAssertEqual(n.status(at: 1000), .bad)

        let bucket = DHTBucket(prefix: node(0).id, prefixLength: 0, maxSize: 2)
        let a = node(2), b = node(3), c = node(4)
        XCTAssertTrue(bucket.add(a, now: 0))
        XCTAssertTrue(bucket.add(b, now: 0))
        XCTAssertFalse(bucket.add(c, now: 0), "full")
        b.failed = 2
        XCTAssertTrue(bucket.add(c, now: 0), "a bad node makes room")
        XCTAssertEqual(bucket.nodes.map(\.id), [a.id, c.id])
    }

    func testAFasterNodeReplacesOneTwiceAsSlow() {
        let bucket = DHTBucket(prefix: node(0).id, prefixLength: 0, maxSize: 2)
        let slow = node(2), other = node(3), fast = node(4)
        slow.rtt = 0.4
        other.rtt = 0.15
        fast.rtt = 0.2
        XCTAssertTrue(bucket.add(slow, now: 0))
        XCTAssertTrue(bucket.add(other, now: 0))
        XCTAssertTrue(bucket.add(fast, now: 0))
        XCTAssertEqual(bucket.nodes.map(\.id), [other.id, fast.id])
    }

    func testQueryRateLimit() {
        let n = node(1)
        for t in 0..<10 { n.recordQuery(at: Double(t) * 0.1) }
        XCTAssertTrue(n.isBlocked(at: 1))
        XCTAssertFalse(n.isBlocked(at: 5.01), "the oldest query is 5 s old")
        XCTAssertEqual(n.lastQueries.count, DHTNode.queryLimit)
    }

    func testRandomIDStaysInItsBucket() {
        let random = RandomSource(seed: 7)
        let table = DHTRoutingTable(myNodeID: node(0).id)
        for n in 1...200 { table.add(node(n), now: 0) }
        for bucket in table.buckets {
            for _ in 0..<20 { XCTAssertTrue(bucket.owns(bucket.randomID(random))) }
        }
    }
}

final class DHTStorageTests: XCTestCase {
    let key = [UInt8](repeating: 7, count: 20)

    func testNewestFirstAndVersionsReplace() {
        let storage = DHTStorage()
        storage.put(key, data: [1], now: 0)
        storage.put(key, data: [2], now: 1)
        XCTAssertEqual(storage.get(key), [[2], [1]])
        storage.put(key, data: [3], id: [9], version: 5, now: 2)
        storage.put(key, data: [4], id: [9], version: 4, now: 3)
        XCTAssertEqual(storage.get(key), [[3], [2], [1]], "an older version does not replace")
        storage.put(key, data: [5], id: [9], version: 5, now: 4)
        XCTAssertEqual(storage.get(key), [[5], [2], [1]], "the same version does")
        XCTAssertEqual(storage.get(key, start: 1, limit: 1), [[2]])
        XCTAssertEqual(storage.count, 3)
        XCTAssertEqual(storage.get(key, start: 9), [])
        XCTAssertEqual(storage.get([0]), [])
    }

    func testValuesWhoseIDIsTheKeyGoLast() {
        let storage = DHTStorage()
        storage.put(key, data: [1], id: key, now: 0)
        storage.put(key, data: [2], now: 1)
        XCTAssertEqual(storage.get(key), [[2], [1]])
    }

    func testCleanDropsExpiredFromTheEnd() {
        let storage = DHTStorage()
        storage.put(key, data: [1], maxAge: 10, now: 0)
        storage.put(key, data: [2], maxAge: 100, now: 5)
        storage.clean(now: 11)
        XCTAssertEqual(storage.get(key), [[2]])
        XCTAssertEqual(storage.count, 1)
        storage.clean(now: 200)
        XCTAssertEqual(storage.count, 0)
        XCTAssertTrue(storage.items.isEmpty)
    }
}
