import CSodium

/// A py-ipv8 public key of either kind (spec §6.5): a "curve25519" key (`LibNaCLPK:`: an X25519
/// encryption key and an independent Ed25519 verify key), or a legacy EC key (``ECPublicKey``: DER, on a
/// binary curve, ECDSA-SHA-1).
///
/// A curve25519 key is stored inline (no heap), so making one from a received packet costs nothing but a
/// copy; an EC key holds its parsed ``ECPublicKey``. Equality and hashing follow the bin.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// `LibNaCLPK:` as bytes.
    public static let binPrefix: [UInt8] = Array("LibNaCLPK:".utf8)
    /// The length of a public key bin: 10 + 32 + 32.
    public static let binLength = 74
    /// The length of an Ed25519 signature.
    public static let signatureLength = 64

    let encryptionKey: Bytes32
    let verifyKey: Bytes32
    /// The legacy EC key, for an EC public key (then the two halves above are zero).
    public let ec: ECPublicKey?

    init(encryptionKey: Bytes32, verifyKey: Bytes32) {
        self.encryptionKey = encryptionKey
        self.verifyKey = verifyKey
        self.ec = nil
    }

    /// The public key of a legacy EC key.
    public init(ec: ECPublicKey) {
        self.encryptionKey = Bytes32()
        self.verifyKey = Bytes32()
        self.ec = ec
    }

    /// Parses a public key bin. One that starts with `LibNaCLPK:` must be at least 74 bytes long: bytes
    /// [10, 42) are the X25519 key, [42, 74) the Ed25519 key, anything after is ignored (as in py-ipv8).
    /// Any other bin must be exactly a legacy EC key's DER (``ECPublicKey/init(bin:)``).
    public init(bin: UnsafeRawBufferPointer) throws(KeyError) {
        guard PublicKey.hasPrefix(bin) else {
            self.init(ec: try ECPublicKey(bin: Array(bin)))
            return
        }
        guard bin.count >= Self.binLength else { throw .tooShort(length: bin.count, needed: Self.binLength) }
        self.init(encryptionKey: Bytes32(unchecked: UnsafeRawBufferPointer(rebasing: bin[10..<42])),
                  verifyKey: Bytes32(unchecked: UnsafeRawBufferPointer(rebasing: bin[42..<74])))
    }

    /// The curve25519 key of a bin already known to be one (`LibNaCLPK:` and at least 74 bytes; unchecked).
    init(curve25519Bin bin: UnsafeRawBufferPointer) {
        self.init(encryptionKey: Bytes32(unchecked: UnsafeRawBufferPointer(rebasing: bin[10..<42])),
                  verifyKey: Bytes32(unchecked: UnsafeRawBufferPointer(rebasing: bin[42..<74])))
    }

    /// Parses a public key bin; see ``init(bin:)-(UnsafeRawBufferPointer)``.
    public init(bin: [UInt8]) throws(KeyError) {
        let result: Result<PublicKey, KeyError> = bin.withUnsafeBytes { raw in
            do throws(KeyError) { return .success(try PublicKey(bin: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// True when `bin` starts with `LibNaCLPK:` (whatever its length).
    public static func hasPrefix(_ bin: UnsafeRawBufferPointer) -> Bool {
        guard bin.count >= binPrefix.count else { return false }
        for i in 0..<binPrefix.count where bin[i] != binPrefix[i] { return false }
        return true
    }

    /// The bin: for curve25519 the 74 bytes `LibNaCLPK:` ‖ X25519 key ‖ Ed25519 key, for EC the DER.
    public var bin: [UInt8] {
        if let ec { return ec.bin }
        return withBin { Array($0) }
    }

    /// Calls `body` with the bin (a curve25519 bin is built on the stack: no heap allocation).
    public func withBin<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let ec { return try ec.bin.withUnsafeBytes(body) }
        return try withUnsafeTemporaryAllocation(byteCount: Self.binLength, alignment: 1) { buf in
            for i in 0..<10 { buf[i] = Self.binPrefix[i] }
            encryptionKey.withUnsafeBytes { buf.baseAddress!.advanced(by: 10).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            verifyKey.withUnsafeBytes { buf.baseAddress!.advanced(by: 42).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            return try body(UnsafeRawBufferPointer(buf))
        }
    }

    /// The member id: SHA-1 of the bin, 20 bytes.
    public var mid: [UInt8] {
        withBin { SHA1Digest.hash($0) }
    }

    /// The 32-byte X25519 public key (used by tunnel crypto, not by discovery); empty for an EC key.
    public var x25519PublicKey: [UInt8] { ec == nil ? encryptionKey.array : [] }

    /// The 32-byte Ed25519 verify key; empty for an EC key.
    public var ed25519PublicKey: [UInt8] { ec == nil ? verifyKey.array : [] }

    /// The length of this key's signatures: 64 for curve25519, ``ECCurve/signatureLength`` for EC.
    public var keySignatureLength: Int { ec?.signatureLength ?? Self.signatureLength }

    /// True when `signature` is a valid signature of `message` under this key: Ed25519 (64 bytes) for
    /// curve25519, ECDSA-SHA-1 `r ‖ s` for EC. Any other signature length gives `false`. Costs one
    /// verification (tens of µs for Ed25519, more for EC).
    public func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        if let ec { return ec.verify(signature: signature, message: message) }
        guard signature.count == Self.signatureLength, let sig = signature.baseAddress else { return false }
        Sodium.ensureInitialized()
        return verifyKey.withUnsafeBytes { pk in
            crypto_sign_verify_detached(
                sig.assumingMemoryBound(to: UInt8.self),
                message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                UInt64(message.count),
                pk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
        }
    }

    /// Array convenience for ``verify(signature:message:)-(UnsafeRawBufferPointer,UnsafeRawBufferPointer)``.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        signature.withUnsafeBytes { s in message.withUnsafeBytes { m in verify(signature: s, message: m) } }
    }

    public var description: String { "PublicKey(mid: \(hexString(mid)))" }
}
