import IPv8Testing
import IPv8TestSupport
import XCTest
@testable import IPv8Core

/// Declarative payloads: one declaration per message, py-ipv8's formats byte for byte (the vector is
/// py-ipv8 3.2.1's encoding of the same value, from Tests/Interop/dataclass_payloads.py).
final class DataClassPayloadTests: XCTestCase {
    typealias Everything = DataClassSample.Everything
    typealias Inner = DataClassSample.Inner
    static let sample = DataClassSample.sample
    static let pyIPv8Bytes = DataClassSample.pyIPv8Bytes

    func encoded<P: Payload>(_ payload: P) -> [UInt8] {
        var packer = Packer()
        payload.encode(into: &packer)
        return packer.bytes
    }

    func decode<P: Payload>(_ type: P.Type, _ bytes: [UInt8]) throws(WireError) -> P {
        let result: Result<P, WireError> = bytes.withUnsafeBytes { raw in
            do throws(WireError) {
                var u = Unpacker(raw)
                let value = try P(from: &u)
                try u.finish()
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func testEveryFormatEncodesAsPyIPv8Does() {
        XCTAssertEqual(Hex.encode(encoded(Self.sample)), Self.pyIPv8Bytes)
    }

    func testPyIPv8BytesDecodeToTheSameValue() throws {
        XCTAssertEqual(try decode(Everything.self, Vectors.hex(Self.pyIPv8Bytes)), Self.sample)
    }

    func testFixedBytesPadAndCutLikeStructPack() throws {
        struct Fixed: DataClassPayload { static let messageID: UInt8 = 1; @FixedBytes<4> var id: [UInt8] }
        XCTAssertEqual(encoded(Fixed(id: [1, 2])), [1, 2, 0, 0])
        XCTAssertEqual(encoded(Fixed(id: [1, 2, 3, 4, 5])), [1, 2, 3, 4])
    }

    /// Every truncation is an error naming a field; nothing traps.
    func testEveryTruncationThrowsNamingAField() {
        let bytes = Vectors.hex(Self.pyIPv8Bytes)
        let fields = Set(Mirror(reflecting: Self.sample).children.compactMap { $0.label }
            .map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 })
        for length in 0..<(bytes.count - 4) {      // the last 4 bytes are the raw tail: any length decodes
            do {
                _ = try decode(Everything.self, Array(bytes.prefix(length)))
                XCTFail("cut to \(length) decoded")
            } catch {
                guard case let .truncated(field, _, _, _) = error else { XCTFail("cut to \(length): \(error)"); continue }
                XCTAssertTrue(fields.contains(field), "cut to \(length): field \(field)")
            }
        }
    }

    func testBadUTF8BadBoolsAndTrailingBytesAreNamedErrors() {
        struct Text: DataClassPayload { static let messageID: UInt8 = 1; var n: UInt8; var text: String }
        XCTAssertThrowsError(try decode(Text.self, [5, 0, 2, 0xC3, 0x28])) { error in
            XCTAssertEqual(error as? WireError, .invalidValue(field: "text", offset: 1, reason: "not valid UTF-8"))
        }
        XCTAssertThrowsError(try decode(Text.self, [5, 0, 1, 0x41, 0x00])) { error in
            XCTAssertEqual(error as? WireError, .trailingBytes(offset: 4, count: 1))
        }
        struct Flag: DataClassPayload { static let messageID: UInt8 = 1; var on: Bool }
        XCTAssertThrowsError(try decode(Flag.self, [2])) { error in
            XCTAssertEqual(error as? WireError, .invalidValue(field: "on", offset: 0, reason: "2 is not a bool (0 or 1)"))
        }
        // A nested payload must fill exactly its declared length.
        struct Outer: DataClassPayload { static let messageID: UInt8 = 1; var inner: Inner }
        XCTAssertThrowsError(try decode(Outer.self, [0, 6, 0, 7, 0, 1, 0x41, 0x42])) { error in
            XCTAssertEqual(error as? WireError, .trailingBytes(offset: 7, count: 1))
        }
    }

    func testRandomBytesNeverTrap() {
        let random = RandomSource(seed: 5)
        for _ in 0..<5_000 {
            let bytes = (0..<random.int(in: 0...300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = try? decode(Everything.self, bytes)
        }
    }

    /// Through a community: sent with ezSend-style framing, decoded by the handler, same value.
    func testADataClassPayloadTravelsSignedThroughTheWire() throws {
        let packet = PacketEncoder.ezSigned(Self.sample, prefix: Vectors.testPrefix, key: Vectors.keyA)
        let decoded = try packet.withUnsafeBytes { raw in try SignedPacketView.openEz(raw, as: Everything.self).payload }
        XCTAssertEqual(decoded, Self.sample)
    }
}
