import IPv8Testing
import XCTest
@testable import IPv8Core

final class PacketDescriptionTests: XCTestCase {
    typealias V = Vectors

    private func describe(_ hex: String) throws -> JSONValue {
        try PacketDescription.describe(bytes: V.hex(hex))
    }

    func testA1Fields() throws {
        let d = try describe(V.a1)
        XCTAssertEqual(d["length"]?.numberValue, 192)
        XCTAssertEqual(d["prefix"]?.stringValue, "0002000102030405060708090a0b0c0d0e0f10111213")
        XCTAssertEqual(d["version"]?.numberValue, 2)
        XCTAssertEqual(d["communityID"]?.stringValue, "000102030405060708090a0b0c0d0e0f10111213")
        XCTAssertEqual(d["messageID"]?.numberValue, 246)
        XCTAssertEqual(d["messageName"]?.stringValue, "introduction-request")
        XCTAssertEqual(d["style"]?.stringValue, "core-signed")
        XCTAssertEqual(d["publicKey"]?.stringValue, V.keyAPublic)
        XCTAssertEqual(d["mid"]?.stringValue, V.keyAMid)
        XCTAssertEqual(d["globalTime"]?.numberValue, 1)
        XCTAssertEqual(d["signatureValid"]?.boolValue, true)
        let p = try XCTUnwrap(d["payload"])
        XCTAssertEqual(p["destinationAddress"]?.stringValue, "5.6.7.8:2002")
        XCTAssertEqual(p["sourceLANAddress"]?.stringValue, "192.168.1.10:1001")
        XCTAssertEqual(p["sourceWANAddress"]?.stringValue, "1.2.3.4:2001")
        XCTAssertEqual(p["identifier"]?.numberValue, 1)
        XCTAssertEqual(p["extraBytes"]?.stringValue, "")
        let f = try XCTUnwrap(p["flags"])
        XCTAssertEqual(f["raw"]?.stringValue, "0x01")
        XCTAssertEqual(f["connectionType"]?.stringValue, "unknown")
        XCTAssertEqual(f["supportsNewStyle"]?.boolValue, false)
        XCTAssertEqual(f["advice"]?.boolValue, false)
    }

    func testEveryVectorDescribes() throws {
        let expected: [String: (String, String, UInt64)] = [
            "A1": ("introduction-request", "core-signed", 1), "A2": ("new-introduction-request", "core-signed", 2),
            "A3": ("introduction-request", "core-signed", 3), "A4": ("new-introduction-request", "core-signed", 4),
            "A5": ("introduction-response", "core-signed", 1), "A6": ("puncture-request", "core-unsigned", 2),
            "A7": ("new-introduction-response", "core-signed", 3), "A8": ("new-puncture-request", "core-unsigned", 4),
            "A9": ("introduction-response", "core-signed", 5), "A10": ("puncture", "core-signed", 1),
            "A11": ("new-puncture", "core-signed", 2), "A12": ("similarity-request", "core-signed", 1),
            "A13": ("similarity-response", "core-signed", 2), "A14": ("ping", "core-unsigned", 3),
            "A15": ("pong", "core-unsigned", 4),
        ]
        for v in V.all {
            guard let (name, style, gt) = expected[v.name] else { continue }
            let d = try describe(v.hex)
            XCTAssertEqual(d["messageName"]?.stringValue, name, v.name)
            XCTAssertEqual(d["style"]?.stringValue, style, v.name)
            XCTAssertEqual(d["globalTime"]?.numberValue, gt, v.name)
            XCTAssertEqual(d["signatureValid"]?.boolValue, v.signed ? true : nil, v.name)
            XCTAssertEqual(d["length"]?.numberValue, UInt64(v.hex.count / 2), v.name)
        }
    }

