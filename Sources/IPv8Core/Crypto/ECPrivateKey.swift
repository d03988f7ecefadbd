import CLibCrypto

/// A py-ipv8 legacy EC private key: signs with ECDSA-SHA-1 on one of the binary ``ECCurve``s.
///
/// Its bin is the DER SEC1 `ECPrivateKey` py-ipv8 writes (named curve, public key included); that is
/// also what its key files hold. Immutable after creation, so it can be shared between threads.
public final class ECPrivateKey: @unchecked Sendable, CustomStringConvertible {
    // @unchecked Sendable: `pkey` is never mutated after init; each signature uses its own context.

    /// The key's curve.
    public let curve: ECCurve
    /// The matching public key.
    public let publicKey: ECPublicKey
    private let pkey: OpaquePointer

    /// Takes ownership of `pkey` (freed on failure too).
    private init(taking pkey: OpaquePointer) throws(KeyError) {
        guard let publicBin = LibCrypto.der({ i2d_PUBKEY(pkey, $0) }) else {
            EVP_PKEY_free(pkey)
            throw .crypto(reason: LibCrypto.lastError())
        }
        do {
            publicKey = try ECPublicKey(bin: publicBin)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.curve = publicKey.curve
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Parses a DER SEC1 `ECPrivateKey`. Every byte must belong to it.
    /// - Throws: ``KeyError/malformedDER(reason:)``, ``KeyError/unsupportedCurve(_:)``.
    public convenience init(bin: [UInt8]) throws(KeyError) {
        try self.init(taking: try LibCrypto.parse(bin, as: "an EC private key") { d2i_PrivateKey(EVP_PKEY_EC, nil, $0, $1) })
    }

    /// A fresh key on `curve` from the system's random source.
    public static func generate(curve: ECCurve) throws(KeyError) -> ECPrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .crypto(reason: LibCrypto.lastError())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_group_name(context, curve.rawValue) == 1,
              EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw .crypto(reason: LibCrypto.lastError())
        }
        return try ECPrivateKey(taking: generated)
    }

    /// The DER SEC1 `ECPrivateKey` (py-ipv8's private key bin and key-file content).
    public var bin: [UInt8] {
        LibCrypto.der({ i2d_PrivateKey(pkey, $0) }) ?? []
    }

    /// The `r ‖ s` ECDSA-SHA-1 signature of `message` (``ECCurve/signatureLength`` bytes).
    /// - Throws: ``KeyError/crypto(reason:)`` when libcrypto fails (it does not for a valid key).
    public func sign(_ message: UnsafeRawBufferPointer) throws(KeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .crypto(reason: LibCrypto.lastError()) }
        defer { EVP_MD_CTX_free(context) }
        let data = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha1(), nil, pkey) == 1,
              EVP_DigestSign(context, nil, &length, data, message.count) == 1 else {
            throw .crypto(reason: LibCrypto.lastError())
        }
        var der = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &der, &length, data, message.count) == 1 else {
            throw .crypto(reason: LibCrypto.lastError())
        }
        let n = curve.scalarLength
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, length)
        }
        guard let decoded else { throw .crypto(reason: LibCrypto.lastError()) }
        defer { ECDSA_SIG_free(decoded) }
        var out = [UInt8](repeating: 0, count: 2 * n)
        let ok = out.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(ECDSA_SIG_get0_r(decoded), buffer.baseAddress, Int32(n)) == Int32(n)
                && BN_bn2binpad(ECDSA_SIG_get0_s(decoded), buffer.baseAddress! + n, Int32(n)) == Int32(n)
        }
        guard ok else { throw .crypto(reason: "signature scalar longer than \(n) bytes") }
        return out
    }

    /// See ``sign(_:)-(UnsafeRawBufferPointer)``.
    public func sign(_ message: [UInt8]) throws(KeyError) -> [UInt8] {
        let result: Result<[UInt8], KeyError> = message.withUnsafeBytes { raw in
            do throws(KeyError) { return .success(try sign(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Never shows the secret.
    public var description: String { "ECPrivateKey(\(curve), mid \(Hex.encode(publicKey.mid)))" }
}
