import XCTest
@testable import IPv8Core

final class LagHistogramTests: XCTestCase {
    func testQuantilesAreWithinOneBucketAbove() {
        var h = LagHistogram()
        for i in 1...1_000 { h.record(Double(i) * 1e-4) }      // 0.1 ms … 100 ms, uniform
        XCTAssertEqual(h.count, 1_000)
        let p50 = h.quantile(0.5), p99 = h.quantile(0.99)
        XCTAssertGreaterThanOrEqual(p50, 0.050)
        XCTAssertLessThanOrEqual(p50, 0.050 * 1.19 + 1e-9)
        XCTAssertGreaterThanOrEqual(p99, 0.099)
        XCTAssertLessThanOrEqual(p99, 0.1)
        XCTAssertEqual(h.worst, 0.1, accuracy: 1e-12)
    }

    func testEmptyNegativeAndHugeSamples() {
        var h = LagHistogram()
        XCTAssertEqual(h.quantile(0.99), 0)
        h.record(-1)
        XCTAssertEqual(h.quantile(0.5), 1e-6)
        h.record(1_000)
        XCTAssertEqual(h.quantile(1), 1_000)
        h.reset()
        XCTAssertEqual(h.count, 0)
    }
}
