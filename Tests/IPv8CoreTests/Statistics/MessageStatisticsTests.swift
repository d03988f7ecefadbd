import XCTest
@testable import IPv8Core

final class MessageStatisticsTests: XCTestCase {
    let prefix = CommunityPrefix(communityID: CommunityID(bytes: [UInt8](repeating: 7, count: 20))!)

    func datagram(id: UInt8, size: Int, prefix: CommunityPrefix? = nil) -> [UInt8] {
        (prefix ?? self.prefix).bytes + [id] + [UInt8](repeating: 0, count: size - 23)
    }

    func testOnlyEnabledPrefixesAreCountedPerMessageIDAndDirection() {
        let stats = MessageStatistics()
        XCTAssertFalse(stats.isRecording)
        datagram(id: 246, size: 100).withUnsafeBytes { stats.record($0, up: true, now: 10) }
        XCTAssertTrue(stats.statistics(for: prefix).isEmpty, "nothing is kept before enabling")
        stats.setEnabled(true, for: prefix)
        XCTAssertTrue(stats.isRecording)
        datagram(id: 246, size: 100).withUnsafeBytes { stats.record($0, up: true, now: 11) }
        datagram(id: 246, size: 120).withUnsafeBytes { stats.record($0, up: true, now: 12) }
        datagram(id: 245, size: 80).withUnsafeBytes { stats.record($0, up: false, now: 13) }
        let other = CommunityPrefix(communityID: CommunityID(bytes: [UInt8](repeating: 8, count: 20))!)
        datagram(id: 1, size: 50, prefix: other).withUnsafeBytes { stats.record($0, up: false, now: 14) }
        [UInt8](prefix.bytes).withUnsafeBytes { stats.record($0, up: false, now: 15) }   // no message id: ignored
        let table = stats.statistics(for: prefix)
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table[246]?.numUp, 2)
        XCTAssertEqual(table[246]?.bytesUp, 220)
        XCTAssertEqual(table[246]?.firstMeasuredUp, 11)
        XCTAssertEqual(table[246]?.lastMeasuredUp, 12)
        XCTAssertEqual(table[246]?.numDown, 0)
        XCTAssertEqual(table[245]?.bytesDown, 80)
        XCTAssertTrue(stats.statistics(for: other).isEmpty)
        let sum = stats.aggregate(for: prefix)
        XCTAssertEqual([sum.numUp, sum.numDown, sum.bytesUp, sum.bytesDown], [2, 1, 220, 80])
        XCTAssertEqual(sum.diffTime, 2)
        stats.setEnabled(false, for: prefix)
        XCTAssertFalse(stats.isRecording)
        XCTAssertTrue(stats.statistics(for: prefix).isEmpty, "disabling forgets, as py-ipv8 does")
    }
}
