/// The DHT's messages for ``PacketDescription`` (`ipv8-node decode`).
enum DHTMessageDescriber {
    typealias M = JSONValue.Member

    /// Decodes message `id` of the DHT from a signed packet view and lists its fields.
    static func describer(for id: UInt8) -> ((SignedPacketView) throws(WireError) -> [M])? {
        switch id {
        case DHTPingRequest.messageID: return { view throws(WireError) in identifier(try view.decodeEz(DHTPingRequest.self).identifier) }
        case DHTPingResponse.messageID: return { view throws(WireError) in identifier(try view.decodeEz(DHTPingResponse.self).identifier) }
        case DHTStoreResponse.messageID: return { view throws(WireError) in identifier(try view.decodeEz(DHTStoreResponse.self).identifier) }
        case DHTStorePeerResponse.messageID:
            return { view throws(WireError) in identifier(try view.decodeEz(DHTStorePeerResponse.self).identifier) }
        case DHTStoreRequest.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTStoreRequest.self)
                return identifier(p.identifier) + [M("token", hex(p.token)), M("target", hex(p.target)), M("values", values(p.values))]
            }
        case DHTFindRequest.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTFindRequest.self)
                return identifier(p.identifier) + [M("lanAddress", .string(p.lanAddress.description)), M("target", hex(p.target)),
                                                   M("offset", .number(UInt64(p.offset))), M("forceNodes", .bool(p.forceNodes))]
            }
        case DHTFindResponse.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTFindResponse.self)
                return identifier(p.identifier) + [M("token", hex(p.token)), M("values", values(p.values)), M("nodes", nodes(p.nodes))]
            }
        case DHTStorePeerRequest.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTStorePeerRequest.self)
                return identifier(p.identifier) + [M("token", hex(p.token)), M("target", hex(p.target))]
            }
        case DHTConnectPeerRequest.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTConnectPeerRequest.self)
                return identifier(p.identifier) + [M("lanAddress", .string(p.lanAddress.description)), M("target", hex(p.target))]
            }
        case DHTConnectPeerResponse.messageID:
            return { view throws(WireError) in
                let p = try view.decodeEz(DHTConnectPeerResponse.self)
                return identifier(p.identifier) + [M("nodes", nodes(p.nodes))]
            }
        default: return nil
        }
    }

    private static func identifier(_ n: UInt32) -> [M] { [M("identifier", .number(UInt64(n)))] }
    private static func hex(_ bytes: [UInt8]) -> JSONValue { .string(hexString(bytes)) }

    /// Each value as its bytes and, when it parses, its data, signer and version (signature checked).
    private static func values(_ values: [[UInt8]]) -> JSONValue {
        .array(values.map { serialized in
            var fields = [M("bytes", hex(serialized))]
            if let value = DHTValue(serialized: serialized) {
                fields.append(M("data", hex(value.data)))
                fields.append(M("signed", .bool(value.publicKey != nil)))
                if let key = value.publicKey { fields.append(M("publicKey", hex(key))) }
                fields.append(M("version", .number(UInt64(value.version))))
            } else {
                fields.append(M("valid", .bool(false)))
            }
            return .object(fields)
        })
    }

    private static func nodes(_ nodes: [DHTNodeEntry]) -> JSONValue {
        .array(nodes.map { node in
            var fields = [M("address", .string(node.address.description)), M("publicKey", hex(node.publicKeyBin))]
            if let key = try? PublicKey(bin: node.publicKeyBin) {
                fields.append(M("mid", hex(key.mid)))
                fields.append(M("nodeID", .string(DHTNodeID(address: node.address, mid: key.mid).hex)))
            }
            return .object(fields)
        })
    }
}
