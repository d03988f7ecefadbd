import CSodium

/// How the signature of a packet is checked, chosen by the key bin it carries (spec §6.6 steps 1-2).
///
/// Extension point: legacy M2Crypto EC keys (DER, detected as "does not start with `LibNaCLPK:`") would
/// be a second case here, with S = 2 × ceil(degree / 8) (42 for sect163k1) and ECDSA-SHA1 verification
/// through libcrypto (`CLibCrypto`). Until then such keys are reported as
/// ``WireError/unsupportedKeyType(offset:length:)``.
enum SignatureScheme: Sendable {
    /// py-ipv8's "curve25519" key: Ed25519 with the verify key at bytes [42, 74) of the key bin.
    case ed25519

    /// Chooses the scheme for the key bin found at absolute `offset` in the packet.
    static func detect(keyBin: UnsafeRawBufferPointer, offset: Int) throws(WireError) -> SignatureScheme {
        guard PublicKey.hasPrefix(keyBin) else {
            throw .unsupportedKeyType(offset: offset, length: keyBin.count)
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
        }
    }

    /// Verifies `signature` over `message` with the key in `keyBin`, reading the key in place.
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
        }
    }
}
