import CLibCrypto
import XCTest
@testable import IPv8Core

final class SHA1Tests: XCTestCase {
    /// FIPS 180 examples: the empty message, one block, a message whose padding needs a second block, and a
    /// million bytes.
    func testKnownDigests() {
        XCTAssertEqual(hexString(SHA1Digest.hash([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(hexString(SHA1Digest.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(hexString(SHA1Digest.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        XCTAssertEqual(hexString(SHA1Digest.hash([UInt8](repeating: 0x61, count: 1_000_000))),
                       "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// Every length from 0 to 300 bytes (every padding case, one to six blocks) against libcrypto's SHA1 through
    /// EVP (OpenSSL's provider), and the empty buffer with no base address.
    func testEveryLengthMatchesLibcrypto() {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for count in 0...data.count {
            let message = Array(data.prefix(count))
            var expected = [UInt8](repeating: 0, count: 20)
            message.withUnsafeBufferPointer { _ = SHA1($0.baseAddress, count, &expected) }
            XCTAssertEqual(SHA1Digest.hash(message), expected, "length \(count)")
        }
        XCTAssertEqual(hexString(SHA1Digest.hash(UnsafeRawBufferPointer(start: nil, count: 0))),
                       "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}
