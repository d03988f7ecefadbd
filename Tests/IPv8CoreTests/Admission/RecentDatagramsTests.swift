import XCTest
@testable import IPv8Core

/// The gate's memory of verified datagrams: searched in place while small, indexed past 32 keys, bounded, and
/// forgetting what is older than the duplicate window.
final class RecentDatagramsTests: XCTestCase {
    let window: UInt64 = 2_000

    func testFindsKeysInPlaceAndThroughTheIndexAlike() {
        var memory = RecentDatagrams(capacity: 1_000)
        for key in UInt64(1)...100 {
            memory.remember(key, at: key, window: window)
            // Every key so far is found, before (≤ 32) and after the index is built.
            XCTAssertEqual(memory.verifiedAt(key), key)
            XCTAssertEqual(memory.verifiedAt(1), 1)
            XCTAssertNil(memory.verifiedAt(key + 1))
        }
        XCTAssertEqual(memory.count, 100)
        memory.remember(200, at: 2_090, window: window)   // forgets the keys verified at 90 or before
        XCTAssertEqual(memory.count, 11)
        XCTAssertNil(memory.verifiedAt(90))
        XCTAssertEqual(memory.verifiedAt(91), 91, "and keeps the rest, now searched in place again")
        XCTAssertEqual(memory.verifiedAt(200), 2_090)
        memory.remember(95, at: 2_090, window: window)   // a key remembered again keeps its place, with the new time
        XCTAssertEqual(memory.count, 11)
        XCTAssertEqual(memory.verifiedAt(95), 2_090)
    }

    func testTheOldestGivesWayWhenFull() {
        var memory = RecentDatagrams(capacity: 40)
        for key in UInt64(1)...50 { memory.remember(key, at: 0, window: window) }
        XCTAssertEqual(memory.count, 40)
        XCTAssertNil(memory.verifiedAt(10))
        XCTAssertEqual(memory.verifiedAt(11), 0)
        XCTAssertEqual(memory.verifiedAt(50), 0)
        memory.remember(51, at: 3_000, window: window)   // everything older than the window goes at once
        XCTAssertEqual(memory.count, 1)
        XCTAssertNil(memory.verifiedAt(50))
        for key in UInt64(52)...60 { memory.remember(key, at: 3_000, window: window) }   // the ring wraps
        XCTAssertEqual((51...60).compactMap { memory.verifiedAt(UInt64($0)) }.count, 10)
    }
}
