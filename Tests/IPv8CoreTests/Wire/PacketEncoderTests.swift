import IPv8Testing
import XCTest
@testable import IPv8Core

/// Appendix A, A1-A16: the encoder reproduces py-ipv8's packets byte for byte, the decoder gets the
/// same fields back, and the signatures verify.
final class PacketEncoderTests: XCTestCase {
    typealias V = Vectors

    private func assertHex(_ bytes: [UInt8], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(hexString(bytes), expected, file: file, line: line)
        XCTAssertEqual(bytes.count, expected.count / 2, file: file, line: line)
    }

    /// Signed core-style: encode, compare, decode with `open` (verifies), compare fields.
    private func checkSigned<P: Payload & Equatable>(_ payload: P, _ decoded: P? = nil, prefix: CommunityPrefix,
                                                     gt: UInt64, key: PrivateKey, _ expected: String,
                                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let packet = PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key)
        assertHex(packet, expected, file: file, line: line)
        try packet.withUnsafeBytes { raw in
            let (pk, gotGT, got) = try SignedPacketView.open(raw, as: P.self)
            XCTAssertEqual(pk, key.publicKey, file: file, line: line)
            XCTAssertEqual(gotGT, gt, file: file, line: line)
            XCTAssertEqual(got, decoded ?? payload, file: file, line: line)
            let view = try SignedPacketView(raw)
            XCTAssertEqual(view.messageID, P.messageID, file: file, line: line)
            XCTAssertEqual(view.prefix, prefix, file: file, line: line)
            XCTAssertTrue(view.verify(), file: file, line: line)
        }
    }

    private func checkUnsigned<P: Payload & Equatable>(_ payload: P, prefix: CommunityPrefix, gt: UInt64, _ expected: String,
                                                       file: StaticString = #filePath, line: UInt = #line) throws {
        let packet = PacketEncoder.coreUnsigned(payload, prefix: prefix, globalTime: gt)
        assertHex(packet, expected, file: file, line: line)
        try packet.withUnsafeBytes { raw in
            let (gotGT, got) = try UnsignedPacketView.open(raw, as: P.self)
            XCTAssertEqual(gotGT, gt, file: file, line: line)
            XCTAssertEqual(got, payload, file: file, line: line)
        }
    }

    func testA1OldIntroductionRequest() throws {
        var decoded = V.p1
        decoded.advice = false      // py-ipv8 decodes the 0x01 advice bit inverted
        try checkSigned(V.p1, decoded, prefix: V.testPrefix, gt: 1, key: V.keyA, V.a1)
    }

    func testA2NewIntroductionRequest() throws {
        try checkSigned(V.p2, prefix: V.testPrefix, gt: 2, key: V.keyA, V.a2)
    }

    func testA3OldIntroductionRequestWithExtraBytes() throws {
        var decoded = V.p3
        decoded.advice = false
        try checkSigned(V.p3, decoded, prefix: V.testPrefix, gt: 3, key: V.keyA, V.a3)
    }

    func testA4NewIntroductionRequestToIPv6() throws {
        try checkSigned(V.p4, prefix: V.testPrefix, gt: 4, key: V.keyA, V.a4)
    }

    func testA5OldIntroductionResponse() throws {
        try checkSigned(V.p5, prefix: V.testPrefix, gt: 1, key: V.keyB, V.a5)
        XCTAssertEqual(V.p5.flags.rawValue, 0x10)
    }

    func testA6PunctureRequest() throws {
        try checkUnsigned(V.p6, prefix: V.testPrefix, gt: 2, V.a6)
    }

    func testA7NewIntroductionResponse() throws {
        try checkSigned(V.p7, prefix: V.testPrefix, gt: 3, key: V.keyB, V.a7)
    }

    func testA8NewPunctureRequest() throws {
        try checkUnsigned(V.p8, prefix: V.testPrefix, gt: 4, V.a8)
    }

    func testA9IntroductionResponseIdentifier7() throws {
        try checkSigned(V.p9, prefix: V.testPrefix, gt: 5, key: V.keyB, V.a9)
    }

    func testA10Puncture() throws {
        try checkSigned(V.p10, prefix: V.testPrefix, gt: 1, key: V.keyC, V.a10)
    }

    func testA11NewPuncture() throws {
        try checkSigned(V.p11, prefix: V.testPrefix, gt: 2, key: V.keyC, V.a11)
    }

    func testA12SimilarityRequest() throws {
        try checkSigned(V.p12, prefix: V.discoveryPrefix, gt: 1, key: V.keyA, V.a12)
    }

    func testA13SimilarityResponse() throws {
        try checkSigned(V.p13, prefix: V.discoveryPrefix, gt: 2, key: V.keyA, V.a13)
    }

    func testA14Ping() throws {
        try checkUnsigned(V.p14, prefix: V.discoveryPrefix, gt: 3, V.a14)
    }

    func testA15Pong() throws {
        try checkUnsigned(V.p15, prefix: V.discoveryPrefix, gt: 4, V.a15)
    }

    func testA16DHTEzStylePing() throws {
        let packet = PacketEncoder.ezSigned(V.p16, prefix: V.dhtPrefix, key: V.keyA)
        assertHex(packet, V.a16)
        try packet.withUnsafeBytes { raw in
            let (pk, got) = try SignedPacketView.openEz(raw, as: DHTPingRequestPayload.self)
            XCTAssertEqual(pk, V.keyA.publicKey)
            XCTAssertEqual(got, V.p16)
        }
    }

    func testEzUnsignedIsHeaderAndPayloadOnly() throws {
        let packet = PacketEncoder.ezUnsigned(V.p16, prefix: V.dhtPrefix)
        XCTAssertEqual(hexString(packet), V.dhtPrefix.hex + "01" + "00000201")
        let got = try packet.withUnsafeBytes { raw in try UnsignedPacketView(raw).decodeEz(DHTPingRequestPayload.self) }
        XCTAssertEqual(got, V.p16)
    }

    func testOpenRejectsOtherMessageID() throws {
        let packet = V.hex(V.a5)
        try packet.withUnsafeBytes { raw in
            XCTAssertThrowsError(try SignedPacketView.open(raw, as: IntroductionRequestPayload.self)) { error in
                XCTAssertEqual(error as? WireError, .wrongMessageID(expected: 246, found: 245))
            }
        }
    }

    func testDiscoveryLegacyRequestTriedFirstThenFallsBack() throws {
        // A plain 246 (A1) has too few bytes for the legacy form, so the Discovery override falls back.
        let packet = V.hex(V.a1)
        try packet.withUnsafeBytes { raw in
            let view = try SignedPacketView(raw)
            XCTAssertThrowsError(try view.decodeCore(DiscoveryIntroductionRequestPayload.self))
            XCTAssertEqual(try view.decodeCore(IntroductionRequestPayload.self).payload.identifier, 1)
        }
    }
}
