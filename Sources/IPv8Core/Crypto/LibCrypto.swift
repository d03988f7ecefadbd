import CLibCrypto

/// Small helpers over libcrypto shared by the EC key types.
enum LibCrypto {
    /// The oldest queued libcrypto error as text ("unknown error" when none), and the queue cleared.
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }

    /// The DER that `encode` writes (an `i2d_…` function: it returns the length and advances the pointer).
    static func der(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = Int(encode(nil))
        guard length > 0 else { return nil }
        var written: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            written = encode(&cursor)
            initialized = written == length ? length : 0
        }
        return written == length ? bytes : nil
    }

    /// The key `decode` (a `d2i_…` function) reads from `bin`, which must consume every byte; the caller
    /// owns it. - Throws: ``KeyError/malformedDER(reason:)`` naming `what` when it does not.
    static func parse(_ bin: [UInt8], as what: String,
                      _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?) throws(KeyError) -> OpaquePointer {
        let parsed: OpaquePointer? = bin.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let key = decode(&cursor, buffer.count) else { return nil }
            guard cursor == base + buffer.count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let parsed else {
            ERR_clear_error()
            throw .malformedDER(reason: "not \(what) of exactly \(bin.count) byte(s)")
        }
        return parsed
    }

    /// The named curve of an EC `EVP_PKEY`, if it is one py-ipv8 uses.
    /// - Throws: ``KeyError/malformedDER(reason:)`` for a key that is not EC or has no named curve,
    ///   ``KeyError/unsupportedCurve(_:)`` for another named curve.
    static func curve(of pkey: OpaquePointer) throws(KeyError) -> ECCurve {
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC else { throw .malformedDER(reason: "not an EC key") }
        let name: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 80) { buffer in
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, buffer.baseAddress, buffer.count, &length) == 1 else { return nil }
            return String(cString: buffer.baseAddress!)
        }
        guard let name else {
            ERR_clear_error()
            throw .malformedDER(reason: "the curve is not named (explicit parameters)")
        }
        guard let curve = ECCurve(rawValue: name) else { throw .unsupportedCurve(name) }
        return curve
    }
}
