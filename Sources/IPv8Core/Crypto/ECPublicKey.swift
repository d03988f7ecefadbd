import CLibCrypto

/// A py-ipv8 legacy EC public key ("M2Crypto" key): ECDSA with SHA-1 on one of the binary ``ECCurve``s.
///
/// Its bin is the DER SubjectPublicKeyInfo py-ipv8 writes (66, 84, 128 or 170 bytes with an uncompressed
/// point; no `LibNaCLPK:` prefix), and its mid is the SHA-1 of that bin. A signature is `r ‖ s`, each
/// big-endian and left-padded to ``ECCurve/scalarLength`` bytes.
///
/// Immutable after creation: verification uses a context of its own per call, so one key may be used
/// from several threads.
public final class ECPublicKey: @unchecked Sendable, Hashable, CustomStringConvertible {
    // @unchecked Sendable: `pkey` is never mutated after init; libcrypto allows concurrent use of a
    // read-only EVP_PKEY with separate contexts.

    /// The key's curve.
    public let curve: ECCurve
    /// The DER SubjectPublicKeyInfo, as libcrypto (and py-ipv8) encode it.
    public let bin: [UInt8]
    let pkey: OpaquePointer

    /// Parses a DER SubjectPublicKeyInfo. Every byte must belong to it.
    /// - Throws: ``KeyError/malformedDER(reason:)`` for bad or trailing DER, a key that is not EC or has
    ///   explicit parameters; ``KeyError/unsupportedCurve(_:)`` for a curve py-ipv8 does not use.
    public convenience init(bin: [UInt8]) throws(KeyError) {
        try self.init(taking: try LibCrypto.parse(bin, as: "a SubjectPublicKeyInfo") { d2i_PUBKEY(nil, $0, $1) })
    }

    /// Takes ownership of `pkey` (freed on failure too).
    init(taking pkey: OpaquePointer) throws(KeyError) {
        let curve: ECCurve
        do {
            curve = try LibCrypto.curve(of: pkey)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        guard let bin = LibCrypto.der({ i2d_PUBKEY(pkey, $0) }) else {
            EVP_PKEY_free(pkey)
            throw .crypto(reason: LibCrypto.lastError())
        }
        self.pkey = pkey
        self.curve = curve
        self.bin = bin
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// The 20-byte mid: SHA-1 of ``bin``.
    public var mid: [UInt8] { SHA1Digest.hash(bin) }

    /// The length of this key's signatures (``ECCurve/signatureLength``).
    public var signatureLength: Int { curve.signatureLength }

    /// True when `signature` (`r ‖ s`, ``signatureLength`` bytes) is a valid ECDSA-SHA-1 signature of
    /// `message` under this key. Any other length, or r or s out of range, gives `false`.
    public func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        let n = curve.scalarLength
        guard signature.count == 2 * n, let base = signature.baseAddress?.assumingMemoryBound(to: UInt8.self),
              let sig = ECDSA_SIG_new() else { return false }
        defer { ECDSA_SIG_free(sig) }
        guard let r = BN_bin2bn(base, Int32(n), nil) else { return false }
        guard let s = BN_bin2bn(base + n, Int32(n), nil) else {
            BN_free(r)
            return false
        }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return false
        }
        guard let der = LibCrypto.der({ i2d_ECDSA_SIG(sig, $0) }), let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let verified = EVP_DigestVerifyInit(context, nil, EVP_sha1(), nil, pkey) == 1
            && EVP_DigestVerify(context, der, der.count,
                                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
        if !verified { ERR_clear_error() }
        return verified
    }

    /// See ``verify(signature:message:)-(UnsafeRawBufferPointer,UnsafeRawBufferPointer)``.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        signature.withUnsafeBytes { s in message.withUnsafeBytes { m in verify(signature: s, message: m) } }
    }

    public static func == (lhs: ECPublicKey, rhs: ECPublicKey) -> Bool { lhs.bin == rhs.bin }

    public func hash(into hasher: inout Hasher) { hasher.combine(bin) }

    public var description: String { "ECPublicKey(\(curve), mid \(Hex.encode(mid)))" }
}
