import IPv8Testing
import XCTest
@testable import IPv8Core

final class PackerTests: XCTestCase {
    func testFieldsAreBigEndianWithoutPadding() {
        var p = Packer(capacity: 8)
        p.u8(0xAB)
        p.u16(0x0102)
        p.u32(0x0304_0506)
        p.u64(0x0708_090A_0B0C_0D0E)
        p.i64(-1)
        p.varlenH([0xEE, 0xFF])
        p.bits(Bits8(rawValue: 0x21))
        p.raw([9])
        XCTAssertEqual(hexString(p.bytes), "ab" + "0102" + "03040506" + "0708090a0b0c0d0e" + "ffffffffffffffff" + "0002eeff" + "21" + "09")
        XCTAssertEqual(p.count, 29)
    }

    func testHeaderPayloadsRoundTrip() throws {
        let auth = BinMemberAuthenticationPayload(publicKeyBin: Vectors.keyA.publicKey.bin)
        XCTAssertEqual(hexString(auth.encodedBytes), "004a" + Vectors.keyAPublic)
        let gt = GlobalTimeDistributionPayload(globalTime: 0x0102)
        XCTAssertEqual(hexString(gt.encodedBytes), "0000000000000102")
        let decoded = try auth.encodedBytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            return try BinMemberAuthenticationPayload(from: &u)
        }
        XCTAssertEqual(decoded, auth)
    }

    func testSimilarityResponseOverlapRoundTrip() throws {
        let p = SimilarityResponsePayload(identifier: 1, preferenceList: [.discovery, Vectors.testPrefix.communityID],
                                          tasteBuddyOverlap: [.init(communityID: .discovery, value: 7)])
        let decoded = try p.encodedBytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            let d = try SimilarityResponsePayload(from: &u)
            try u.finish()
            return d
        }
        XCTAssertEqual(decoded, p)
    }

    func testSimilarityRequestRejectsPartialCommunityID() throws {
        var bytes = Vectors.p12.encodedBytes
        bytes.append(0x42)
        try bytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            XCTAssertThrowsError(try SimilarityRequestPayload(from: &u)) { error in
                XCTAssertEqual(error as? WireError, .badLength(field: "preference_list", offset: 15, length: 21, unit: 20))
            }
        }
    }
}
