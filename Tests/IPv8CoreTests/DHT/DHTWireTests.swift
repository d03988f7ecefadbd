import IPv8Testing
import XCTest
@testable import IPv8Core

/// The DHT's messages, node ids and values against py-ipv8 3.2.1's own bytes (``DHTVectors``).
final class DHTWireTests: XCTestCase {
    let key = try! PrivateKey(bin: Vectors.hex(DHTVectors.privateKeyBin))
    let prefix = CommunityPrefix(communityID: DHTCommunity.id)
    let token = Vectors.hex(DHTVectors.token)
    let target = Vectors.hex(DHTVectors.target)
    var node1: DHTNodeEntry {
        DHTNodeEntry(address: Address("1.2.3.4:1234")!, publicKeyBin: Vectors.hex(DHTVectors.node1PublicKeyBin))
    }
    var node2: DHTNodeEntry {
        DHTNodeEntry(address: Address("[2001:db8::2]:5678")!, publicKeyBin: Vectors.hex(DHTVectors.node2PublicKeyBin))
    }

    func testKeyAndPrefixAreVectors() {
        XCTAssertEqual(key.publicKey.bin, Vectors.hex(DHTVectors.publicKeyBin))
        XCTAssertEqual(key.publicKey.mid, Vectors.hex(DHTVectors.mid))
        XCTAssertEqual(prefix.bytes, Vectors.hex(DHTVectors.prefix))
    }

    /// Encodes `payload` as py-ipv8's `ez_send` would and compares it with the vector; decodes the vector.
    func check<P: Payload & Equatable>(_ payload: P, packet: String, body: String,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(hexString(payload.encodedBytes), body, "payload", file: file, line: line)
        XCTAssertEqual(hexString(PacketEncoder.ezSigned(payload, prefix: prefix, key: key)), packet, "packet",
                       file: file, line: line)
        let bytes = Vectors.hex(packet)
        try bytes.withUnsafeBytes { buffer in
            let view = try SignedPacketView(buffer)
            XCTAssertEqual(view.messageID, P.messageID, file: file, line: line)
            XCTAssertTrue(view.verify(), "signature", file: file, line: line)
            XCTAssertEqual(try view.decodeEz(P.self), payload, file: file, line: line)
        }
    }

    func testMessagesMatchPyIPv8() throws {
        let values = [Vectors.hex(DHTVectors.unsignedValue), Vectors.hex(DHTVectors.signedValue)]
        try check(DHTPingRequest(identifier: 0x0102_0304), packet: DHTVectors.pingRequestPacket,
                  body: DHTVectors.pingRequestPayload)
        try check(DHTPingResponse(identifier: 0x0102_0304), packet: DHTVectors.pingResponsePacket,
                  body: DHTVectors.pingResponsePayload)
        try check(DHTStoreRequest(identifier: 0xA000_0003, token: token, target: target, values: values),
                  packet: DHTVectors.storeRequestPacket, body: DHTVectors.storeRequestPayload)
        try check(DHTStoreResponse(identifier: 0xA000_0003), packet: DHTVectors.storeResponsePacket,
                  body: DHTVectors.storeResponsePayload)
        try check(DHTFindRequest(identifier: 0xB000_0005, lanAddress: Address("192.168.1.10:7759")!, target: target,
                                 offset: 3, forceNodes: true),
                  packet: DHTVectors.findRequestPacket, body: DHTVectors.findRequestPayload)
        try check(DHTFindResponse(identifier: 0xB000_0005, token: token, values: values, nodes: [node1, node2]),
                  packet: DHTVectors.findResponsePacket, body: DHTVectors.findResponsePayload)
        try check(DHTStorePeerRequest(identifier: 0xC000_0007, token: token, target: key.publicKey.mid),
                  packet: DHTVectors.storePeerRequestPacket, body: DHTVectors.storePeerRequestPayload)
        try check(DHTStorePeerResponse(identifier: 0xC000_0007), packet: DHTVectors.storePeerResponsePacket,
                  body: DHTVectors.storePeerResponsePayload)
        let node1Mid = try PublicKey(bin: node1.publicKeyBin).mid
        try check(DHTConnectPeerRequest(identifier: 0xD000_0009, lanAddress: Address("[2001:db8::a]:7760")!,
                                        target: node1Mid),
                  packet: DHTVectors.connectPeerRequestPacket, body: DHTVectors.connectPeerRequestPayload)
        try check(DHTConnectPeerResponse(identifier: 0xD000_0009, nodes: [node2]),
                  packet: DHTVectors.connectPeerResponsePacket, body: DHTVectors.connectPeerResponsePayload)
    }

    func testTruncatedPayloadsThrowInsteadOfTrapping() {
        for body in [DHTVectors.findResponsePayload, DHTVectors.storeRequestPayload, DHTVectors.connectPeerResponsePayload] {
            let bytes = Vectors.hex(body)
            for cut in 0..<bytes.count {
                let prefix = Array(bytes[..<cut])
                XCTAssertThrowsError(try prefix.withUnsafeBytes { buffer in
                    var u = Unpacker(buffer)
                    _ = try DHTFindResponse(from: &u)
                    _ = try DHTStoreRequest(from: &u)
                    _ = try DHTConnectPeerResponse(from: &u)
                    try u.finish()
                })
            }
        }
    }

