import CLibCrypto

/// SHA-1 through OpenSSL's libcrypto. Used only for `mid` (SHA-1 of a public key bin), as py-ipv8 does.
enum SHA1Digest {
    /// The digest length in bytes.
    static let length = 20

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            _ = SHA1(data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, out.baseAddress)
            initialized = length
        }
    }

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }
}
