import IPv8Testing
import XCTest
@testable import IPv8Core

final class MessageIDTests: XCTestCase {
    func testDeprecatedIDs() {
        XCTAssertEqual(MessageID.deprecatedIDs, [235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 247, 248, 251, 252, 253, 254, 255])
        for id in [245, 246, 249, 250, 231, 232, 233, 234, 230, 0] as [UInt8] {
            XCTAssertFalse(MessageID.isDeprecated(id), "\(id)")
        }
        XCTAssertEqual(MessageID.deprecatedName(255), "reserved-255")
        XCTAssertEqual(MessageID.deprecatedName(235), "missing-last-message")
    }

    func testNames() {
        XCTAssertEqual(MessageID.name(246, in: Vectors.testPrefix.communityID), "introduction-request")
        XCTAssertEqual(MessageID.name(231, in: .discovery), "new-puncture")
        XCTAssertEqual(MessageID.name(1, in: .discovery), "similarity-request")
        XCTAssertNil(MessageID.name(1, in: Vectors.testPrefix.communityID))
        XCTAssertEqual(MessageID.name(244, in: .discovery), "deprecated:destroy-community")
    }

    func testCommunityIDAndPrefix() {
        XCTAssertEqual(CommunityID.discovery.hex, "7e313685c1912a141279f8248fc8db5899c5df5a")
        XCTAssertNil(CommunityID(hex: "7e31"))
        XCTAssertNil(CommunityID(hex: "zz313685c1912a141279f8248fc8db5899c5df5a"))
        XCTAssertEqual(Vectors.testPrefix.hex, "0002000102030405060708090a0b0c0d0e0f10111213")
        let set: Set = [CommunityID.discovery, CommunityID(hex: "7E313685C1912A141279F8248FC8DB5899C5DF5A")!]
        XCTAssertEqual(set.count, 1)
    }
}