    func testNodeIDsMatchPyIPv8() {
        let mid = Vectors.hex(DHTVectors.mid)
        let cases = [
            (DHTVectors.nodeIDIPv4LoopbackAddress, DHTVectors.nodeIDIPv4Loopback),
            (DHTVectors.nodeIDIPv4PrivateAddress, DHTVectors.nodeIDIPv4Private),
            (DHTVectors.nodeIDIPv4BroadcastAddress, DHTVectors.nodeIDIPv4Broadcast),
            (DHTVectors.nodeIDIPv6LoopbackAddress, DHTVectors.nodeIDIPv6Loopback),
            (DHTVectors.nodeIDIPv6DocumentationAddress, DHTVectors.nodeIDIPv6Documentation),
        ]
        for (host, id) in cases {
            // The port is not part of the id.
            for port: UInt16 in [1, 8090] {
                XCTAssertEqual(DHTNodeID(address: Address(ip: host, port: port)!, mid: mid).hex, id, host)
            }
        }
    }

    func testDistanceIsXOR() {
        for (a, b, d) in [(DHTVectors.distanceA, DHTVectors.distanceB, DHTVectors.distance),
                          (DHTVectors.distanceNodesA, DHTVectors.distanceNodesB, DHTVectors.distanceNodes),
                          (DHTVectors.distanceSameMidA, DHTVectors.distanceSameMidB, DHTVectors.distanceSameMid)] {
            let x = DHTNodeID(bytes: Vectors.hex(a))!, y = DHTNodeID(bytes: Vectors.hex(b))!
            XCTAssertEqual(hexString(x.distance(to: y)), d)
            XCTAssertTrue(x.isCloser(x, than: y))
            XCTAssertFalse(x.isCloser(y, than: x))
            XCTAssertFalse(x.isCloser(y, than: y))
        }
    }

    func testValuesMatchPyIPv8() throws {
        let unsigned = Vectors.hex(DHTVectors.unsignedValue)
        XCTAssertEqual(DHTValue.serializeUnsigned(Vectors.hex(DHTVectors.unsignedValueData)), unsigned)
        XCTAssertEqual(DHTValue(serialized: unsigned), DHTValue(data: Vectors.hex(DHTVectors.unsignedValueData)))
        XCTAssertEqual(hexString(DHTValue.storageID(publicKey: nil, serialized: unsigned)), DHTVectors.unsignedValueStorageID)

        let signed = Vectors.hex(DHTVectors.signedValue)
        XCTAssertEqual(DHTValue.serializeSigned(Vectors.hex(DHTVectors.signedValueData),
                                                version: UInt32(DHTVectors.valueVersion), key: key), signed)
        let parsed = try XCTUnwrap(DHTValue(serialized: signed))
        XCTAssertEqual(parsed.data, Vectors.hex(DHTVectors.signedValueData))
        XCTAssertEqual(parsed.publicKey, key.publicKey.bin)
        XCTAssertEqual(parsed.version, UInt32(DHTVectors.valueVersion))
        XCTAssertEqual(hexString(DHTValue.storageID(publicKey: parsed.publicKey, serialized: signed)),
                       DHTVectors.signedValueStorageID)

        // A legacy EC (sect163k1) signature, randomised by py-ipv8, verifies.
        let ec = try XCTUnwrap(DHTValue(serialized: Vectors.hex(DHTVectors.ecSignedValue)))
        XCTAssertEqual(ec.data, Vectors.hex(DHTVectors.ecSignedValueData))
        XCTAssertEqual(ec.publicKey, Vectors.hex(DHTVectors.ecPublicKeyBin))
        XCTAssertEqual(hexString(DHTValue.storageID(publicKey: ec.publicKey, serialized: [])), DHTVectors.ecSignedValueStorageID)
    }

    func testTamperedOrMalformedValuesAreRefused() {
        let signed = Vectors.hex(DHTVectors.signedValue)
        for index in [1, 5, 20, signed.count - 1] {
            var tampered = signed
            tampered[index] ^= 0x01
            XCTAssertNil(DHTValue(serialized: tampered), "byte \(index)")
        }
        XCTAssertNil(DHTValue(serialized: []))
        XCTAssertNil(DHTValue(serialized: [0x02, 0x00]))
        XCTAssertNil(DHTValue(serialized: signed + [0]), "trailing byte")
        XCTAssertNil(DHTValue(serialized: Array(signed.dropLast())), "short signature")
        for cut in 1..<40 { XCTAssertNil(DHTValue(serialized: Array(signed.prefix(cut)))) }
    }

    func testEveryDHTPacketIsDescribedWithItsNameAndAValidSignature() throws {
        let packets = [DHTVectors.pingRequestPacket, DHTVectors.pingResponsePacket, DHTVectors.storeRequestPacket,
                       DHTVectors.storeResponsePacket, DHTVectors.findRequestPacket, DHTVectors.findResponsePacket,
                       DHTVectors.storePeerRequestPacket, DHTVectors.storePeerResponsePacket,
                       DHTVectors.connectPeerRequestPacket, DHTVectors.connectPeerResponsePacket]
        for (index, packet) in packets.enumerated() {
            let text = try PacketDescription.describeJSON(bytes: Vectors.hex(packet))
            XCTAssertTrue(text.contains("\"messageName\": \"\(MessageID.dhtName(UInt8(index + 1))!)\""), text)
            XCTAssertTrue(text.contains("\"signatureValid\": true"), text)
            XCTAssertTrue(text.contains("\"style\": \"ez-signed\""), text)
        }
        let find = try PacketDescription.describeJSON(bytes: Vectors.hex(DHTVectors.findResponsePacket))
        XCTAssertTrue(find.contains(DHTVectors.distanceNodesA), "node 1's id as py-ipv8 computes it")
        XCTAssertTrue(find.contains("\"version\": \(DHTVectors.valueVersion)"), find)
        // A DHT message id outside the DHT stays unknown.
        var other = Vectors.hex(DHTVectors.pingRequestPacket)
        other.replaceSubrange(2..<22, with: [UInt8](repeating: 9, count: 20))
        XCTAssertThrowsError(try PacketDescription.describe(bytes: other))
    }
}
