import XCTest
@testable import IPv8Core

final class OrderedMapTests: XCTestCase {
    func testKeepsFirstInsertionOrderThroughReplacementRemovalAndCompaction() {
        check(keys: 200)
    }

    /// Around the size where lookups switch between scanning the slots and the hash table.
    func testSmallMapsCrossingTheLinearLimit() {
        check(keys: OrderedMap<Int, Int>.linearLimit + 4, seed: 9)
    }

    /// Small maps grow by a quarter: 24 entries of a swarm node's map do not take 32 slots.
    func testSmallMapsGrowByAQuarter() {
        var map = OrderedMap<Int, Int>()
        for key in 0..<24 { map[key] = key }
        XCTAssertEqual(map.count, 24)
        XCTAssertLessThan(map.capacity, 32)
    }

    /// Holes are compacted away: a map whose entries keep being replaced by new keys (a peer moving from
    /// address to address) stays about as large as its entries.
    func testHolesAreCompactedAway() {
        var map = OrderedMap<Int, Int>()
        var current = Array(0..<64)
        for key in current { map[key] = key }
        for step in 0..<5_000 {
            let peer = step % 64
            map[current[peer]] = nil
            current[peer] = 1_000 + step
            map[current[peer]] = peer
        }
        XCTAssertEqual(map.count, 64)
        XCTAssertLessThanOrEqual(map.capacity, 4 * 64)
        XCTAssertEqual(map.keys, current.sorted())
    }

    /// A removed value is released at once, also when its slot stays behind as a hole (a hole keeps only its key).
    func testARemovedValueIsReleasedThoughItsSlotStaysAsAHole() {
        final class Value {}
        var map = OrderedMap<Int, Value>()
        weak var removed: Value?
        do {
            let value = Value()
            removed = value
            map[1] = value
        }
        map[2] = Value()
        map[1] = nil
        XCTAssertNil(removed, "released though slot 0 is a hole until compaction")
        XCTAssertEqual(map.keys, [2])
        map[1] = Value()
        XCTAssertEqual(map.keys, [2, 1], "a key back after removal goes last, not into its old hole")
    }

    private func check(keys: Int, seed: UInt64 = 5) {
        var map = OrderedMap<Int, Int>()
        var model: [(key: Int, value: Int)] = []
        let rng = RandomSource(seed: seed)
        for step in 0..<5_000 {
            let key = rng.below(keys)
            let present = model.firstIndex { $0.key == key }
            switch rng.below(3) {
            case 0:
                XCTAssertEqual(map.updateValue(step, forKey: key), present.map { model[$0].value })
                if let present { model[present].value = step } else { model.append((key, step)) }
            case 1:
                XCTAssertEqual(map.insert(step, forKey: key), present == nil)
                if present == nil { model.append((key, step)) }
            default:
                XCTAssertEqual(map.removeValue(forKey: key), present.map { model[$0].value })
                if let present { model.remove(at: present) }
            }
            XCTAssertEqual(map.count, model.count)
            XCTAssertEqual(map[key], model.first { $0.key == key }?.value)
        }
        XCTAssertEqual(map.keys, model.map(\.key))
        XCTAssertEqual(map.firstKey, model.first?.key)
        XCTAssertEqual(map.values, model.map(\.value))
        XCTAssertEqual(map.map(\.key), model.map(\.key))
        for key in 0..<keys { XCTAssertEqual(map.contains(key), model.contains { $0.key == key }) }
    }
}
