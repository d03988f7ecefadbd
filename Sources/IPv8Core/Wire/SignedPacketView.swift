/// A parsed view of a received signed packet (core-signed or ez-signed), over a borrowed buffer.
///
/// Parsing (``init(_:)``) only reads the header, the key length and the key type, and locates the
/// signature: it allocates nothing and verifies nothing. Then, typically:
/// 1. ``decodeCore(_:)`` / ``decodeEz(_:)`` materialise the payload (cheap; rejects malformed packets
///    before any signature work),
/// 2. ``verify()`` checks the signature **once** (the expensive step, ~36 µs),
/// 3. ``publicKey()`` gives the sender's key (inline, no heap) to find or create the peer.
///
/// ``open(_:as:)`` does all three in that order. The view and everything it returns that is a buffer
/// pointer are valid only while `buffer` is.
public struct SignedPacketView {
    /// The whole datagram.
    public let buffer: UnsafeRawBufferPointer
    /// Byte 22.
    public let messageID: UInt8
    /// The public key bin as sent (offset 25, `L` bytes).
    public let keyBin: UnsafeRawBufferPointer
    /// Offset of the first byte after the key: the global time (core style) or the payload (ez style).
    public let bodyOffset: Int
    /// Offset of the signature, `buffer.count - S`.
    public let signatureOffset: Int
    let scheme: SignatureScheme

    /// The absolute offset of the key bin.
    public static let keyOffset = 25

    /// Parses the framing of a signed packet: 23-byte header, u16 key length at 23, the key, and a
    /// signature of the key type's length at the end. Throws for short packets, for bad keys of either
    /// kind and for EC keys on curves py-ipv8 does not use.
    public init(_ buffer: UnsafeRawBufferPointer) throws(WireError) {
        var u = Unpacker(buffer)
        _ = try u.bytes(CommunityPrefix.length, "prefix")
        messageID = try u.u8("message id")
        let key = try u.varlenH("public key")
        scheme = try SignatureScheme.detect(keyBin: key, offset: Self.keyOffset)
        let s = scheme.signatureLength
        guard u.remainingCount >= s else {
            throw .truncated(field: "signature", offset: u.offset, needed: s, available: u.remainingCount)
        }
        self.buffer = buffer
        keyBin = key
        bodyOffset = u.offset
        signatureOffset = buffer.count - s
    }

    /// The 22-byte prefix.
    public var prefix: CommunityPrefix { CommunityPrefix(reading: buffer)! }

    /// The bytes the signature covers: everything before it.
    public var signedBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<signatureOffset]) }

    /// The signature bytes (the last S bytes).
    public var signature: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[signatureOffset...]) }

    /// The sender's key. Cannot fail for a parsed view today (the parse already checked the key);
    /// `throws` leaves room for key types whose parse is costlier.
    public func publicKey() throws(WireError) -> PublicKey {
        if case .ec(let key) = scheme { return PublicKey(ec: key) }
        do {
            return try PublicKey(bin: keyBin)
        } catch {
            throw .badKey(offset: Self.keyOffset, reason: error.description)
        }
    }

    /// True when the signature is valid for the packet's key over all preceding bytes. Costs one
    /// signature verification: call it once per packet.
    public func verify() -> Bool {
        scheme.verify(keyBin: keyBin, signature: signature, message: signedBytes)
    }

    /// A reader over the body: from after the key to before the signature.
    public func bodyUnpacker() -> Unpacker {
        Unpacker(buffer, offset: bodyOffset, end: signatureOffset)
    }

    /// Decodes a core-style body: u64 global time, then `P`, consuming every byte before the signature.
    public func decodeCore<P: WireCodable>(_ type: P.Type = P.self) throws(WireError) -> (globalTime: UInt64, payload: P) {
        var u = bodyUnpacker()
        let gt = try u.u64("global time")
        let payload = try P(from: &u)
        try u.finish()
        return (gt, payload)
    }

    /// Decodes an ez-style body: `P` alone, consuming every byte before the signature.
    public func decodeEz<P: WireCodable>(_ type: P.Type = P.self) throws(WireError) -> P {
        var u = bodyUnpacker()
        let payload = try P(from: &u)
        try u.finish()
        return payload
    }

    /// Parses, checks the message id, decodes a core-style `P`, then verifies (once); throws
    /// ``WireError/badSignature`` when verification fails.
    public static func open<P: Payload>(_ buffer: UnsafeRawBufferPointer, as type: P.Type = P.self)
        throws(WireError) -> (publicKey: PublicKey, globalTime: UInt64, payload: P) {
        let view = try SignedPacketView(buffer)
        guard view.messageID == P.messageID else { throw .wrongMessageID(expected: P.messageID, found: view.messageID) }
        let (gt, payload) = try view.decodeCore(P.self)
        guard view.verify() else { throw .badSignature }
        return (try view.publicKey(), gt, payload)
    }

    /// Like ``open(_:as:)`` for an ez-style (no global time) packet.
    public static func openEz<P: Payload>(_ buffer: UnsafeRawBufferPointer, as type: P.Type = P.self)
        throws(WireError) -> (publicKey: PublicKey, payload: P) {
        let view = try SignedPacketView(buffer)
        guard view.messageID == P.messageID else { throw .wrongMessageID(expected: P.messageID, found: view.messageID) }
        let payload = try view.decodeEz(P.self)
        guard view.verify() else { throw .badSignature }
        return (try view.publicKey(), payload)
    }
}
