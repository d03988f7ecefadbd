@testable import IPv8Core

/// A made-up public key for identity `n`: a well-formed 74-byte LibNaCLPK bin, unique per `n` (its mid is the
/// real SHA-1 of the bin). No signing is needed by the Network tests, so the key halves are arbitrary bytes.
func testKey(_ n: Int) -> PublicKey {
    let id = UInt32(truncatingIfNeeded: n)
    let idBytes = [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
    let bin = Array("LibNaCLPK:".utf8) + idBytes + [UInt8](repeating: 0xAB, count: 60)
    return try! PublicKey(bin: bin)
}

/// A peer with identity `n` at `address` (if any).
func testPeer(_ n: Int, _ address: Address? = nil) -> Peer {
    Peer(key: testKey(n), address: address)
}

/// A distinct IPv4 address per `n` (10.x.y.z, port 1000 + n % 50000).
func testAddress(_ n: Int) -> Address {
    Address(10, UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), port: UInt16(1000 + n % 50000))
}

/// A distinct service id per `n`.
func testService(_ n: Int) -> CommunityID {
    CommunityID(bytes: (0..<20).map { UInt8(truncatingIfNeeded: n &+ $0) })!
}

extension RandomSource {
    /// A number in `0..<n` from the seeded stream (modulo, as the randomized tests always drew it).
    func below(_ n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}
