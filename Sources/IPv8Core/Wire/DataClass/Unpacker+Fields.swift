/// Reads whose errors name a field known only at run time (a ``DataClassPayload``'s property names).
extension Unpacker {
    /// `count` bytes for `field`.
    public mutating func take(_ count: Int, field: String) throws(WireError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remainingCount else {
            throw .truncated(field: field, offset: offset, needed: count, available: remainingCount)
        }
        return try bytes(count)
    }

    /// One byte for `field`; throws `WireError.truncated(field:offset:needed:available:)` when none is left.
    public mutating func u8(field: String) throws(WireError) -> UInt8 { try take(1, field: field)[0] }

    /// A big-endian u16 for `field`; throws `WireError.truncated(field:offset:needed:available:)` when fewer than
    /// 2 bytes are left.
    public mutating func u16(field: String) throws(WireError) -> UInt16 {
        let b = try take(2, field: field)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    /// A big-endian u32 for `field`; throws `WireError.truncated(field:offset:needed:available:)` when fewer than
    /// 4 bytes are left.
    public mutating func u32(field: String) throws(WireError) -> UInt32 {
        let b = try take(4, field: field)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A big-endian u64 for `field`; throws `WireError.truncated(field:offset:needed:available:)` when fewer than
    /// 8 bytes are left.
    public mutating func u64(field: String) throws(WireError) -> UInt64 {
        let b = try take(8, field: field)
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `bytes` as UTF-8 text, or ``WireError/invalidValue(field:offset:reason:)``.
    static func utf8(_ bytes: UnsafeRawBufferPointer, field: String, offset: Int) throws(WireError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(field: field, offset: offset, reason: "not valid UTF-8")
        }
        return text
    }
}

extension WireError {
    /// The same error, naming `field` instead (for reads done with a generic field name).
    func renamed(_ field: String) -> WireError {
        switch self {
        case let .truncated(_, offset, needed, available): return .truncated(field: field, offset: offset, needed: needed, available: available)
        case let .badAddressType(_, offset, type): return .badAddressType(field: field, offset: offset, type: type)
        case let .badLength(_, offset, length, unit): return .badLength(field: field, offset: offset, length: length, unit: unit)
        case let .invalidValue(_, offset, reason): return .invalidValue(field: field, offset: offset, reason: reason)
        default: return self
        }
    }
}
