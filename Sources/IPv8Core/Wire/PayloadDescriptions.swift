/// Payloads that can list their fields for ``PacketDescription``: addresses as `"ip:port"`, flags as
/// named booleans, bytes as hex.
protocol DescribablePayload {
    var describedFields: [JSONValue.Member] { get }
}

private typealias M = JSONValue.Member

private func addr(_ a: Address) -> JSONValue { .string(a.description) }
private func hex(_ b: [UInt8]) -> JSONValue { .string(hexString(b)) }
private func num<I: BinaryInteger>(_ n: I) -> JSONValue { .number(UInt64(n)) }
private func flagsObject(_ raw: UInt8, _ named: [(String, JSONValue)]) -> JSONValue {
    .object([M("raw", .string("0x" + hexString([raw])))] + named.map { M($0.0, $0.1) })
}

extension IntroductionRequestPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        // `flags` re-encodes the decoded (inverted) advice; the byte on the wire had the 0x01 bit flipped.
        let wire = flags.rawValue ^ 0x01
        return [
            M("destinationAddress", addr(destinationAddress)),
            M("sourceLANAddress", addr(sourceLANAddress)),
            M("sourceWANAddress", addr(sourceWANAddress)),
            M("flags", flagsObject(wire, [
                ("connectionType", .string(connectionType.rawValue)),
                ("supportsNewStyle", .bool(supportsNewStyle)),
                ("dflag1", .bool(dflag1)), ("dflag2", .bool(dflag2)),
                ("tunnel", .bool(tunnel)), ("sync", .bool(sync)),
                ("advice", .bool(advice)),   // py-ipv8 semantics: the 0x01 bit decodes inverted
            ])),
            M("identifier", num(identifier)),
            M("extraBytes", hex(extraBytes)),
        ]
    }
}

extension IntroductionResponsePayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [
            M("destinationAddress", addr(destinationAddress)),
            M("sourceLANAddress", addr(sourceLANAddress)),
            M("sourceWANAddress", addr(sourceWANAddress)),
            M("lanIntroductionAddress", addr(lanIntroductionAddress)),
            M("wanIntroductionAddress", addr(wanIntroductionAddress)),
            M("flags", flagsObject(flags.rawValue, [
                ("connectionType", .string(connectionType.rawValue)),
                ("supportsNewStyle", .bool(supportsNewStyle)),
                ("introSupportsNewStyle", .bool(introSupportsNewStyle)),
                ("peerLimitReached", .bool(peerLimitReached)),
            ])),
            M("identifier", num(identifier)),
            M("extraBytes", hex(extraBytes)),
        ]
    }
}

extension NewIntroductionRequestPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [
            M("destinationAddress", addr(destinationAddress)),
            M("sourceLANAddress", addr(sourceLANAddress)),
            M("sourceWANAddress", addr(sourceWANAddress)),
            M("identifier", num(identifier)),
            M("flags", flagsObject(flags.rawValue, [
                ("connectionType", .string(connectionType.rawValue)),
                ("supportsNewStyle", .bool(supportsNewStyle)),
                ("dflag1", .bool(flags[3])), ("dflag2", .bool(flags[4])),
                ("tunnel", .bool(flags[5])), ("sync", .bool(flags[6])),
                ("advice", .bool(advice)),
            ])),
            M("extraBytes", hex(extraBytes)),
        ]
    }
}

extension NewIntroductionResponsePayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [
            M("destinationAddress", addr(destinationAddress)),
            M("sourceLANAddress", addr(sourceLANAddress)),
            M("sourceWANAddress", addr(sourceWANAddress)),
            M("lanIntroductionAddress", addr(lanIntroductionAddress)),
            M("wanIntroductionAddress", addr(wanIntroductionAddress)),
            M("identifier", num(identifier)),
            M("flags", flagsObject(flags.rawValue, [("introSupportsNewStyle", .bool(introSupportsNewStyle))])),
            M("extraBytes", hex(extraBytes)),
        ]
    }
}

extension PunctureRequestPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [M("lanWalkerAddress", addr(lanWalkerAddress)), M("wanWalkerAddress", addr(wanWalkerAddress)),
         M("identifier", num(identifier))]
    }
}

extension NewPunctureRequestPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [M("lanWalkerAddress", addr(lanWalkerAddress)), M("wanWalkerAddress", addr(wanWalkerAddress)),
         M("identifier", num(identifier))]
    }
}

extension PuncturePayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [M("sourceLANAddress", addr(sourceLANAddress)), M("sourceWANAddress", addr(sourceWANAddress)),
         M("identifier", num(identifier))]
    }
}

extension NewPuncturePayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [M("sourceLANAddress", addr(sourceLANAddress)), M("sourceWANAddress", addr(sourceWANAddress)),
         M("identifier", num(identifier))]
    }
}

extension SimilarityRequestPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [
            M("identifier", num(identifier)),
            M("lanAddress", addr(lanAddress)),
            M("wanAddress", addr(wanAddress)),
            M("flags", .object([M("connectionType", .string(connectionType.rawValue))])),
            M("preferenceList", .array(preferenceList.map { .string($0.hex) })),
        ]
    }
}

extension SimilarityResponsePayload: DescribablePayload {
    var describedFields: [JSONValue.Member] {
        [
            M("identifier", num(identifier)),
            M("preferenceList", .array(preferenceList.map { .string($0.hex) })),
            M("tasteBuddyOverlap", .array(tasteBuddyOverlap.map {
                .object([M("communityID", .string($0.communityID.hex)), M("value", num($0.value))])
            })),
        ]
    }
}

extension PingPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] { [M("identifier", num(identifier))] }
}

extension PongPayload: DescribablePayload {
    var describedFields: [JSONValue.Member] { [M("identifier", num(identifier))] }
}
