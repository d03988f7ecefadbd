/// Writes a ``DataClassPayload`` (any `Encodable` built of the types it lists) in py-ipv8's formats, field
/// by field in declaration order. Keys are not written: the wire format is positional.
public enum WireEncoder {
    /// Appends `value`'s fields to `packer`.
    /// - Throws: `EncodingError.invalidValue` for a field type with no wire format.
    public static func encode<T: Encodable>(_ value: T, into packer: inout Packer) throws {
        // Move the buffer into the writer and back, so that appending never copies it.
        let writer = Writer(packer: Packer(capacity: 0))
        swap(&packer, &writer.packer)
        defer { swap(&packer, &writer.packer) }
        try value.encode(to: writer)
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
            if let kind = WireKind.of(T.self) {
                // `value` is of exactly the kind's type: reinterpret it, no dynamic cast.
                func v<U>(_: U.Type) -> U { unsafeBitCast(value, to: U.self) }
                switch kind {
                case .bool: packer.u8(v(Bool.self) ? 1 : 0)
                case .u8: packer.u8(v(UInt8.self))
                case .u16: packer.u16(v(UInt16.self))
                case .u32: packer.u32(v(UInt32.self))
                case .u64: packer.u64(v(UInt64.self))
                case .i8: packer.u8(UInt8(bitPattern: v(Int8.self)))
                case .i16: packer.u16(UInt16(bitPattern: v(Int16.self)))
                case .i32: packer.u32(UInt32(bitPattern: v(Int32.self)))
                case .i64: packer.i64(v(Int64.self))
                case .int: packer.i64(Int64(v(Int.self)))
                case .float: packer.u32(v(Float.self).bitPattern)
                case .double: packer.u64(v(Double.self).bitPattern)
                case .string: try varlenH(Array(v(String.self).utf8), field)
                case .bytes: try varlenH(v([UInt8].self), field)
                case .boolArray:
                    let a = v([Bool].self)
                    try arrayCount(a.count, field)
                    for b in a { packer.u8(b ? 1 : 0) }
                case .int64Array:
                    let a = v([Int64].self)
                    try arrayCount(a.count, field)
                    for x in a { packer.raw(withUnsafeBytes(of: x.littleEndian) { Array($0) }) }
                case .intArray:
                    let a = v([Int].self)
                    try arrayCount(a.count, field)
                    for x in a { packer.raw(withUnsafeBytes(of: Int64(x).littleEndian) { Array($0) }) }
                case .doubleArray:
                    let a = v([Double].self)
                    try arrayCount(a.count, field)
                    for x in a { packer.raw(withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) }) }
                case .bytesList:
                    let a = v([[UInt8]].self)
                    try listCount(a.count, field)
                    for item in a { try varlenH(item, field) }
                }
                return
            }
            switch value {
            case let v as any WireField: v.writeWire(into: &packer)
            case let v as any DataClassPayload:
                try nested(v, field)
            case let v as [any DataClassPayload] where T.self is any NestedPayloadList.Type:
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
