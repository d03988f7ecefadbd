import IPv8Testing
import XCTest
@testable import IPv8Core

/// Declarative payloads: one declaration per message, py-ipv8's formats byte for byte (the vector is
/// py-ipv8 3.2.1's encoding of the same value, from Tests/Interop/dataclass_payloads.py).
final class DataClassPayloadTests: XCTestCase {
    struct Inner: DataClassPayload, Equatable {
        static let messageID: UInt8 = 0
        var a: UInt16
        var s: String
    }

    /// Every format, in the order of the Python twin.
    struct Everything: DataClassPayload, Equatable {
        static let messageID: UInt8 = 9
        var flag: Bool
        var b: UInt8
        var h: UInt16
        var i: UInt32
        var q: UInt64
        var sb: Int8
        var sh: Int16
        var si: Int32
        var sq: Int64
        var f: Float
        var d: Double
        var bytes: [UInt8]
        var text: String
        @VarLenI var big: [UInt8]
        @VarLenIUTF8 var bigText: String
        @VarLenBx2 var pairs: [UInt8]
        @VarLenHx20 var mids: [UInt8]
        @FixedBytes<20> var mid: [UInt8]
        @FixedBytes<74> var key: [UInt8]
        var address: Address
        @IPAddress var v6: Address
        var inner: Inner
        var inners: [Inner]
        var flags: [Bool]
        var numbers: [Int64]
        var reals: [Double]
        var blobs: [[UInt8]]
        @Raw var rest: [UInt8]
    }

    static let pyIPv8Bytes = "01c8fde8ee6b280080000000000000059c8ad088ca6c00c0000000000000003fc00000c0020000000000000003010203000a68c3a96c6c6f20e29883000000096269676269676269670000000567726fc39f02aabbccdd0002000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627000102030405060708090a0b0c0d0e0f10111213000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748490a0000011f9a0320010db80000000000000000000000070fa0000600070002696e02000500010001610006000200026263030001000103000100000000000000feffffffffffffff00000000000100000200000000000000e03f000000205fa002c20300017800000002797a7461696c"

    static let sample = Everything(
        flag: true, b: 200, h: 65000, i: 4_000_000_000, q: (1 << 63) + 5, sb: -100, sh: -30000, si: -2_000_000_000,
        sq: -(1 << 62), f: 1.5, d: -2.25, bytes: [1, 2, 3], text: "héllo ☃", big: Array("bigbigbig".utf8),
        bigText: "groß", pairs: [0xAA, 0xBB, 0xCC, 0xDD], mids: Array(0..<40), mid: Array(0..<20), key: Array(0..<74),
        address: Address(10, 0, 0, 1, port: 8090), v6: Address(ip: "2001:db8::7", port: 4000)!,
        inner: Inner(a: 7, s: "in"), inners: [Inner(a: 1, s: "a"), Inner(a: 2, s: "bc")], flags: [true, false, true],
        numbers: [1, -2, 1 << 40], reals: [0.5, -1e10], blobs: [Array("x".utf8), [], Array("yz".utf8)],
        rest: Array("tail".utf8))

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
