import XCTest
@testable import IPv8Core

final class DriftHistoryTests: XCTestCase {
    func testKeepsTheLastSamplesOldestFirstWithNegativeLatenessAsZero() {
        var history = DriftHistory(capacity: 3)
        XCTAssertTrue(history.samples.isEmpty)
        history.record(timestamp: 1, lateness: 0.5)
        history.record(timestamp: 2, lateness: -0.1)
        XCTAssertEqual(history.samples.map(\.timestamp), [1, 2])
        XCTAssertEqual(history.samples.map(\.drift), [0.5, 0])
        for t in 3...5 { history.record(timestamp: Double(t), lateness: Double(t)) }
        XCTAssertEqual(history.samples.map(\.timestamp), [3, 4, 5])
        history.record(timestamp: 6, lateness: 0)
        XCTAssertEqual(history.samples.map(\.timestamp), [4, 5, 6])
    }
}
