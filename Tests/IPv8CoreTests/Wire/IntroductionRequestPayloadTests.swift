import IPv8Testing
import XCTest
@testable import IPv8Core

final class IntroductionRequestPayloadTests: XCTestCase {
    typealias V = Vectors

    /// Appendix A additional check: flags 0x21 → supports_new_style = true, advice = false.
    func testFlags0x21Decode() throws {
        var bytes = V.p1.encodedBytes
        bytes[18] = 0x21
        var decoded: IntroductionRequestPayload?
        try bytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            decoded = try IntroductionRequestPayload(from: &u)
            try u.finish()
        }
        XCTAssertEqual(decoded?.supportsNewStyle, true)
        XCTAssertEqual(decoded?.advice, false)
        XCTAssertEqual(decoded?.connectionType, .unknown)
        XCTAssertEqual(decoded?.flags.rawValue, 0x20, "re-encoding the decoded (inverted) advice clears 0x01")
    }

    func testAdviceBitClearDecodesAsTrue() throws {
        var bytes = V.p1.encodedBytes
        bytes[18] = 0x00
        let decoded = try bytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            return try IntroductionRequestPayload(from: &u)
        }
        XCTAssertTrue(decoded.advice)
        XCTAssertFalse(decoded.supportsNewStyle)
    }

    func testConnectionTypeBits() throws {
        for (raw, type) in [(UInt8(0x00), ConnectionType.unknown), (0x80, .public), (0xC0, .symmetricNAT), (0x40, .notApplicable)] {
            var bytes = V.p1.encodedBytes
            bytes[18] = raw
            let decoded = try bytes.withUnsafeBytes { r in
                var u = Unpacker(r)
                return try IntroductionRequestPayload(from: &u)
            }
            XCTAssertEqual(decoded.connectionType, type)
        }
        var p = V.p1
        p.connectionType = .notApplicable
        XCTAssertEqual(p.flags.rawValue, 0x01, "N/A encodes as (0,0)")
        p.connectionType = .symmetricNAT
        XCTAssertEqual(p.flags.rawValue, 0xC1)
    }

    /// Appendix A additional check: the legacy form starts with "Y" and the 20-byte mid.
    func testDiscoveryIntroductionRequestStartsWithYAndMid() throws {
        let mid = V.keyB.mid
        var request = V.p1
        request.supportsNewStyle = true
        let legacy = DiscoveryIntroductionRequestPayload(introduceTo: mid, request: request)
        let bytes = legacy.encodedBytes
        XCTAssertEqual(bytes[0], 0x59)
        XCTAssertEqual(Array(bytes[1..<21]), mid)
        XCTAssertEqual(Array(bytes[21...]), request.encodedBytes)
        XCTAssertEqual(bytes[21 + 18], 0x21, "py-ipv8's legacy request carries supports_new_style and advice")

        let packet = PacketEncoder.coreSigned(legacy, prefix: V.discoveryPrefix, globalTime: 9, key: V.keyA)
        try packet.withUnsafeBytes { raw in
            let (_, gt, got) = try SignedPacketView.open(raw, as: DiscoveryIntroductionRequestPayload.self)
            XCTAssertEqual(gt, 9)
            XCTAssertEqual(got.marker, 0x59)
            XCTAssertEqual(got.introduceTo, mid)
            XCTAssertEqual(got.request.identifier, 1)
            XCTAssertEqual(got.request.destinationAddress, V.bWAN)
        }
    }

    /// Spec §14 item 14: an ordinary 246 with ≥ 21 extra bytes also parses as the legacy form.
    func testLongExtraBytesMisparseAsLegacyLikePyIPv8() throws {
        var p = V.p1
        p.extraBytes = [UInt8](repeating: 0x41, count: 21)
        let packet = PacketEncoder.coreSigned(p, prefix: V.discoveryPrefix, globalTime: 1, key: V.keyA)
        try packet.withUnsafeBytes { raw in
            let view = try SignedPacketView(raw)
            XCTAssertNoThrow(try view.decodeCore(DiscoveryIntroductionRequestPayload.self))
            XCTAssertEqual(try view.decodeCore(IntroductionRequestPayload.self).payload, {
                var d = p
                d.advice = false
                return d
            }())
        }
    }
}
