import CSodium

/// A py-ipv8 "curve25519" private key (`LibNaCLSK:`): an X25519 secret key and an independent Ed25519
/// seed (spec §6.5).
///
/// The secret bytes live in one heap block owned by this object and are wiped with `sodium_memzero`
/// when it is freed. The key is immutable after creation, so it can be shared between threads.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    // @unchecked Sendable: `secret` is written only in init and read-only afterwards.

    /// `LibNaCLSK:` as bytes.
    public static let binPrefix: [UInt8] = Array("LibNaCLSK:".utf8)
    /// The length of a private key bin: 10 + 32 + 32.
    public static let binLength = 74

    /// [0, 32) X25519 secret key (raw, unclamped), [32, 64) Ed25519 seed,
    /// [64, 128) the expanded Ed25519 secret key (seed ‖ public key) that libsodium signs with.
    private let secret: UnsafeMutableRawBufferPointer

    /// The matching public key.
    public let publicKey: PublicKey
    /// The legacy EC key, for an EC private key (then `secret` is empty).
    public let ec: ECPrivateKey?
    /// Whether ``sign(_:)-(UnsafeRawBufferPointer)`` writes a stand-in instead of a signature: a 64-bit FNV-1a
    /// hash of the message, zero padded to 64 bytes. Distinct per message (so repeat detection still tells
    /// datagrams apart) and the wire layout unchanged, but anyone can forge it and no real verifier accepts it:
    /// only for IPv8Testing's simulations whose gates skip signature checks (`SimulatedNetwork`'s `.skipped`).
    package let signsWithStandIn: Bool

    /// Wraps a legacy EC key.
    public init(ec: ECPrivateKey) {
        secret = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
        publicKey = PublicKey(ec: ec.publicKey)
        self.ec = ec
        signsWithStandIn = false
    }

    /// Builds a key from 64 secret bytes: X25519 secret ‖ Ed25519 seed (callers check the count).
    private init<C: Collection>(secrets: C, standIn: Bool = false) where C.Element == UInt8 {
        Sodium.ensureInitialized()
        secret = UnsafeMutableRawBufferPointer.allocate(byteCount: 128, alignment: 16)
        secret.initializeMemory(as: UInt8.self, repeating: 0)
        for (i, b) in secrets.prefix(64).enumerated() { secret[i] = b }
        let base = secret.baseAddress!

        var encryption = Bytes32()
        encryption.withUnsafeMutableBytes { pk in
            _ = crypto_scalarmult_base(pk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                       base.assumingMemoryBound(to: UInt8.self))
        }
        var verify = Bytes32()
        verify.withUnsafeMutableBytes { pk in
            _ = crypto_sign_seed_keypair(pk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                         base.advanced(by: 64).assumingMemoryBound(to: UInt8.self),
                                         base.advanced(by: 32).assumingMemoryBound(to: UInt8.self))
        }
        publicKey = PublicKey(encryptionKey: encryption, verifyKey: verify)
        ec = nil
        signsWithStandIn = standIn
    }

    /// The same identity as the curve25519 key `key` (same public key and mid), signing with stand-ins
    /// (``signsWithStandIn``). For simulations that skip signature checks only.
    package convenience init(standInFor key: PrivateKey) {
        precondition(key.ec == nil, "stand-in signing is for curve25519 keys")
        self.init(secrets: UnsafeRawBufferPointer(rebasing: key.secret[0..<64]), standIn: true)
    }

    /// Parses a private key bin. One that starts with `LibNaCLSK:` must be at least 74 bytes long: bytes
    /// [10, 42) are the X25519 secret, [42, 74) the Ed25519 seed, anything after is ignored. Any other bin
    /// must be exactly a legacy EC key's DER (``ECPrivateKey/init(bin:)``).
    public convenience init(bin: UnsafeRawBufferPointer) throws(KeyError) {
        guard bin.count >= Self.binPrefix.count,
              zip(bin.prefix(Self.binPrefix.count), Self.binPrefix).allSatisfy({ $0 == $1 }) else {
            self.init(ec: try ECPrivateKey(bin: Array(bin)))
            return
        }
        guard bin.count >= Self.binLength else { throw .tooShort(length: bin.count, needed: Self.binLength) }
        self.init(secrets: bin[10..<74])
    }

    /// Parses a private key bin; see ``init(bin:)-(UnsafeRawBufferPointer)``.
    public convenience init(bin: [UInt8]) throws(KeyError) {
        guard bin.starts(with: Self.binPrefix) else {
            self.init(ec: try ECPrivateKey(bin: bin))
            return
        }
        guard bin.count >= Self.binLength else { throw .tooShort(length: bin.count, needed: Self.binLength) }
        self.init(secrets: bin[10..<74])
    }

    /// Builds a key from a 32-byte X25519 secret and a 32-byte Ed25519 seed; `nil` for other lengths.
    public convenience init?(x25519SecretKey: [UInt8], ed25519Seed: [UInt8]) {
        guard x25519SecretKey.count == 32, ed25519Seed.count == 32 else { return nil }
        self.init(secrets: x25519SecretKey + ed25519Seed)
    }

    /// A fresh random key (64 bytes from libsodium's `randombytes_buf`), py-ipv8's
    /// `generate_key("curve25519")`.
    public static func generate() -> PrivateKey {
        Sodium.ensureInitialized()
        var raw = [UInt8](repeating: 0, count: 64)
        raw.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, 64) }
        defer { raw.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, 64) } }
        return PrivateKey(secrets: raw)
    }

    /// A fresh legacy EC key on `curve` (py-ipv8's `generate_key("very-low")` and the other levels).
    public static func generate(curve: ECCurve) throws(KeyError) -> PrivateKey {
        PrivateKey(ec: try ECPrivateKey.generate(curve: curve))
    }

    deinit {
        if let base = secret.baseAddress { sodium_memzero(base, secret.count) }
        secret.deallocate()
    }

    /// The private bin: for curve25519 the 74 bytes `LibNaCLSK:` ‖ X25519 secret ‖ Ed25519 seed, for EC the
    /// DER SEC1 key. This copies secret bytes into an ordinary array; wipe it (or let it go) promptly.
    public var bin: [UInt8] {
        if let ec { return ec.bin }
        return Self.binPrefix + Array(UnsafeRawBufferPointer(rebasing: secret[0..<64]))
    }

    /// The member id of the public key (SHA-1 of the public bin).
    public var mid: [UInt8] { publicKey.mid }

    /// The length of this key's signatures: 64 for curve25519, ``ECCurve/signatureLength`` for EC.
    public var signatureLength: Int { publicKey.keySignatureLength }

    /// The signature of `message`, ``signatureLength`` bytes: Ed25519 for curve25519 (deterministic: same
    /// key and message, same bytes), ECDSA-SHA-1 `r ‖ s` for EC (randomised). Should libcrypto ever fail
    /// to sign with a valid EC key, the signature is all zero, which every verifier refuses.
    public func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: signatureLength) { out, initialized in
            sign(message, into: UnsafeMutableRawPointer(out.baseAddress!))
            initialized = signatureLength
        }
    }

    /// Array convenience for ``sign(_:)-(UnsafeRawBufferPointer)``.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sign($0) }
    }

    /// Writes the ``signatureLength``-byte signature of `message` to `signature`.
    func sign(_ message: UnsafeRawBufferPointer, into signature: UnsafeMutableRawPointer) {
        if signsWithStandIn {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in message { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            signature.initializeMemory(as: UInt8.self, repeating: 0, count: signatureLength)
            withUnsafeBytes(of: hash.littleEndian) { signature.copyMemory(from: $0.baseAddress!, byteCount: 8) }
            return
        }
        if let ec {
            let bytes = (try? ec.sign(message)) ?? [UInt8](repeating: 0, count: signatureLength)
            bytes.withUnsafeBytes { signature.copyMemory(from: $0.baseAddress!, byteCount: signatureLength) }
            return
        }
        _ = crypto_sign_detached(
            signature.assumingMemoryBound(to: UInt8.self), nil,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            secret.baseAddress!.advanced(by: 64).assumingMemoryBound(to: UInt8.self))
    }

    public var description: String { "PrivateKey(mid: \(hexString(mid)))" }
}
