import IPv8Testing
import XCTest
@testable import IPv8Core

/// How a community dispatches what reaches it: bad signatures, malformed and unknown packets, typed handlers.
final class DispatchTests: SimulatedTestCase {
    struct Boom: Error {}

    func testForgedOrAlteredSignaturesChangeNothingInTheNetwork() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB)

        let genuine = a.community.createIntroductionRequest(to: b.address)
        var alteredPayload = genuine
        alteredPayload[genuine.count - 70] ^= 0x01          // a payload byte (the signature is the last 64)
        var alteredSignature = genuine
        alteredSignature[genuine.count - 1] ^= 0x80
        // A forgery: C's key in the auth header, signed by A.
        var forged = genuine
        let keyC = Vectors.keyC.publicKey.bin
        forged.replaceSubrange(25..<(25 + keyC.count), with: keyC)
        for packet in [alteredPayload, alteredSignature, forged] {
            a.endpoint.send(packet, to: b.address)
        }
        run { b.community.counters.received == 3 }

        XCTAssertEqual(b.community.counters.badSignature, 3)
        XCTAssertEqual(b.community.counters.handled, 0)
        XCTAssertEqual(b.network.verifiedPeerCount, 0)
        XCTAssertEqual(b.network.knownAddressCount, 0)
        XCTAssertEqual(a.community.counters.received, 0, "nothing answers a bad signature")

        a.endpoint.send(genuine, to: b.address)
        run { b.knows(a) && a.knows(b) }
    }

    func testMalformedShortUnknownAndDeprecatedPacketsAreCountedAndDropped() throws {
        let a = try node(), b = try node()
        let prefix = b.community.prefix.bytes

        let genuine = a.community.createIntroductionRequest(to: b.address)
        let packets: [[UInt8]] = [
            prefix,                                  // exactly 22 bytes: the prefix router drops it (< 23)
            prefix + [246],                          // a core id with no body
            Array(genuine.dropLast(1)),             // truncated signature
            prefix + [99, 1, 2, 3],                  // unknown id
            prefix + [255, 0, 0],                    // deprecated id
            prefix + [244],                          // deprecated id
            prefix + [250] + [UInt8](repeating: 0, count: 5),   // short puncture request
        ]
        for packet in packets { a.endpoint.send(packet, to: b.address) }
        run { b.community.counters.received == packets.count - 1 }
        let counters = b.community.counters
        XCTAssertEqual(counters.malformed, 3)
        XCTAssertEqual(counters.unknownMessage, 1)
        XCTAssertEqual(counters.deprecatedMessage, 2)
        XCTAssertEqual(counters.handled, 0)
        XCTAssertEqual(b.network.verifiedPeerCount, 0)
        XCTAssertEqual(a.community.counters.received, 0)

        // The community still works.
        a.community.walkTo(b.address)
        run { b.knows(a) && a.knows(b) }
    }

    func testTypedHandlersSignedUnsignedDuplicateAndThrowing() throws {
        let a = try node(key: Vectors.keyA), b = try node(key: Vectors.keyB)

        var signed: [(Peer, Hello)] = []
        try b.community.addHandler(for: Hello.self) { peer, hello in
            signed.append((peer, hello))
            if hello.text == Array("boom".utf8) { throw Boom() }
        }
        XCTAssertThrowsError(try b.community.addHandler(for: Hello.self) { _, _ in }) { error in
            XCTAssertEqual(error as? CommunityError, .handlerAlreadyRegistered(messageID: 7))
        }
        XCTAssertThrowsError(try b.community.addUnsignedHandler(for: PunctureRequestPayload.self) { _, _ in })
        XCTAssertThrowsError(try b.community.addRawHandler(for: 240) { _, _ in }, "deprecated ids are reserved")

        struct Note: Payload {
            static let messageID: UInt8 = 8
            var value: UInt32
            init(value: UInt32) { self.value = value }
            func encode(into packer: inout Packer) { packer.u32(value) }
            init(from unpacker: inout Unpacker) throws(WireError) { value = try unpacker.u32("value") }
        }
        var unsigned: [(Address, UInt32)] = []
        try b.community.addUnsignedHandler(for: Note.self) { source, note in unsigned.append((source, note.value)) }

        a.community.sendSigned(Hello(text: Array("hi".utf8)), to: b.address)
        a.community.sendSigned(Hello(text: Array("boom".utf8)), to: b.address)
        a.community.sendUnsigned(Note(value: 42), to: b.address)
        run { b.community.counters.received == 3 }

        XCTAssertEqual(signed.map(\.1.text), [Array("hi".utf8), Array("boom".utf8)])
        XCTAssertEqual(signed[0].0.publicKeyBin, Vectors.keyA.publicKey.bin)
        XCTAssertEqual(signed[0].0.address, a.address)
        XCTAssertFalse(b.network.isVerified(signed[0].0), "an application message does not verify a peer")
        XCTAssertEqual(unsigned.map(\.1), [42])
        XCTAssertEqual(unsigned.first?.0, a.address)
        XCTAssertEqual(b.community.counters.handlerErrors, 1)
        XCTAssertEqual(b.community.counters.handled, 2)
    }
}
