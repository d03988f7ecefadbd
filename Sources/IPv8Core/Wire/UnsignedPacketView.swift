/// A parsed view of a received unsigned packet (core-unsigned or ez-unsigned), over a borrowed buffer.
public struct UnsignedPacketView {
    /// The whole datagram.
    public let buffer: UnsafeRawBufferPointer
    /// Byte 22.
    public let messageID: UInt8

    /// Offset of the body (right after the message id).
    public static let bodyOffset = 23

    /// Checks that the 23-byte header is there.
    public init(_ buffer: UnsafeRawBufferPointer) throws(WireError) {
        guard buffer.count >= Self.bodyOffset else {
            throw .truncated(field: "header", offset: 0, needed: Self.bodyOffset, available: buffer.count)
        }
        self.buffer = buffer
        messageID = buffer[22]
    }

    /// The 22-byte prefix.
    public var prefix: CommunityPrefix { CommunityPrefix(reading: buffer)! }

    /// Decodes a core-style body: u64 global time, then `P`, consuming every byte.
    public func decodeCore<P: WireCodable>(_ type: P.Type = P.self) throws(WireError) -> (globalTime: UInt64, payload: P) {
        var u = Unpacker(buffer, offset: Self.bodyOffset)
        let gt = try u.u64("global time")
        let payload = try P(from: &u)
        try u.finish()
        return (gt, payload)
    }

    /// Decodes an ez-style body: `P` alone, consuming every byte.
    public func decodeEz<P: WireCodable>(_ type: P.Type = P.self) throws(WireError) -> P {
        var u = Unpacker(buffer, offset: Self.bodyOffset)
        let payload = try P(from: &u)
        try u.finish()
        return payload
    }

    /// Checks the message id and decodes a core-style `P`.
    public static func open<P: Payload>(_ buffer: UnsafeRawBufferPointer, as type: P.Type = P.self)
        throws(WireError) -> (globalTime: UInt64, payload: P) {
        let view = try UnsignedPacketView(buffer)
        guard view.messageID == P.messageID else { throw .wrongMessageID(expected: P.messageID, found: view.messageID) }
        return try view.decodeCore(P.self)
    }
}