    func testResponseAndDiscoveryFields() throws {
        let a5 = try describe(V.a5)
        XCTAssertEqual(a5["mid"]?.stringValue, V.keyBMid)
        XCTAssertEqual(a5["payload"]?["wanIntroductionAddress"]?.stringValue, "9.10.11.12:2003")
        XCTAssertEqual(a5["payload"]?["lanIntroductionAddress"]?.stringValue, "0.0.0.0:0")
        XCTAssertEqual(a5["payload"]?["flags"]?["supportsNewStyle"]?.boolValue, true)
        XCTAssertEqual(a5["payload"]?["flags"]?["peerLimitReached"]?.boolValue, false)
        XCTAssertEqual(a5["payload"]?["identifier"]?.numberValue, 4242)

        let a4 = try describe(V.a4)
        XCTAssertEqual(a4["payload"]?["destinationAddress"]?.stringValue, "[2001:db8::1]:4000")

        let a10 = try describe(V.a10)
        XCTAssertEqual(a10["mid"]?.stringValue, V.keyCMid)

        let a12 = try describe(V.a12)
        XCTAssertEqual(a12["payload"]?["preferenceList"], .array([.string(CommunityID.discovery.hex)]))
        let a13 = try describe(V.a13)
        XCTAssertEqual(a13["payload"]?["identifier"]?.numberValue, 77)
        XCTAssertEqual(try describe(V.a15)["payload"]?["identifier"]?.numberValue, 5)
    }

    func testJSONTextIsDeterministic() throws {
        let text = try PacketDescription.describeJSON(bytes: V.hex(V.a6))
        XCTAssertEqual(text, """
        {
          "length": 45,
          "prefix": "0002000102030405060708090a0b0c0d0e0f10111213",
          "version": 2,
          "communityID": "000102030405060708090a0b0c0d0e0f10111213",
          "messageID": 250,
          "messageName": "puncture-request",
          "style": "core-unsigned",
          "globalTime": 2,
          "payload": {
            "lanWalkerAddress": "5.6.7.8:2002",
            "wanWalkerAddress": "1.2.3.4:2001",
            "identifier": 4242
          }
        }
        """)
        XCTAssertEqual(JSONValue.string("a\"b\\\n\u{01}").serialized(), "\"a\\\"b\\\\\\n\\u0001\"")
    }

    func testBadSignatureIsReportedNotThrown() throws {
        var bytes = V.hex(V.a5)
        bytes[bytes.count - 1] ^= 0x01
        let d = try PacketDescription.describe(bytes: bytes)
        XCTAssertEqual(d["signatureValid"]?.boolValue, false)
    }

    func testJunkThrows() throws {
        XCTAssertThrowsError(try PacketDescription.describe(bytes: [])) { error in
            XCTAssertEqual(error as? WireError, .truncated(field: "header", offset: 0, needed: 23, available: 0))
        }
        XCTAssertThrowsError(try PacketDescription.describe(bytes: Array("hello world, this is not ipv8".utf8)))
        // Discovery ids outside the Discovery community are unknown.
        var ping = V.hex(V.a14)
        ping.replaceSubrange(0..<22, with: V.testPrefix.bytes)
        XCTAssertThrowsError(try PacketDescription.describe(bytes: ping)) { error in
            XCTAssertEqual(error as? WireError, .unknownMessage(id: 3, communityID: V.testPrefix.communityID.hex))
        }
        var deprecated = V.hex(V.a6)
        deprecated[22] = 247
        XCTAssertThrowsError(try PacketDescription.describe(bytes: deprecated)) { error in
            XCTAssertEqual(error as? WireError, .deprecatedMessage(id: 247, name: "on-missing-identity"))
        }
        // A16, the spec's DHT ping request: described as the DHT's ez-signed message.
        let a16 = try PacketDescription.describeJSON(bytes: V.hex(V.a16))
        XCTAssertTrue(a16.contains("\"messageName\": \"dht-ping-request\""), a16)
        XCTAssertTrue(a16.contains("\"identifier\": 513"), a16)
        XCTAssertTrue(a16.contains("\"signatureValid\": true"), a16)
    }
}
