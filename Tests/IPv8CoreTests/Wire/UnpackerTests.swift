import XCTest
@testable import IPv8Core

final class UnpackerTests: XCTestCase {
    private func withUnpacker<R>(_ bytes: [UInt8], _ body: (inout Unpacker) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            var u = Unpacker(raw)
            return try body(&u)
        }
    }

    func testBigEndianIntegers() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
                              0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]
        try withUnpacker(bytes) { u in
            XCTAssertEqual(try u.u8(), 0x01)
            XCTAssertEqual(try u.u16(), 0x0203)
            XCTAssertEqual(try u.u32(), 0x0405_0607)
            XCTAssertEqual(try u.u64(), 0x0809_0A0B_0C0D_0E0F)
            XCTAssertEqual(try u.i64(), -2)
            XCTAssertTrue(u.isAtEnd)
            XCTAssertNoThrow(try u.finish())
        }
    }

    func testTruncatedReportsFieldOffsetAndSizes() throws {
        try withUnpacker([0, 0, 0, 9]) { u in
            _ = try? u.u16("first")
            XCTAssertThrowsError(try u.u32("identifier")) { error in
                XCTAssertEqual(error as? WireError, .truncated(field: "identifier", offset: 2, needed: 4, available: 2))
                XCTAssertEqual(String(describing: error), "truncated identifier at offset 2: needed 4 byte(s), 2 available")
            }
            XCTAssertEqual(u.offset, 2, "a failed read does not move the reader")
        }
    }

    func testVarlenHIsStrict() throws {
        // Length 5, only 3 bytes: py-ipv8 would return 3 bytes; we reject.
        try withUnpacker([0x00, 0x05, 1, 2, 3]) { u in
            XCTAssertThrowsError(try u.varlenH("key")) { error in
                XCTAssertEqual(error as? WireError, .truncated(field: "key", offset: 2, needed: 5, available: 3))
            }
        }
        try withUnpacker([0x00, 0x02, 1, 2, 3]) { u in
            XCTAssertEqual(Array(try u.varlenH()), [1, 2])
            XCTAssertThrowsError(try u.finish()) { error in
                XCTAssertEqual(error as? WireError, .trailingBytes(offset: 4, count: 1))
            }
        }
    }

    func testBitsAreMSBFirst() throws {
        try withUnpacker([0x80]) { u in
            let b = try u.bits()
            XCTAssertTrue(b[0])
            for i in 1..<8 { XCTAssertFalse(b[i]) }
            XCTAssertFalse(b[8], "out-of-range index reads false")
        }
        XCTAssertEqual(Bits8(false, false, false, false, false, false, false, true).rawValue, 0x01)
        XCTAssertEqual(Bits8(true, false, true, false, false, false, false, false).rawValue, 0xA0)
    }

    func testIPAddressTypes() throws {
        var p = Packer()
        p.ipAddress(Address(5, 6, 7, 8, port: 2002))
        p.ipAddress(Address(ip: "2001:db8::1", port: 4000)!)
        XCTAssertEqual(hexString(p.bytes), "010506070807d2" + "0320010db80000000000000000000000010fa0")   // A17
        try withUnpacker(p.bytes) { u in
            XCTAssertEqual(try u.ipAddress(), Address(5, 6, 7, 8, port: 2002))
            XCTAssertEqual(try u.ipAddress(), Address(ip: "2001:db8::1", port: 4000)!)
        }
        try withUnpacker([0x02, 0, 3, 0x61, 0x62, 0x63, 0, 1]) { u in
            XCTAssertThrowsError(try u.ipAddress("wan")) { error in
                XCTAssertEqual(error as? WireError, .badAddressType(field: "wan", offset: 0, type: 2))
            }
        }
    }

    func testIPv4FormatAndIPv6Fallback() throws {
        var p = Packer()
        p.ipv4(Address(1, 2, 3, 4, port: 2001))
        p.ipv4(Address(ip: "::1", port: 9)!)
        XCTAssertEqual(hexString(p.bytes), "0102030407d1" + "000000000000")
        try withUnpacker(p.bytes) { u in
            XCTAssertEqual(try u.ipv4().description, "1.2.3.4:2001")
        }
    }

    func testBytesAndRemainingAreViews() throws {
        try withUnpacker([1, 2, 3, 4, 5]) { u in
            let two = try u.bytes(2)
            XCTAssertEqual(Array(two), [1, 2])
            XCTAssertEqual(two.baseAddress, u.buffer.baseAddress, "no copy")
            XCTAssertThrowsError(try u.bytes(-1))
            XCTAssertEqual(u.remainingArray(), [3, 4, 5])
            XCTAssertTrue(u.isAtEnd)
        }
    }

    func testClampedConstruction() {
        [UInt8]([1, 2, 3]).withUnsafeBytes { raw in
            let u = Unpacker(raw, offset: 10, end: 99)
            XCTAssertEqual(u.remainingCount, 0)
            let e = Unpacker(raw, offset: -4, end: -1)
            XCTAssertEqual(e.offset, 0)
            XCTAssertEqual(e.end, 0)
        }
    }
}
