/// A payload declared by its fields alone, like py-ipv8's `@dataclass class Chat(DataClassPayload[1])`:
/// encoding and decoding both follow from the declaration, in field order, so they cannot disagree.
///
/// ```swift
/// struct Chat: DataClassPayload {
///     static let messageID: UInt8 = 1
///     var clock: Int64        // "q"
///     var text: String        // "varlenHutf8"
/// }
/// ```
///
/// Each stored property's Swift type picks py-ipv8's default format for it (`WireFormat` lists them):
/// `Bool` `?`, `UInt8` `B`, `UInt16` `H`, `UInt32` `I`, `UInt64` `Q`, `Int8` `b`, `Int16` `h`, `Int32` `i`,
/// `Int64`/`Int` `q`, `Float` `f`, `Double` `d`, `[UInt8]` `varlenH`, `String` `varlenHutf8`, ``Address``
/// `ipv4`, another `DataClassPayload` nested (`payload`), `[P]` of one `payload-list`, `[Bool]`/`[Int64]`/
/// `[Double]` `arrayH-?`/`arrayH-q`/`arrayH-d`, `[[UInt8]]` `varlenH-list`. A property wrapper picks
/// another: ``VarLenI``, ``VarLenIUTF8``, ``VarLenBx2``, ``VarLenHx20``, ``FixedBytes``, ``Raw``, ``IPAddress``.
///
/// The mechanism is `Codable` with the engine's own binary coder (``WireEncoder``, ``WireDecoder``): no
/// macro, so no swift-syntax in the build. Decoding never traps: a truncated or malformed field throws
/// ``WireError`` naming the field. A declaration with a type the coder does not know (an `Optional`, a
/// dictionary) is a programming error reported by a precondition on first encode.
public protocol DataClassPayload: Payload, Codable {}

extension DataClassPayload {
    public func encode(into packer: inout Packer) {
        do {
            try WireEncoder.encode(self, into: &packer)
        } catch {
            preconditionFailure("\(Self.self) cannot be a DataClassPayload: \(error)")
        }
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        self = try WireDecoder.decode(Self.self, from: &unpacker)
    }
}
