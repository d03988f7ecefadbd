import XCTest
@testable import IPv8Core

final class OrderedIndexTests: XCTestCase {
    func testKeepsInsertionOrderThroughRemovalAndCompaction() {
        var index = OrderedIndex<Int>()
        var model: [Int] = []
        let rng = RandomSource(seed: 5)
        for _ in 0..<5_000 {
            let value = rng.below(200)
            if rng.below(2) == 0 {
                XCTAssertEqual(index.append(value), !model.contains(value))
                if !model.contains(value) { model.append(value) }
            } else {
                XCTAssertEqual(index.remove(value), model.contains(value))
                model.removeAll { $0 == value }
            }
            XCTAssertEqual(index.count, model.count)
        }
        XCTAssertEqual(index.elements, model)
        XCTAssertEqual(Array(index), model)
        for value in model { XCTAssertTrue(index.contains(value)) }
    }
}
