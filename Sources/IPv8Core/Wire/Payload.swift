/// A value with a py-ipv8 wire encoding: a `Serializable` in py-ipv8 terms.
///
/// Conformers write their fields in order with a ``Packer`` and read them back in the same order with an
/// ``Unpacker``. The contract:
/// * `encode(into:)` appends exactly the bytes py-ipv8's `format_list` would produce, and nothing else.
/// * `init(from:)` reads the same fields and may stop before the end of the data; the framing layer checks
///   that nothing is left over (py-ipv8's `consume_all`). A trailing `raw` field takes the remainder with
///   ``Unpacker/remaining()``.
/// * `init(from:)` must never trap. It reports problems by throwing ``WireError`` (use
///   ``WireError/invalidValue(field:offset:reason:)`` for values the type refuses).
public protocol WireCodable {
    /// Appends this value's fields to `packer`.
    func encode(into packer: inout Packer)
    /// Reads this value's fields from `unpacker`, leaving it after the last field read.
    init(from unpacker: inout Unpacker) throws(WireError)
}

/// A community message payload: a ``WireCodable`` with its message id (byte 22 of the packet).
///
/// Implement this for your own community messages and send them with ``PacketEncoder``; decode them from
/// a received datagram with ``SignedPacketView`` or ``UnsignedPacketView``. Application ids are 0…230;
/// 231…255 are taken by the core protocol or reserved (see ``MessageID``).
///
/// ```swift
/// struct Hello: Payload {
///     static let messageID: UInt8 = 1
///     var text: [UInt8]
///     func encode(into packer: inout Packer) { packer.varlenH(text) }
///     init(text: [UInt8]) { self.text = text }
///     init(from unpacker: inout Unpacker) throws(WireError) { text = Array(try unpacker.varlenH("text")) }
/// }
/// ```
public protocol Payload: WireCodable {
    /// The message id this payload is sent under.
    static var messageID: UInt8 { get }
}

extension WireCodable {
    /// This value encoded on its own (mostly for tests and debugging).
    public var encodedBytes: [UInt8] {
        var p = Packer(capacity: 64)
        encode(into: &p)
        return p.bytes
    }
}
