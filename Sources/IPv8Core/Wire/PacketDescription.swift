/// Turns a raw datagram into a field-by-field description, for the `ipv8-node decode` subcommand and
/// for debugging. Not on the hot path.
///
/// Known messages: the core ids 246/245/250/249/234/233/232/231 under any prefix, and DiscoveryCommunity
/// ids 1…4 when the community id is ``CommunityID/discovery``. Everything else (unknown or deprecated
/// ids, malformed or truncated packets, unsupported key types) throws a ``WireError`` saying why.
/// An invalid signature does not throw: it is reported as `"signatureValid": false`.
public enum PacketDescription {
    /// The description as a JSON value with keys in a fixed order: `length`, `prefix`, `version`,
    /// `communityID`, `messageID`, `messageName`, `style`, then for signed packets `publicKey` (hex of
    /// the key bin as sent) and `mid`, then `globalTime` (core styles), `payload` (the fields), and for
    /// signed packets `signature` and `signatureValid`.
    public static func describe(bytes: [UInt8]) throws(WireError) -> JSONValue {
        let result: Result<JSONValue, WireError> = bytes.withUnsafeBytes { raw in
            do throws(WireError) { return .success(try describe(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// ``describe(bytes:)`` serialised as indented JSON text.
    public static func describeJSON(bytes: [UInt8]) throws(WireError) -> String {
        try describe(bytes: bytes).serialized()
    }

    /// ``describe(bytes:)`` over a borrowed buffer.
    public static func describe(_ raw: UnsafeRawBufferPointer) throws(WireError) -> JSONValue {
        guard raw.count >= 23, let prefix = CommunityPrefix(reading: raw) else {
            throw .truncated(field: "header", offset: 0, needed: 23, available: raw.count)
        }
        let id = raw[22]
        let community = prefix.communityID
        var out: [JSONValue.Member] = [
            .init("length", .number(UInt64(raw.count))),
            .init("prefix", .string(prefix.hex)),
            .init("version", .number(UInt64(prefix.version))),
            .init("communityID", .string(community.hex)),
            .init("messageID", .number(UInt64(id))),
        ]
        if let name = MessageID.deprecatedName(id) { throw .deprecatedMessage(id: id, name: name) }
        guard let name = MessageID.name(id, in: community) else {
            throw .unknownMessage(id: id, communityID: community.hex)
        }
        out.append(.init("messageName", .string(name)))

        if community == DHTCommunity.id, let dht = DHTMessageDescriber.describer(for: id) {
            try ezSigned(raw, &out, dht)
            return .object(out)
        }
        switch (id, community == .discovery) {
        case (246, _): try signed(IntroductionRequestPayload.self, raw, &out)
        case (245, _): try signed(IntroductionResponsePayload.self, raw, &out)
        case (249, _): try signed(PuncturePayload.self, raw, &out)
        case (234, _): try signed(NewIntroductionRequestPayload.self, raw, &out)
        case (233, _): try signed(NewIntroductionResponsePayload.self, raw, &out)
        case (231, _): try signed(NewPuncturePayload.self, raw, &out)
        case (250, _): try unsigned(PunctureRequestPayload.self, raw, &out)
        case (232, _): try unsigned(NewPunctureRequestPayload.self, raw, &out)
        case (1, true): try signed(SimilarityRequestPayload.self, raw, &out)
        case (2, true): try signed(SimilarityResponsePayload.self, raw, &out)
        case (3, true): try unsigned(PingPayload.self, raw, &out)
        case (4, true): try unsigned(PongPayload.self, raw, &out)
        default: throw .unknownMessage(id: id, communityID: community.hex)
        }
        return .object(out)
    }

    private static func signed<P: WireCodable & DescribablePayload>(
        _ type: P.Type, _ raw: UnsafeRawBufferPointer, _ out: inout [JSONValue.Member]) throws(WireError) {
        let view = try SignedPacketView(raw)
        let key = try view.publicKey()
        let (gt, payload) = try view.decodeCore(P.self)
        out.append(.init("style", .string("core-signed")))
        out.append(.init("publicKey", .string(hexString(view.keyBin))))
        out.append(.init("mid", .string(hexString(key.mid))))
        out.append(.init("globalTime", .number(gt)))
        out.append(.init("payload", .object(payload.describedFields)))
        out.append(.init("signature", .string(hexString(view.signature))))
        out.append(.init("signatureValid", .bool(view.verify())))
    }

    private static func ezSigned(_ raw: UnsafeRawBufferPointer, _ out: inout [JSONValue.Member],
                                 _ payloadFields: (SignedPacketView) throws(WireError) -> [JSONValue.Member]) throws(WireError) {
        let view = try SignedPacketView(raw)
        let key = try view.publicKey()
        let fields = try payloadFields(view)
        out.append(.init("style", .string("ez-signed")))
        out.append(.init("publicKey", .string(hexString(view.keyBin))))
        out.append(.init("mid", .string(hexString(key.mid))))
        out.append(.init("payload", .object(fields)))
        out.append(.init("signature", .string(hexString(view.signature))))
        out.append(.init("signatureValid", .bool(view.verify())))
    }

    private static func unsigned<P: WireCodable & DescribablePayload>(
        _ type: P.Type, _ raw: UnsafeRawBufferPointer, _ out: inout [JSONValue.Member]) throws(WireError) {
        let view = try UnsignedPacketView(raw)
        let (gt, payload) = try view.decodeCore(P.self)
        out.append(.init("style", .string("core-unsigned")))
        out.append(.init("globalTime", .number(gt)))
        out.append(.init("payload", .object(payload.describedFields)))
    }
}
