/// A minimal JSON value with ordered object keys, so output is deterministic. Used by
/// ``PacketDescription`` (the `ipv8-node decode` output) and by ``Configuration``; not on any hot path.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A non-negative integer (packet fields, counts).
    case number(UInt64)
    /// A signed integer (configuration values such as `peers: -1`).
    case integer(Int64)
    /// A number with a fraction or exponent.
    case double(Double)
    /// An integer too wide for 64 bits, as its decimal digits (an optional leading `-`), written as they
    /// are: py-ipv8's REST API prints 160-bit DHT distances as plain JSON integers. Never produced by
    /// decoding (a decoder reads such a number as a `.double`).
    case bigInteger(String)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// Members in the order they were added (and are printed).
    case object([Member])

    /// One object member.
    public struct Member: Sendable, Equatable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSONValue
        /// A member named `key` with `value`.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of member `key` of an object; `nil` for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, for `.string`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, for `.number`.
    public var numberValue: UInt64? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The value as a signed integer, for `.integer`, a `.number` or `.bigInteger` that fits, and a
    /// `.double` with no fraction.
    public var integerValue: Int64? {
        switch self {
        case .integer(let n): return n
        case .number(let n): return Int64(exactly: n)
        case .double(let d): return Int64(exactly: d)
        case .bigInteger(let digits): return Int64(digits)
        default: return nil
        }
    }

    /// The value as a floating-point number, for any of the number cases (a `.bigInteger` rounded).
    public var doubleValue: Double? {
        switch self {
        case .integer(let n): return Double(n)
        case .number(let n): return Double(n)
        case .double(let d): return d
        case .bigInteger(let digits): return Double(digits)
        default: return nil
        }
    }

    /// The boolean, for `.bool`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// JSON text. With `indent` (spaces per level), one member per line; with `nil`, compact.
    public func serialized(indent: Int? = 2) -> String {
        var out = ""
        write(into: &out, indent: indent, level: 0)
        return out
    }

    public var description: String { serialized(indent: nil) }

    private func write(into out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += String(n)
        case .integer(let n): out += String(n)
        case .double(let d): out += d.isFinite ? "\(d)" : "null"
        case .bigInteger(let digits): out += digits
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, into: &out, indent: indent, level: level) { i, out in
                items[i].write(into: &out, indent: indent, level: level + 1)
            }
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, into: &out, indent: indent, level: level) { i, out in
                JSONValue.writeString(members[i].key, into: &out)
                out += indent == nil ? ":" : ": "
                members[i].value.write(into: &out, indent: indent, level: level + 1)
            }
        }
    }

    private func writeContainer(open: String, close: String, count: Int, into out: inout String, indent: Int?,
                                level: Int, item: (Int, inout String) -> Void) {
        out += open
        guard count > 0 else { out += close; return }
        for i in 0..<count {
            if i > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
            item(i, &out)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
        out += close
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = hexString([UInt8(scalar.value)])
                    out += "\\u00" + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
