/// Reading JSON text into a ``JSONValue`` (through `JSONDecoder`). Object members come out sorted by key,
/// because the decoder does not keep the text's order.
extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                Member($0.stringValue, try container.decode(JSONValue.self, forKey: $0))
            })
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !container.isAtEnd { items.append(try container.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let b = try? single.decode(Bool.self) { self = .bool(b) }
        else if let n = try? single.decode(Int64.self) { self = .integer(n) }
        else if let d = try? single.decode(Double.self) { self = .double(d) }
        else { self = .string(try single.decode(String.self)) }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }
}

extension JSONValue {
    /// JSON has one number type: `.number(3)`, `.integer(3)` and `.double(3.0)` are equal (a decoder may read
    /// `3.0` as an integer). Everything else compares structurally; object members compare in order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bigInteger(let x), .bigInteger(let y)): return x == y
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return false }
            if let i = a.integerValue, let j = b.integerValue { return i == j }
            return x == y
        }
    }
}
