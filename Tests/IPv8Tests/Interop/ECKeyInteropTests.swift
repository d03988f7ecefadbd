import Foundation
import IPv8TestSupport
import XCTest
@testable import IPv8

/// Legacy EC keys the other way round: py-ipv8 3.2.1 loads the keys we generate (private bin → the same
/// public bin) and verifies the signatures we make, on every curve.
final class ECKeyInteropTests: XCTestCase {
    private static let checker = """
    import sys
    from ipv8.keyvault.crypto import default_eccrypto as c
    message = b"swift-ipv8"
    for line in sys.stdin:
        curve, private, public, signature = line.split()
        key = c.key_from_private_bin(bytes.fromhex(private))
        same = key.pub().key_to_bin() == bytes.fromhex(public)
        valid = c.key_from_public_bin(bytes.fromhex(public)).verify(bytes.fromhex(signature), message)
        forged = c.key_from_public_bin(bytes.fromhex(public)).verify(bytes.fromhex(signature), message + b"!")
        print(curve, "same-public" if same else "other-public", "valid" if valid else "invalid",
              "forgery-accepted" if forged else "forgery-refused")
    """

    func testPyIPv8LoadsOurKeysAndVerifiesOurSignatures() throws {
        let message = Array("swift-ipv8".utf8)
        var input = ""
        for curve in ECCurve.allCases {
            let key = try ECPrivateKey.generate(curve: curve)
            input += "\(curve) \(Hex.encode(key.bin)) \(Hex.encode(key.publicKey.bin)) \(Hex.encode(try key.sign(message)))\n"
        }
        let result = try ChildProcess.run(try PyIPv8Node.python(), ["-c", Self.checker], input: input, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init),
                       ECCurve.allCases.map { "\($0) same-public valid forgery-refused" })
    }
}
