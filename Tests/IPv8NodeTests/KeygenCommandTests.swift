import Foundation
import IPv8
import XCTest

final class KeygenCommandTests: XCTestCase {
    func testKeygenWritesAPyIPv8KeyFileThatLoadsWithTheSameMid() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keygen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ec_multichain.pem").path

        let result = try NodeProcess.run(["keygen", "--out", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(bytes.count, 74)
        XCTAssertEqual(Array(bytes.prefix(10)), Array("LibNaCLSK:".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let key = try KeyFile.load(path)
        XCTAssertTrue(result.stdout.contains("mid: \(Hex.encode(key.mid))"), result.stdout)

        let again = try NodeProcess.run(["keygen", "--out", path])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        XCTAssertEqual(try KeyFile.load(path).mid, key.mid, "the existing key must be untouched")
    }

    func testKeygenCurveWritesALegacyECKeyFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keygen-ec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tracker.pem").path

        let result = try NodeProcess.run(["keygen", "--out", path, "--curve", "very-low"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let key = try KeyFile.load(path)
        XCTAssertEqual(key.ec?.curve, .sect163k1)
        XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))).count, 85, "SEC1 DER, as py-ipv8 writes")
        XCTAssertTrue(result.stdout.contains("mid: \(Hex.encode(key.mid))"), result.stdout)

        let bad = try NodeProcess.run(["keygen", "--out", path + ".2", "--curve", "ultra"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--curve") && bad.stderr.contains("ultra"), bad.stderr)
    }
}
