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

    /// Builds a key from 64 secret bytes: X25519 secret ‖ Ed25519 seed (callers check the count).
    private init<C: Collection>(secrets: C) where C.Element == UInt8 {
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
    }

    /// Parses a private key bin: it must start with `LibNaCLSK:` and be at least 74 bytes long; bytes
    /// [10, 42) are the X25519 secret, [42, 74) the Ed25519 seed, anything after is ignored.
    public convenience init(bin: UnsafeRawBufferPointer) throws(KeyError) {
        guard bin.count >= Self.binPrefix.count,
              zip(bin.prefix(Self.binPrefix.count), Self.binPrefix).allSatisfy({ $0 == $1 }) else {
            throw .wrongPrefix(expected: "LibNaCLSK:")
        }
        guard bin.count >= Self.binLength else { throw .tooShort(length: bin.count, needed: Self.binLength) }
        self.init(secrets: bin[10..<74])
    }

    /// Parses a private key bin; see ``init(bin:)-(UnsafeRawBufferPointer)``.
    public convenience init(bin: [UInt8]) throws(KeyError) {
        guard bin.count >= Self.binLength else {
            // Checked here too so the buffer below is never short.
            if !bin.starts(with: Self.binPrefix) { throw .wrongPrefix(expected: "LibNaCLSK:") }
            throw .tooShort(length: bin.count, needed: Self.binLength)
        }
        guard bin.starts(with: Self.binPrefix) else { throw .wrongPrefix(expected: "LibNaCLSK:") }
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

    deinit {
        sodium_memzero(secret.baseAddress!, secret.count)
        secret.deallocate()
    }

    /// The 74-byte private bin: `LibNaCLSK:` ‖ X25519 secret ‖ Ed25519 seed. This copies secret bytes
    /// into an ordinary array; wipe it (or let it go) promptly.
    public var bin: [UInt8] {
        Self.binPrefix + Array(UnsafeRawBufferPointer(rebasing: secret[0..<64]))
    }

    /// The member id of the public key (SHA-1 of the public bin).
    public var mid: [UInt8] { publicKey.mid }

    /// The 64-byte Ed25519 signature of `message` (deterministic: same key and message, same bytes).
    public func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: PublicKey.signatureLength) { out, initialized in
            sign(message, into: UnsafeMutableRawPointer(out.baseAddress!))
            initialized = PublicKey.signatureLength
        }
    }

    /// Array convenience for ``sign(_:)-(UnsafeRawBufferPointer)``.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sign($0) }
    }

    /// Writes the 64-byte signature of `message` to `signature`.
    func sign(_ message: UnsafeRawBufferPointer, into signature: UnsafeMutableRawPointer) {
        _ = crypto_sign_detached(
            signature.assumingMemoryBound(to: UInt8.self), nil,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            secret.baseAddress!.advanced(by: 64).assumingMemoryBound(to: UInt8.self))
    }

    public var description: String { "PrivateKey(mid: \(hexString(mid)))" }
}
