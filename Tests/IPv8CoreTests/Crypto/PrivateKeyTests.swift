import IPv8Testing
import XCTest
@testable import IPv8Core

final class PrivateKeyTests: XCTestCase {
    typealias V = Vectors

    func testGenerateBinLoadSameMid() throws {
        let key = PrivateKey.generate()
        let loaded = try PrivateKey(bin: key.bin)
        XCTAssertEqual(loaded.mid, key.mid)
        XCTAssertEqual(loaded.publicKey, key.publicKey)
        XCTAssertEqual(loaded.bin, key.bin)
        XCTAssertNotEqual(PrivateKey.generate().mid, key.mid)
        let message = Array("round trip".utf8)
        XCTAssertTrue(key.publicKey.verify(signature: loaded.sign(message), message: message))
    }

    /// py-ipv8's key bin from the spec loads and signs identically (Ed25519 is deterministic).
    func testSpecBinLoadsAndSignsIdentically() throws {
        let loaded = try PrivateKey(bin: V.hex(V.keyAPrivate))
        XCTAssertEqual(hexString(loaded.publicKey.bin), V.keyAPublic)
        XCTAssertEqual(hexString(loaded.mid), V.keyAMid)
        let packet = PacketEncoder.coreSigned(V.p1, prefix: V.testPrefix, globalTime: 1, key: loaded)
        XCTAssertEqual(hexString(packet), V.a1)
        XCTAssertEqual(loaded.sign([1, 2, 3]), V.keyA.sign([1, 2, 3]))
        // Extra bytes after 74 are ignored.
        XCTAssertEqual(try PrivateKey(bin: V.hex(V.keyAPrivate) + [9, 9]).mid, loaded.mid)
    }

    func testBadBins() {
        // Not LibNaCLSK:, so it must be an EC key's DER, and it is not.
        XCTAssertThrowsError(try PrivateKey(bin: V.hex(V.keyAPublic))) { error in
            guard case .malformedDER = error as? KeyError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try PrivateKey(bin: Array(V.hex(V.keyAPrivate)[0..<40]))) { error in
            XCTAssertEqual(error as? KeyError, .tooShort(length: 40, needed: 74))
        }
        XCTAssertThrowsError(try PrivateKey(bin: [UInt8]()))
        XCTAssertNil(PrivateKey(x25519SecretKey: [1], ed25519Seed: [UInt8](repeating: 0, count: 32)))
    }

    func testSignFromBuffer() {
        let message: [UInt8] = Array(0..<100)
        let sig = message.withUnsafeBytes { V.keyC.sign($0) }
        XCTAssertEqual(sig, V.keyC.sign(message))
        XCTAssertTrue(V.keyC.publicKey.verify(signature: sig, message: message))
    }
}
