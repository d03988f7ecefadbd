/// The field types the wire coder knows by identity, so that it dispatches with one dictionary lookup
/// instead of a chain of dynamic casts (which cost more than the encoding itself).
enum WireKind {
    case bool, u8, u16, u32, u64, i8, i16, i32, i64, int, float, double, string, bytes
    case boolArray, int64Array, intArray, doubleArray, bytesList

    static let byType: [ObjectIdentifier: WireKind] = [
        ObjectIdentifier(Bool.self): .bool, ObjectIdentifier(UInt8.self): .u8, ObjectIdentifier(UInt16.self): .u16,
        ObjectIdentifier(UInt32.self): .u32, ObjectIdentifier(UInt64.self): .u64, ObjectIdentifier(Int8.self): .i8,
        ObjectIdentifier(Int16.self): .i16, ObjectIdentifier(Int32.self): .i32, ObjectIdentifier(Int64.self): .i64,
        ObjectIdentifier(Int.self): .int, ObjectIdentifier(Float.self): .float, ObjectIdentifier(Double.self): .double,
        ObjectIdentifier(String.self): .string, ObjectIdentifier([UInt8].self): .bytes,
        ObjectIdentifier([Bool].self): .boolArray, ObjectIdentifier([Int64].self): .int64Array,
        ObjectIdentifier([Int].self): .intArray, ObjectIdentifier([Double].self): .doubleArray,
        ObjectIdentifier([[UInt8]].self): .bytesList,
    ]

    static func of<T>(_ type: T.Type) -> WireKind? { byType[ObjectIdentifier(type)] }
}
