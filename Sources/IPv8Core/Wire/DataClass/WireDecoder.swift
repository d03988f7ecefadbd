/// Reads a ``DataClassPayload`` (any `Decodable` built of the types it lists) in py-ipv8's formats, field
/// by field in declaration order. Every failure is a ``WireError`` that names the field.
public enum WireDecoder {
    /// Reads a `T` from `unpacker`, leaving it after the last field.
    public static func decode<T: Decodable>(_ type: T.Type, from unpacker: inout Unpacker) throws(WireError) -> T {
        let reader = Reader(unpacker: unpacker)
        do {
            let value = try T(from: reader)
            unpacker = reader.unpacker
            return value
        } catch let error as WireError {
            throw error
        } catch {
            throw .invalidValue(field: "\(T.self)", offset: reader.unpacker.offset, reason: "\(error)")
        }
    }

    /// The `Decoder` the synthesized `init(from:)` reads through; one cursor for every container.
    final class Reader: Decoder {
        var unpacker: Unpacker
        var codingPath: [any CodingKey] = []
        /// Nested payloads being read; a declaration that nests itself cannot take the stack down.
        var depth = 0
        static let maxDepth = 32
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        init(unpacker: Unpacker) { self.unpacker = unpacker }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(reader: self))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw WireError.invalidValue(field: codingPath.last?.stringValue ?? "value", offset: unpacker.offset,
                                         reason: "a sequence type with no py-ipv8 wire format")
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(reader: self) }

        /// One field, in the format its type implies.
        func read<T: Decodable>(_ type: T.Type, field: String) throws -> T {
            if let kind = WireKind.of(T.self) {
                // The result is of exactly the kind's type: reinterpret it, no dynamic cast.
                func r<U>(_ value: U) -> T { unsafeBitCast(value, to: T.self) }
                switch kind {
                case .bool:
                    let at = unpacker.offset
                    switch try unpacker.u8(field: field) {
                    case 0: return r(false)
                    case 1: return r(true)
                    case let b: throw WireError.invalidValue(field: field, offset: at, reason: "\(b) is not a bool (0 or 1)")
                    }
                case .u8: return r(try unpacker.u8(field: field))
                case .u16: return r(try unpacker.u16(field: field))
                case .u32: return r(try unpacker.u32(field: field))
                case .u64: return r(try unpacker.u64(field: field))
                case .i8: return r(Int8(bitPattern: try unpacker.u8(field: field)))
                case .i16: return r(Int16(bitPattern: try unpacker.u16(field: field)))
                case .i32: return r(Int32(bitPattern: try unpacker.u32(field: field)))
                case .i64: return r(Int64(bitPattern: try unpacker.u64(field: field)))
                case .int: return r(Int(Int64(bitPattern: try unpacker.u64(field: field))))
                case .float: return r(Float(bitPattern: try unpacker.u32(field: field)))
                case .double: return r(Double(bitPattern: try unpacker.u64(field: field)))
                case .string:
                    let at = unpacker.offset
                    return r(try Unpacker.utf8(try varlenH(field), field: field, offset: at))
                case .bytes: return r(Array(try varlenH(field)))
                case .boolArray:
                    let at = unpacker.offset
                    return r(try array(field, size: 1).map { chunk -> Bool in
                        guard chunk[0] <= 1 else { throw WireError.invalidValue(field: field, offset: at, reason: "\(chunk[0]) is not a bool") }
                        return chunk[0] == 1
                    })
                case .int64Array: return r(try array(field, size: 8).map { Int64(bitPattern: Self.littleEndian($0)) })
                case .intArray: return r(try array(field, size: 8).map { Int(Int64(bitPattern: Self.littleEndian($0))) })
                case .doubleArray: return r(try array(field, size: 8).map { Double(bitPattern: Self.littleEndian($0)) })
                case .bytesList:
                    let n = try unpacker.u8(field: field)
                    return r(try (0..<n).map { _ in Array(try varlenH(field)) })
                }
            }
            if let wire = T.self as? any WireField.Type { return try wire.init(wire: &unpacker, field: field) as! T }
            if let payload = T.self as? any DataClassPayload.Type { return try nested(payload, field) as! T }
            if let list = T.self as? any NestedPayloadList.Type {
                let n = try unpacker.u8(field: field)
                return try list.make(count: Int(n)) { element in try nested(element, field) } as! T
            }
            throw WireError.invalidValue(field: field, offset: unpacker.offset, reason: "\(T.self) has no py-ipv8 wire format")
        }

        private func varlenH(_ field: String) throws(WireError) -> UnsafeRawBufferPointer {
            let length = try unpacker.u16(field: field)
            return try unpacker.take(Int(length), field: field)
        }

        /// py-ipv8's `arrayH-…`: count and items little-endian (see ``WireEncoder``).
        private func array(_ field: String, size: Int) throws(WireError) -> [UnsafeRawBufferPointer] {
            let n = Int(Self.littleEndian(try unpacker.take(2, field: field)))
            let all = try unpacker.take(n * size, field: field)
            return (0..<n).map { UnsafeRawBufferPointer(rebasing: all[($0 * size)..<($0 * size + size)]) }
        }

        static func littleEndian(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
            bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// A u16 length, then the nested payload, which must use exactly that many bytes.
        private func nested(_ type: any DataClassPayload.Type, _ field: String) throws -> any DataClassPayload {
            guard depth < Self.maxDepth else {
                throw WireError.invalidValue(field: field, offset: unpacker.offset, reason: "nested more than \(Self.maxDepth) deep")
            }
            let length = Int(try unpacker.u16(field: field))
            let start = unpacker.offset
            _ = try unpacker.take(length, field: field)
            let inner = Reader(unpacker: Unpacker(unpacker.buffer, offset: start, end: start + length))
            inner.depth = depth + 1
            let value = try type.init(from: inner)
            guard inner.unpacker.isAtEnd else {
                throw WireError.trailingBytes(offset: inner.unpacker.offset, count: inner.unpacker.remainingCount)
            }
            return value
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let reader: Reader
        var codingPath: [any CodingKey] { reader.codingPath }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try reader.read(type, field: key.stringValue) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try reader.container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try reader.unkeyedContainer() }
        func superDecoder() throws -> any Decoder { reader }
        func superDecoder(forKey key: Key) throws -> any Decoder { reader }
    }

    struct Single: SingleValueDecodingContainer {
        let reader: Reader
        var codingPath: [any CodingKey] { reader.codingPath }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.read(type, field: "value") }
    }
}

/// `[P]` of a ``DataClassPayload`` `P`: py-ipv8's `payload-list`.
protocol NestedPayloadList {
    static func make(count: Int, _ element: (any DataClassPayload.Type) throws -> any DataClassPayload) throws -> Self
}

extension Array: NestedPayloadList where Element: DataClassPayload {
    static func make(count: Int, _ element: (any DataClassPayload.Type) throws -> any DataClassPayload) throws -> Self {
        try (0..<count).map { _ in try element(Element.self) as! Element }
    }
}
