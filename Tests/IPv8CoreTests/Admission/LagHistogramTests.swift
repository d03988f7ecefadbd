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

final class LagHistogramRangeTests: XCTestCase {
    /// Samples below, inside and above the buckets kept so far give the quantiles of a histogram that kept every
    /// bucket, whatever the order they came in.
    func testBucketsGrowDownwardsAndUpwards() {
        let samples = [2e-3, 1.5e-3, 3e-6, 0.8, 2e-3, 1e-7, 40.0, 5e-4]
        var forward = LagHistogram(), backward = LagHistogram()
        for s in samples { forward.record(s) }
        for s in samples.reversed() { backward.record(s) }
        XCTAssertEqual(forward, backward, "the same samples in another order are the same histogram")
        XCTAssertEqual(forward.quantile(0), 1e-6, "the lowest bucket is kept")
        XCTAssertEqual(forward.quantile(1), 40, "the highest bucket holds the worst")
        XCTAssertGreaterThanOrEqual(forward.quantile(0.5), 1.5e-3)
        XCTAssertLessThanOrEqual(forward.quantile(0.5), 1.5e-3 * 1.19)
        XCTAssertGreaterThanOrEqual(forward.quantile(0.8), 0.8)
        XCTAssertLessThanOrEqual(forward.quantile(0.8), 0.8 * 1.19)
        var reset = forward
        reset.reset()
        XCTAssertEqual(reset, LagHistogram(), "reset forgets the buckets too")
    }
}
