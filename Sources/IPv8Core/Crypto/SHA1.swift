/// SHA-1 (FIPS 180-4) in Swift. Used for `mid` (SHA-1 of a public key bin), as py-ipv8 does, and for DHT ids.
///
/// Not through libcrypto: OpenSSL 3 loads its default provider and configuration on the first digest it
/// fetches, 2.4 MB of resident memory (measured: a C program that fetches SHA-1 and hashes 3 bytes peaks at
/// 5.0 MB, 2.6 MB without), which a node with curve25519 keys otherwise never needs. Two 64-byte blocks (a key
/// bin) cost about 2k instructions, less than `EVP_Digest`'s context set-up.
enum SHA1Digest {
    /// The digest length in bytes.
    static let length = 20

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        let fullBlocks = data.count / 64
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { schedule in
            let w = schedule.baseAddress!
            for block in 0..<fullBlocks {
                compress(&state, data.baseAddress! + block * 64, w)
            }
            // The tail, 0x80, zeros and the length in bits (big-endian) make one or two more blocks.
            withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
                let t = tail.baseAddress!
                t.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
                let rest = data.count - fullBlocks * 64
                if rest > 0 { t.copyMemory(from: data.baseAddress! + fullBlocks * 64, byteCount: rest) }
                t.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
                let blocks = rest < 56 ? 1 : 2
                t.storeBytes(of: (UInt64(data.count) &* 8).bigEndian, toByteOffset: blocks * 64 - 8, as: UInt64.self)
                for block in 0..<blocks { compress(&state, UnsafeRawPointer(t) + block * 64, w) }
            }
        }
        let bigEndian = (state.0.bigEndian, state.1.bigEndian, state.2.bigEndian, state.3.bigEndian, state.4.bigEndian)
        return withUnsafeBytes(of: bigEndian) { Array($0.prefix(length)) }
    }

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }

    /// One 64-byte block into `state`; `w` is room for the 80-word message schedule.
    @inline(__always)
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer,
                                 _ w: UnsafeMutablePointer<UInt32>) {
        for i in 0..<16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
        for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
        var (a, b, c, d, e) = state
        for i in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch i {
            case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
            case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
            case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
            default: f = b ^ c ^ d; k = 0xCA62_C1D6
            }
            let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
            e = d
            d = c
            c = rotl(b, 30)
            b = a
            a = t
        }
        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
        state.4 &+= e
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x << n | x >> (32 - n) }
}
