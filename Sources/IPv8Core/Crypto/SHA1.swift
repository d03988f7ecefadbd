import CLibCrypto

/// SHA-1 through OpenSSL's libcrypto. Used only for `mid` (SHA-1 of a public key bin), as py-ipv8 does.
enum SHA1Digest {
    /// The digest length in bytes.
    static let length = 20

    /// The algorithm, fetched once: OpenSSL 3's one-shot `SHA1()` fetches it on every call, which cost 40 % of
    /// a key's mid (20k of 50k instructions, counted by `make bench-check`). An `EVP_MD` is immutable and may be
    /// shared between threads.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil)

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            let bytes = data.baseAddress ?? UnsafeRawPointer(out.baseAddress!)   // any pointer for 0 bytes
            if let algorithm = Self.algorithm, EVP_Digest(bytes, data.count, out.baseAddress, nil, algorithm, nil) == 1 {
                initialized = length
                return
            }
            _ = SHA1(bytes.assumingMemoryBound(to: UInt8.self), data.count, out.baseAddress)
            initialized = length
        }
    }

    /// SHA-1 of `data`, 20 bytes.
    static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }
}
