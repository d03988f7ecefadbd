import IPv8Testing
import XCTest
@testable import IPv8Core

/// Every truncation and every single-bit flip of every Appendix A vector: decoding throws a
/// `WireError` or parses, never traps; a flipped signed packet never verifies.
final class RobustnessTests: XCTestCase {
    typealias V = Vectors

    /// Decodes `bytes` along every path the receive side and the describer use. Returns whether a
    /// signature verified (nil when nothing got as far as verification).
    private func decodeEverything(_ bytes: [UInt8], signed: Bool) -> Bool? {
        var verified: Bool?
        bytes.withUnsafeBytes { raw in
            // The typed receive path for whatever id byte 22 says.
            if signed {
                if let view = try? SignedPacketView(raw) {
                    let ok = view.verify()
                    verified = ok
                    switch view.messageID {
                    case 246:
                        _ = try? view.decodeCore(DiscoveryIntroductionRequestPayload.self)
                        _ = try? view.decodeCore(IntroductionRequestPayload.self)
                    case 245: _ = try? view.decodeCore(IntroductionResponsePayload.self)
                    case 249: _ = try? view.decodeCore(PuncturePayload.self)
                    case 234: _ = try? view.decodeCore(NewIntroductionRequestPayload.self)
                    case 233: _ = try? view.decodeCore(NewIntroductionResponsePayload.self)
                    case 231: _ = try? view.decodeCore(NewPuncturePayload.self)
                    case 1:
                        _ = try? view.decodeCore(SimilarityRequestPayload.self)
                        _ = try? view.decodeEz(DHTPingRequestPayload.self)
                    case 2: _ = try? view.decodeCore(SimilarityResponsePayload.self)
                    default: break
                    }
                    _ = try? view.publicKey()
                }
            } else if let view = try? UnsignedPacketView(raw) {
                _ = try? view.decodeCore(PunctureRequestPayload.self)
                _ = try? view.decodeCore(NewPunctureRequestPayload.self)
                _ = try? view.decodeCore(PingPayload.self)
                _ = try? view.decodeCore(PongPayload.self)
            }
        }
        // The describer (verifies again on its own; that is its job).
        do {
            let d = try PacketDescription.describe(bytes: bytes)
            if let v = d["signatureValid"]?.boolValue { verified = (verified ?? v) && v }
            _ = d.serialized()
        } catch {
            XCTAssertFalse(String(describing: error).isEmpty)
        }
        return verified
    }

    func testOriginalsDecodeAndVerify() {
        for v in V.all {
            let verified = decodeEverything(V.hex(v.hex), signed: v.signed)
            XCTAssertEqual(verified, v.signed ? true : nil, v.name)
        }
    }

    func testEveryTruncation() {
        for v in V.all {
            let bytes = V.hex(v.hex)
            for n in 0..<bytes.count {
                let cut = Array(bytes[0..<n])
                let verified = decodeEverything(cut, signed: v.signed)
                XCTAssertNotEqual(verified, true, "\(v.name) truncated to \(n) bytes verified")
                // A truncated packet must not be described successfully either, except when the cut
                // removes only bytes that a raw trailing field absorbs (unsigned packets have none).
                if !v.signed {
                    XCTAssertThrowsError(try PacketDescription.describe(bytes: cut), "\(v.name) cut to \(n)")
                }
            }
        }
    }

    func testEveryBitFlip() {
        var flips = 0
        for v in V.all {
            let bytes = V.hex(v.hex)
            for i in 0..<bytes.count {
                for bit in 0..<8 {
                    var flipped = bytes
                    flipped[i] ^= UInt8(1) << UInt8(bit)
                    let verified = decodeEverything(flipped, signed: v.signed)
                    if v.signed {
                        XCTAssertNotEqual(verified, true, "\(v.name): flip of byte \(i) bit \(bit) still verifies")
                    }
                    flips += 1
                }
            }
        }
        XCTAssertGreaterThan(flips, 20_000)
    }

    func testRandomGarbageNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let n = Int.random(in: 0..<300, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if n > 30, Bool.random(using: &rng) {
                // Make it look framed: real prefix, a core id, a LibNaCL key of plausible length.
                bytes.replaceSubrange(0..<22, with: V.testPrefix.bytes)
                bytes[22] = [246, 245, 249, 234, 233, 231, 250, 232].randomElement(using: &rng)!
            }
            _ = decodeEverything(bytes, signed: true)
            _ = decodeEverything(bytes, signed: false)
        }
    }

    /// A18: a packet signed with a legacy sect163k1 key (py-ipv8's trackers' kind) parses with a 42-byte
    /// signature and verifies; every bit flip of it is refused.
    func testA18LegacyECKeyedPacketVerifies() throws {
        let bytes = V.hex(V.a18)
        try bytes.withUnsafeBytes { raw in
            let view = try SignedPacketView(raw)
            XCTAssertEqual(view.signature.count, 42)
            XCTAssertEqual(try view.publicKey().ec?.curve, .sect163k1)
            XCTAssertEqual(try view.publicKey().bin, Array(view.keyBin))
            XCTAssertTrue(view.verify())
        }
        for i in 0..<bytes.count {
            var flipped = bytes
            flipped[i] ^= 0x01
            let accepted: Bool = flipped.withUnsafeBytes { raw in
                guard let view = try? SignedPacketView(raw) else { return false }
                return view.verify()
            }
            XCTAssertFalse(accepted, "bit flip in byte \(i) accepted")
        }
        XCTAssertNoThrow(try PacketDescription.describe(bytes: bytes))
    }

    /// An EC key on a curve py-ipv8 never uses (prime256v1) is an unsupported key type, not a crash.
    func testECKeyOnAForeignCurveIsAnUnsupportedKeyType() throws {
        let key = V.hex(ECKeyTests.prime256v1PublicBin)
        var bytes = V.testPrefix.bytes + [246, UInt8(key.count >> 8), UInt8(key.count & 0xFF)] + key
        bytes += [UInt8](repeating: 0, count: 80)
        try bytes.withUnsafeBytes { raw in
            XCTAssertThrowsError(try SignedPacketView(raw)) { error in
                XCTAssertEqual(error as? WireError, .unsupportedKeyType(offset: 25, length: key.count))
                XCTAssertTrue(String(describing: error).contains("unsupported key type"))
            }
        }
    }

    func testTrailingByteAfterFixedPayloadIsRejected() throws {
        var bytes = V.hex(V.a14)
        bytes.append(0)
        try bytes.withUnsafeBytes { raw in
            XCTAssertThrowsError(try UnsignedPacketView.open(raw, as: PingPayload.self)) { error in
                XCTAssertEqual(error as? WireError, .trailingBytes(offset: 33, count: 1))
            }
        }
    }

    func testSignatureTruncationReportsField() throws {
        let bytes = Array(V.hex(V.a1)[0..<120])
        try bytes.withUnsafeBytes { raw in
            XCTAssertThrowsError(try SignedPacketView(raw)) { error in
                XCTAssertEqual(error as? WireError, .truncated(field: "signature", offset: 99, needed: 64, available: 21))
            }
        }
    }
}
