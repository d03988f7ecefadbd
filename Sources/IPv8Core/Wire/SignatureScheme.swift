import CSodium

/// How the signature of a packet is checked, chosen by the key bin it carries (spec §6.6 steps 1-2).
enum SignatureScheme: Sendable {
    /// py-ipv8's "curve25519" key: Ed25519 with the verify key at bytes [42, 74) of the key bin.
    case ed25519
    /// A legacy EC key (DER, on a binary curve): ECDSA-SHA-1, `r ‖ s` of 2 × ceil(degree / 8) bytes.
    case ec(ECPublicKey)

    /// Chooses the scheme for the key bin found at absolute `offset` in the packet. A curve25519 key is
    /// only length-checked here (the fast path); an EC key is parsed, since its curve gives the signature
    /// length.
    /// - Throws: ``WireError/badKey(offset:reason:)`` for a short LibNaCL key or bad DER,
    ///   ``WireError/unsupportedKeyType(offset:length:)`` for an EC key on a curve py-ipv8 does not use.
    static func detect(keyBin: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> SignatureScheme {
        guard PublicKey.hasPrefix(keyBin) else {
            do {
                return .ec(try ECPublicKeyCache.key(for: keyBin))
            } catch .unsupportedCurve {
                throw .unsupportedKeyType(offset: offset, length: keyBin.count)
            } catch {
                throw .badKey(offset: offset, reason: error.description)
            }
        }
        guard keyBin.count >= PublicKey.binLength else {
            throw .badKey(offset: offset, reason: "LibNaCLPK key of \(keyBin.count) bytes, at least \(PublicKey.binLength) needed")
        }
        return .ed25519
    }

    /// S, the signature length in bytes.
    var signatureLength: Int {
        switch self {
        case .ed25519: return PublicKey.signatureLength
        case .ec(let key): return key.signatureLength
        }
    }

    /// Verifies `signature` over `message` with the key in `keyBin`, reading a curve25519 key in place.
    func verify(keyBin: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer,
                message: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .ed25519:
            guard keyBin.count >= PublicKey.binLength, signature.count == PublicKey.signatureLength,
                  let key = keyBin.baseAddress, let sig = signature.baseAddress else { return false }
            Sodium.ensureInitialized()
            return crypto_sign_verify_detached(
                sig.assumingMemoryBound(to: UInt8.self),
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                (key + 42).assumingMemoryBound(to: UInt8.self)) == 0
        case .ec(let key):
            return key.verify(signature: signature, message: message)
        }
    }
}
