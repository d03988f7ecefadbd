import XCTest
@testable import IPv8Core

final class OrderedIndexTests: XCTestCase {
    func testKeepsInsertionOrderThroughRemovalAndCompaction() {
        check(values: 200)
    }

    /// Around the size where lookups switch between scanning the slots and the hash table.
    func testSmallSetsCrossingTheLinearLimit() {
        check(values: OrderedIndex<Int>.linearLimit + 4, seed: 9)
    }

    private func check(values: Int, seed: UInt64 = 5) {
        var index = OrderedIndex<Int>()
        var model: [Int] = []
        let rng = RandomSource(seed: seed)
        for _ in 0..<5_000 {
            let value = rng.below(values)
            if rng.below(2) == 0 {
                XCTAssertEqual(index.append(value), !model.contains(value))
                if !model.contains(value) { model.append(value) }
            } else {
                XCTAssertEqual(index.remove(value), model.contains(value))
                model.removeAll { $0 == value }
            }
            XCTAssertEqual(index.count, model.count)
            if model.count <= OrderedIndex<Int>.linearLimit + 1 { XCTAssertEqual(index.elements, model) }
        }
        XCTAssertEqual(index.elements, model)
        XCTAssertEqual(Array(index), model)
        for value in 0..<values { XCTAssertEqual(index.contains(value), model.contains(value)) }
    }
}
