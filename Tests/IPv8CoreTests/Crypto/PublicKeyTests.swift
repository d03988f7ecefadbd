import IPv8Testing
import XCTest
@testable import IPv8Core

final class PublicKeyTests: XCTestCase {
    typealias V = Vectors

    func testKeyVectors() {
        XCTAssertEqual(hexString(V.keyA.bin), V.keyAPrivate)
        XCTAssertEqual(hexString(V.keyA.publicKey.bin), V.keyAPublic)
        XCTAssertEqual(hexString(V.keyA.mid), V.keyAMid)
        XCTAssertEqual(hexString(V.keyB.publicKey.bin), V.keyBPublic)
        XCTAssertEqual(hexString(V.keyB.mid), V.keyBMid)
        XCTAssertEqual(hexString(V.keyC.publicKey.bin), V.keyCPublic)
        XCTAssertEqual(hexString(V.keyC.mid), V.keyCMid)
        XCTAssertEqual(hexString(V.keyB.bin), "4c69624e61434c534b3a" + String(repeating: "02", count: 32) + String(repeating: "66", count: 32))
    }

    func testParseFromBin() throws {
        let pk = try PublicKey(bin: V.hex(V.keyAPublic))
        XCTAssertEqual(pk, V.keyA.publicKey)
        XCTAssertEqual(hexString(pk.mid), V.keyAMid)
        XCTAssertEqual(pk.x25519PublicKey, Array(V.hex(V.keyAPublic)[10..<42]))
        XCTAssertEqual(pk.ed25519PublicKey, Array(V.hex(V.keyAPublic)[42..<74]))
        // Extra bytes are ignored (py-ipv8 does the same); the mid is over the 74-byte bin.
        let longer = try PublicKey(bin: V.hex(V.keyAPublic) + [1, 2, 3])
        XCTAssertEqual(longer, pk)
        XCTAssertEqual(hexString(longer.mid), V.keyAMid)
    }

    func testParseErrors() {
        XCTAssertThrowsError(try PublicKey(bin: Array(V.hex(V.keyAPublic)[0..<73]))) { error in
            XCTAssertEqual(error as? KeyError, .tooShort(length: 73, needed: 74))
        }
        // Not LibNaCLPK:, so it must be an EC key's DER, and it is not.
        XCTAssertThrowsError(try PublicKey(bin: V.hex(V.keyAPrivate))) { error in
            guard case .malformedDER = error as? KeyError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try PublicKey(bin: []))
    }

    func testVerify() {
        let message = Array("hello".utf8)
        let sig = V.keyA.sign(message)
        XCTAssertEqual(sig.count, 64)
        XCTAssertTrue(V.keyA.publicKey.verify(signature: sig, message: message))
        XCTAssertFalse(V.keyB.publicKey.verify(signature: sig, message: message))
        XCTAssertFalse(V.keyA.publicKey.verify(signature: sig, message: message + [0]))
        XCTAssertFalse(V.keyA.publicKey.verify(signature: Array(sig.dropLast()), message: message))
        XCTAssertFalse(V.keyA.publicKey.verify(signature: [], message: message))
    }
}
