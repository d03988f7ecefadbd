import IPv8Core

/// A declarative payload of every py-ipv8 format, its twin in Tests/Interop/dataclass_payloads.py, and
/// py-ipv8 3.2.1's encoding of the same value: shared by the unit and interop tests.
public enum DataClassSample {
    public struct Inner: DataClassPayload, Equatable, Sendable {
        public static let messageID: UInt8 = 0
        public var a: UInt16
        public var s: String
        public init(a: UInt16, s: String) { self.a = a; self.s = s }
    }

    /// Every format, in the order of the Python twin.
    public struct Everything: DataClassPayload, Equatable, Sendable {
        public static let messageID: UInt8 = 9
        public var flag: Bool
        public var b: UInt8
        public var h: UInt16
        public var i: UInt32
        public var q: UInt64
        public var sb: Int8
        public var sh: Int16
        public var si: Int32
        public var sq: Int64
        public var f: Float
        public var d: Double
        public var bytes: [UInt8]
        public var text: String
        @VarLenI public var big: [UInt8]
        @VarLenIUTF8 public var bigText: String
        @VarLenBx2 public var pairs: [UInt8]
        @VarLenHx20 public var mids: [UInt8]
        @FixedBytes<20> public var mid: [UInt8]
        @FixedBytes<74> public var key: [UInt8]
        public var address: Address
        @IPAddress public var v6: Address
        public var inner: Inner
        public var inners: [Inner]
        public var flags: [Bool]
        public var numbers: [Int64]
        public var reals: [Double]
        public var blobs: [[UInt8]]
        @Raw public var rest: [UInt8]
    }

    public static let pyIPv8Bytes = "01c8fde8ee6b280080000000000000059c8ad088ca6c00c0000000000000003fc00000c0020000000000000003010203000a68c3a96c6c6f20e29883000000096269676269676269670000000567726fc39f02aabbccdd0002000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627000102030405060708090a0b0c0d0e0f10111213000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748490a0000011f9a0320010db80000000000000000000000070fa0000600070002696e02000500010001610006000200026263030001000103000100000000000000feffffffffffffff00000000000100000200000000000000e03f000000205fa002c20300017800000002797a7461696c"

    public static let sample = Everything(
        flag: true, b: 200, h: 65000, i: 4_000_000_000, q: (1 << 63) + 5, sb: -100, sh: -30000, si: -2_000_000_000,
        sq: -(1 << 62), f: 1.5, d: -2.25, bytes: [1, 2, 3], text: "héllo ☃", big: Array("bigbigbig".utf8),
        bigText: "groß", pairs: [0xAA, 0xBB, 0xCC, 0xDD], mids: Array(0..<40), mid: Array(0..<20), key: Array(0..<74),
        address: Address(10, 0, 0, 1, port: 8090), v6: Address(ip: "2001:db8::7", port: 4000)!,
        inner: Inner(a: 7, s: "in"), inners: [Inner(a: 1, s: "a"), Inner(a: 2, s: "bc")], flags: [true, false, true],
        numbers: [1, -2, 1 << 40], reals: [0.5, -1e10], blobs: [Array("x".utf8), [], Array("yz".utf8)],
        rest: Array("tail".utf8))
}
