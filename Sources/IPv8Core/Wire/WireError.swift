/// Why a packet or a field could not be decoded (or, for ``badSignature``, trusted).
///
/// Every case says *what* was wrong and, where it applies, *where*: offsets are absolute byte offsets
/// into the datagram being decoded (so they line up with a hex dump of the packet). Decoding never traps
/// on any input; it throws one of these instead. The receive path should count and drop such packets, as
/// py-ipv8 does: nothing on the wire answers garbage.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `field` needed `needed` bytes at `offset`, but only `available` were left.
    case truncated(field: String, offset: Int, needed: Int, available: Int)
    /// An `ip_address` field had a type byte other than `0x01` (IPv4) or `0x03` (IPv6).
    case badAddressType(field: String, offset: Int, type: UInt8)
    /// The payload was decoded but `count` bytes were left over from `offset` on.
    case trailingBytes(offset: Int, count: Int)
    /// The packet's 22-byte prefix is not the one expected (hex strings).
    case wrongPrefix(expected: String, found: String)
    /// The message id byte (offset 22) is not the one the caller asked to decode.
    case wrongMessageID(expected: UInt8, found: UInt8)
    /// The public key bin at `offset` is a legacy EC key on a curve py-ipv8 does not use.
    case unsupportedKeyType(offset: Int, length: Int)
    /// The public key bin at `offset` has the right type but cannot be used.
    case badKey(offset: Int, reason: String)
    /// The signature does not verify against the packet's key.
    case badSignature
    /// A field's length is not a whole number of `unit`-byte items.
    case badLength(field: String, offset: Int, length: Int, unit: Int)
    /// A field decoded to a value the payload does not accept (for application payloads).
    case invalidValue(field: String, offset: Int, reason: String)
    /// The message id is not one the decoder knows for this community.
    case unknownMessage(id: UInt8, communityID: String)
    /// The message id is one of the deprecated Dispersy ids (py-ipv8 logs and drops these).
    case deprecatedMessage(id: UInt8, name: String)

    public var description: String {
        switch self {
        case let .truncated(field, offset, needed, available):
            return "truncated \(field) at offset \(offset): needed \(needed) byte(s), \(available) available"
        case let .badAddressType(field, offset, type):
            return "bad address type 0x\(hexString([type])) for \(field) at offset \(offset) (expected 0x01 or 0x03)"
        case let .trailingBytes(offset, count):
            return "\(count) trailing byte(s) at offset \(offset) after the last field"
        case let .wrongPrefix(expected, found):
            return "wrong prefix: expected \(expected), found \(found)"
        case let .wrongMessageID(expected, found):
            return "wrong message id: expected \(expected), found \(found)"
        case let .unsupportedKeyType(offset, length):
            return "unsupported key type: the \(length)-byte EC public key at offset \(offset) is on a curve py-ipv8 does not use"
        case let .badKey(offset, reason):
            return "bad public key at offset \(offset): \(reason)"
        case .badSignature:
            return "bad signature"
        case let .badLength(field, offset, length, unit):
            return "bad length for \(field) at offset \(offset): \(length) byte(s) is not a multiple of \(unit)"
        case let .invalidValue(field, offset, reason):
            return "invalid \(field) at offset \(offset): \(reason)"
        case let .unknownMessage(id, communityID):
            return "unknown message id \(id) for community \(communityID)"
        case let .deprecatedMessage(id, name):
            return "deprecated message id \(id) (\(name))"
        }
    }
}
