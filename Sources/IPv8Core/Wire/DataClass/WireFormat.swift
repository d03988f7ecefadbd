/// A field that chooses its own wire format (py-ipv8's format names), for the types ``WireEncoder`` and
/// ``WireDecoder`` meet: the property wrappers below, and ``Address``.
public protocol WireField {
    /// Appends the field.
    func writeWire(into packer: inout Packer)
    /// Reads the field; `field` names it in errors.
    init(wire unpacker: inout Unpacker, field: String) throws(WireError)
}

/// `varlenI`: bytes with a big-endian u32 length.
@propertyWrapper
public struct VarLenI: Codable, Hashable, Sendable, WireField {
    /// The bytes, without their length prefix.
    public var wrappedValue: [UInt8]
    /// Wraps `wrappedValue`; it is written with a u32 length in front.
    public init(wrappedValue: [UInt8]) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) {
        packer.u32(UInt32(wrappedValue.count))
        packer.raw(wrappedValue)
    }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        let length = try u.u32(field: field)
        wrappedValue = Array(try u.take(Int(length), field: field))
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode([UInt8].self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `varlenIutf8`: a UTF-8 string with a big-endian u32 length.
@propertyWrapper
public struct VarLenIUTF8: Codable, Hashable, Sendable, WireField {
    /// The text, without its length prefix.
    public var wrappedValue: String
    /// Wraps `wrappedValue`; it is written as UTF-8 with a u32 byte length in front.
    public init(wrappedValue: String) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) {
        let bytes = Array(wrappedValue.utf8)
        packer.u32(UInt32(bytes.count))
        packer.raw(bytes)
    }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        let start = u.offset
        let length = try u.u32(field: field)
        wrappedValue = try Unpacker.utf8(try u.take(Int(length), field: field), field: field, offset: start)
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `varlenBx2`: bytes in 2-byte units, with a u8 count of units (at most 510 bytes).
@propertyWrapper
public struct VarLenBx2: Codable, Hashable, Sendable, WireField {
    /// The bytes, without their unit count; an even number, at most 510.
    public var wrappedValue: [UInt8]
    /// Wraps `wrappedValue`; writing traps unless it holds whole 2-byte units, at most 510 bytes.
    public init(wrappedValue: [UInt8]) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) {
        precondition(wrappedValue.count % 2 == 0 && wrappedValue.count <= 510, "varlenBx2 holds whole 2-byte units, at most 255")
        packer.u8(UInt8(wrappedValue.count / 2))
        packer.raw(wrappedValue)
    }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        let units = try u.u8(field: field)
        wrappedValue = Array(try u.take(Int(units) * 2, field: field))
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode([UInt8].self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `varlenHx20`: bytes in 20-byte units (mids), with a big-endian u16 count of units.
@propertyWrapper
public struct VarLenHx20: Codable, Hashable, Sendable, WireField {
    /// The bytes, without their unit count; a multiple of 20.
    public var wrappedValue: [UInt8]
    /// Wraps `wrappedValue`; writing traps unless it holds whole 20-byte units.
    public init(wrappedValue: [UInt8]) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) {
        precondition(wrappedValue.count % 20 == 0, "varlenHx20 holds whole 20-byte units")
        packer.u16(UInt16(wrappedValue.count / 20))
        packer.raw(wrappedValue)
    }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        let units = try u.u16(field: field)
        wrappedValue = Array(try u.take(Int(units) * 20, field: field))
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode([UInt8].self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `Ns` (`20s`, `32s`, `64s`, `74s`, …): exactly `count` bytes. Like py-ipv8's `struct.pack`, a shorter
/// value is padded with zeros and a longer one cut.
@propertyWrapper
public struct FixedBytes<let count: Int>: Codable, Hashable, Sendable, WireField {
    /// The bytes; written padded with zeros or cut to `count`, read as exactly `count`.
    public var wrappedValue: [UInt8]
    /// Wraps `wrappedValue`, of any length (it is padded or cut when written).
    public init(wrappedValue: [UInt8]) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) {
        packer.raw(wrappedValue.prefix(count))
        if wrappedValue.count < count { packer.raw([UInt8](repeating: 0, count: count - wrappedValue.count)) }
    }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        wrappedValue = Array(try u.take(count, field: field))
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode([UInt8].self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `raw`: every byte left. Only as the last field.
@propertyWrapper
public struct Raw: Codable, Hashable, Sendable, WireField {
    /// The bytes, written as they are; reading takes every byte left.
    public var wrappedValue: [UInt8]
    /// Wraps `wrappedValue`, to be the payload's last field.
    public init(wrappedValue: [UInt8]) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) { packer.raw(wrappedValue) }
    public init(wire u: inout Unpacker, field: String) throws(WireError) { wrappedValue = u.remainingArray() }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode([UInt8].self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// `ip_address`: a typed IPv4 or IPv6 address (the new-style messages' format).
@propertyWrapper
public struct IPAddress: Codable, Hashable, Sendable, WireField {
    /// The address, IPv4 or IPv6.
    public var wrappedValue: Address
    /// Wraps `wrappedValue`; it is written in the typed `ip_address` format.
    public init(wrappedValue: Address) { self.wrappedValue = wrappedValue }
    public func writeWire(into packer: inout Packer) { packer.ipAddress(wrappedValue) }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        do { wrappedValue = try u.ipAddress() } catch { throw error.renamed(field) }
    }
    public init(from decoder: any Decoder) throws { wrappedValue = try decoder.singleValueContainer().decode(Address.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// ``Address`` on its own is `ipv4` (6 bytes); in other coders (JSON) it is its `"ip:port"` text.
extension Address: Codable, WireField {
    public func writeWire(into packer: inout Packer) { packer.ipv4(self) }
    public init(wire u: inout Unpacker, field: String) throws(WireError) {
        do { self = try u.ipv4() } catch { throw error.renamed(field) }
    }
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = Address(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not IP:PORT"))
        }
        self = address
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
