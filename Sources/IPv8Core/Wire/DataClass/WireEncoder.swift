/// Writes a ``DataClassPayload`` (any `Encodable` built of the types it lists) in py-ipv8's formats, field
/// by field in declaration order. Keys are not written: the wire format is positional.
public enum WireEncoder {
    /// Appends `value`'s fields to `packer`.
    /// - Throws: `EncodingError.invalidValue` for a field type with no wire format.
    public static func encode<T: Encodable>(_ value: T, into packer: inout Packer) throws {
        let encoder = Writer(packer: packer)
        try value.encode(to: encoder)
        packer = encoder.packer
    }

    /// The `Encoder` the synthesized `encode(to:)` writes through; one buffer for every container.
    final class Writer: Encoder {
        var packer: Packer
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        init(packer: Packer) { self.packer = packer }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(writer: self))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(writer: self) }
        func singleValueContainer() -> any SingleValueEncodingContainer { Single(writer: self) }

        /// One field, in the format its type implies.
        func write<T: Encodable>(_ value: T, field: String) throws {
            switch value {
            case let v as any WireField: v.writeWire(into: &packer)
            case let v as Bool: packer.u8(v ? 1 : 0)
            case let v as UInt8: packer.u8(v)
            case let v as UInt16: packer.u16(v)
            case let v as UInt32: packer.u32(v)
            case let v as UInt64: packer.u64(v)
            case let v as Int8: packer.u8(UInt8(bitPattern: v))
            case let v as Int16: packer.u16(UInt16(bitPattern: v))
            case let v as Int32: packer.u32(UInt32(bitPattern: v))
            case let v as Int64: packer.i64(v)
            case let v as Int: packer.i64(Int64(v))
            case let v as Float: packer.u32(v.bitPattern)
            case let v as Double: packer.u64(v.bitPattern)
            case let v as String: try varlenH(Array(v.utf8), field)
            case let v as [UInt8]: try varlenH(v, field)
            case let v as [Bool]:
                try arrayCount(v.count, field)
                for b in v { packer.u8(b ? 1 : 0) }
            case let v as [Int64]:
                try arrayCount(v.count, field)
                for x in v { packer.raw(withUnsafeBytes(of: x.littleEndian) { Array($0) }) }
            case let v as [Int]:
                try arrayCount(v.count, field)
                for x in v { packer.raw(withUnsafeBytes(of: Int64(x).littleEndian) { Array($0) }) }
            case let v as [Double]:
                try arrayCount(v.count, field)
                for x in v { packer.raw(withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) }) }
            case let v as [[UInt8]]:
                try listCount(v.count, field)
                for item in v { try varlenH(item, field) }
            case let v as any DataClassPayload:
                try nested(v, field)
            case let v as [any DataClassPayload]:
                try listCount(v.count, field)
                for item in v { try nested(item, field) }
            default:
                throw EncodingError.invalidValue(value, .init(codingPath: codingPath,
                    debugDescription: "field \(field): \(T.self) has no py-ipv8 wire format"))
            }
        }

        private func varlenH(_ bytes: [UInt8], _ field: String) throws {
            guard bytes.count <= Int(UInt16.max) else { throw tooLong(field, bytes.count, Int(UInt16.max)) }
            packer.varlenH(bytes)
        }

        /// py-ipv8's `arrayH-…`: a u16 count, then the items, all in the machine's byte order (little-endian
        /// on every platform py-ipv8 and we run on): py-ipv8 packs the count with `struct.pack("H")`, which
        /// has no `>`, and the items with `array.tobytes()`.
        private func arrayCount(_ n: Int, _ field: String) throws {
            guard n <= Int(UInt16.max) else { throw tooLong(field, n, Int(UInt16.max)) }
            packer.u8(UInt8(n & 0xFF))
            packer.u8(UInt8(n >> 8))
        }

        /// py-ipv8's `ListOf`: a u8 count.
        private func listCount(_ n: Int, _ field: String) throws {
            guard n <= Int(UInt8.max) else { throw tooLong(field, n, Int(UInt8.max)) }
            packer.u8(UInt8(n))
        }

        /// py-ipv8's `payload`: a u16 length, then the nested payload's fields.
        private func nested(_ value: any DataClassPayload, _ field: String) throws {
            let inner = Writer(packer: Packer())
            try value.encode(to: inner)
            try varlenH(inner.packer.bytes, field)
        }

        private func tooLong(_ field: String, _ n: Int, _ most: Int) -> EncodingError {
            .invalidValue(n, .init(codingPath: codingPath, debugDescription: "field \(field): \(n) items or bytes, at most \(most) fit"))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        var codingPath: [any CodingKey] { writer.codingPath }
        mutating func encodeNil(forKey key: Key) throws {
            throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: codingPath + [key],
                debugDescription: "field \(key.stringValue): optionals have no py-ipv8 wire format"))
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try writer.write(value, field: key.stringValue) }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try writer.write(value, field: key.stringValue)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            writer.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { writer.unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { writer }
        mutating func superEncoder(forKey key: Key) -> any Encoder { writer }
    }

    /// Only reached by types that encode themselves as sequences; their items are written in turn.
    struct Unkeyed: UnkeyedEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { writer.codingPath }
        var count = 0
        mutating func encodeNil() throws {
            throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: codingPath, debugDescription: "nil has no wire format"))
        }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try writer.write(value, field: "[\(count)]")
            count += 1
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            writer.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { writer }
    }

    struct Single: SingleValueEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { writer.codingPath }
        mutating func encodeNil() throws {
            throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: codingPath, debugDescription: "nil has no wire format"))
        }
        mutating func encode<T: Encodable>(_ value: T) throws { try writer.write(value, field: "value") }
    }
}
