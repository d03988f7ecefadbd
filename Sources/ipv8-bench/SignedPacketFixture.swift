import CSodium
import IPv8

/// The packets and raw libsodium key the signature benchmarks share: a signed introduction request, the
/// introduction response that answers it, and the same Ed25519 key as a raw 64-byte libsodium secret key, so that
/// engine and raw operations sign and verify the very same bytes.
struct SignedPacketFixture {
    let key: PrivateKey
    let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array(0..<20))!)
    let request = IntroductionRequestPayload(destinationAddress: Address(127, 0, 0, 1, port: 2),
                                             sourceLANAddress: Address(127, 0, 0, 1, port: 1),
                                             sourceWANAddress: Address(127, 0, 0, 1, port: 1), identifier: 7)
    let response = IntroductionResponsePayload(destinationAddress: Address(127, 0, 0, 1, port: 1),
                                               sourceLANAddress: Address(127, 0, 0, 1, port: 2),
                                               sourceWANAddress: Address(127, 0, 0, 1, port: 2),
                                               lanIntroductionAddress: .zero,
                                               wanIntroductionAddress: Address(127, 0, 0, 1, port: 3),
                                               identifier: 7)
    /// The signed request, as it arrives.
    let packet: [UInt8]
    /// How many bytes the response's signature covers.
    let responseSignedLength: Int
    /// Where a core signed packet's global time starts: 22-byte prefix, message id, 2-byte key length, and the
    /// 74-byte curve25519 key bin.
    static let globalTimeOffset = 22 + 1 + 2 + 74
    /// `key`'s Ed25519 half as libsodium's secret key (seed ‖ public key).
    let rawSecretKey: [UInt8]

    init() {
        _ = sodium_init()
        let seed = [UInt8](repeating: 101, count: 32)
        key = PrivateKey(x25519SecretKey: [UInt8](repeating: 1, count: 32), ed25519Seed: seed)!
        packet = PacketEncoder.coreSigned(request, prefix: prefix, globalTime: 7, key: key)
        responseSignedLength = PacketEncoder.coreSigned(response, prefix: prefix, globalTime: 8, key: key).count - 64
        var pk = [UInt8](repeating: 0, count: 32), sk = [UInt8](repeating: 0, count: 64)
        crypto_sign_seed_keypair(&pk, &sk, seed)
        rawSecretKey = sk
    }

    /// `count` signed introduction requests, all different (identifier and global time), from `keys` keys in turn,
    /// as a tracker's load sends them: what the verify+sign bound verifies, so that it meets the same variety of
    /// inputs as the tracker does.
    func distinctRequests(count: Int = 1_024, keys: Int = 16) -> [[UInt8]] {
        let signers = (0..<keys).map { k in
            PrivateKey(x25519SecretKey: [UInt8](repeating: UInt8(truncatingIfNeeded: k + 2), count: 32),
                       ed25519Seed: [UInt8](repeating: UInt8(truncatingIfNeeded: k + 102), count: 32))!
        }
        return (0..<count).map { i in
            var payload = request
            payload.identifier = UInt16(truncatingIfNeeded: i)
            return PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: UInt64(i + 1), key: signers[i % keys])
        }
    }

    /// Raw libsodium verify of a signed packet's signature against the Ed25519 half of the key bin it carries
    /// (a core signed packet: 22-byte prefix, message id, 2-byte key length, key bin).
    static func rawVerify(_ packet: UnsafeRawBufferPointer) -> Bool {
        let signed = packet.count - 64
        return crypto_sign_verify_detached(packet.baseAddress! + signed, packet.baseAddress!, UInt64(signed),
                                           packet.baseAddress! + 25 + 42) == 0
    }
}
