import Foundation
import XCTest

final class DecodeCommandTests: XCTestCase {
    func testEveryAppendixAPacketDecodesWithItsFields() throws {
        for (name, hex) in AppendixA.packets {
            let result = try NodeProcess.run(["decode", hex])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            XCTAssertNotNil(json, "\(name): not JSON: \(result.stdout)")
            guard let json else { continue }
            XCTAssertEqual(json["length"] as? Int, hex.count / 2, name)
            XCTAssertNotNil(json["messageName"] as? String, name)
            XCTAssertNotNil(json["payload"], name)
            if json["publicKey"] != nil {
                XCTAssertEqual(json["signatureValid"] as? Bool, true, "\(name) must verify")
                XCTAssertEqual((json["mid"] as? String)?.count, 40, name)
            }
        }
    }

    func testAMessageOfAnUnknownCommunityIsRefusedWithTheReason() throws {
        var a16 = AppendixA.packets.first { $0.name == "A16" }!.hex
        a16.replaceSubrange(a16.index(a16.startIndex, offsetBy: 4)..<a16.index(a16.startIndex, offsetBy: 44),
                            with: String(repeating: "ab", count: 20))
        let result = try NodeProcess.run(["decode", a16])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("unknown message id 1 for community abababab"), result.stderr)
    }

    func testADHTMessageIsDescribed() throws {
        let a16 = AppendixA.packets.first { $0.name == "A16" }!.hex
        let result = try NodeProcess.run(["decode", a16])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["messageName"] as? String, "dht-ping-request")
        XCTAssertEqual(json["signatureValid"] as? Bool, true)
        XCTAssertEqual((json["payload"] as? [String: Any])?["identifier"] as? Int, 513)
    }

    func testIntroductionRequestFieldsAreNamed() throws {
        let a1 = AppendixA.packets.first { $0.name == "A1" }!.hex
        let result = try NodeProcess.run(["decode"], input: a1 + "\n")   // from stdin
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["messageID"] as? Int, 246)
        XCTAssertEqual(json["mid"] as? String, "e0149866574a1f362cb7bced402a9c4986e1c16d")
        XCTAssertEqual(json["globalTime"] as? Int, 1)
        let payload = try XCTUnwrap(json["payload"] as? [String: Any])
        XCTAssertEqual(payload["destinationAddress"] as? String, "5.6.7.8:2002")
        XCTAssertEqual(payload["sourceLANAddress"] as? String, "192.168.1.10:1001")
        XCTAssertEqual(payload["identifier"] as? Int, 1)
    }

    func testAlteredSignatureIsReportedAsInvalid() throws {
        var a1 = Array(AppendixA.packets.first { $0.name == "A1" }!.hex)
        a1[a1.count - 1] = a1[a1.count - 1] == "0" ? "1" : "0"
        let result = try NodeProcess.run(["decode", String(a1)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"signatureValid\": false"), result.stdout)
    }

    func testJunkExitsNonZeroWithOneClearLine() throws {
        let cases: [(String, String)] = [
            ("zz", "not hexadecimal"),
            ("abc", "not hexadecimal"),
            ("00", "cannot decode packet (1 bytes)"),
            ("0002000102030405060708090a0b0c0d0e0f10111213f600", "cannot decode packet"),
            ("0002000102030405060708090a0b0c0d0e0f10111213ff00", "cannot decode packet"),   // deprecated id 255
        ]
        for (input, expected) in cases {
            let result = try NodeProcess.run(["decode", input])
            XCTAssertNotEqual(result.status, 0, input)
            XCTAssertTrue(result.stderr.contains(expected), "\(input): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result.stderr)")
            XCTAssertTrue(result.stdout.isEmpty, input)
        }
    }
}
