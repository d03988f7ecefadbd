import CLibCrypto

/// SHA-1, for `mid` (SHA-1 of a public key bin), as py-ipv8 does, and for DHT ids: OpenSSL's SHA-1 code called
/// directly (`ipv8_sha1` in CLibCrypto's shim), so that a node with curve25519 keys never loads OpenSSL's
/// provider and configuration (about 2.4 MB resident) for it.
enum SHA1Digest {
    /// The digest length in bytes.
    static let length = 20

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { digest, initialized in
            ipv8_sha1(data.baseAddress, data.count, digest.baseAddress)
            initialized = length
        }
    }

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }
}
