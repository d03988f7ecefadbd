import Foundation
import IPv8Testing
import XCTest
@testable import IPv8Core

/// Legacy EC keys against vectors py-ipv8 3.2.1 made (`default_eccrypto.generate_key(level)`, and
/// `OpenSSLSK.generate("sect571r1")`; message `swift-ipv8`): parse, re-encode byte for byte, mid, verify
/// py-ipv8's signatures, sign ours, and refuse every bad input by a thrown error, never a crash.
final class ECKeyTests: XCTestCase {
    struct ECVector {
        var curve: ECCurve
        var privateBin: String
        var publicBin: String
        var mid: String
        var signature: String
    }

    static let message = Array("swift-ipv8".utf8)
    static let vectors: [ECVector] = [
        ECVector(curve: .sect163k1,
                 privateBin: "30530201010415001198ec48212d2d6a4257c1ba23eda53ab253d4d8a00706052b81040001a12e032c0004023d05e4eed1183dbecc31254f0bbf82c7d2e32a4c03385da63a5381538f00d8900d3bf9c00b366d3ae9",
                 publicBin: "3040301006072a8648ce3d020106052b81040001032c0004023d05e4eed1183dbecc31254f0bbf82c7d2e32a4c03385da63a5381538f00d8900d3bf9c00b366d3ae9",
                 mid: "5dc45edea6299ad4ef6260ce86092e29c70f49cf",
                 signature: "01a544cb8392d305a4fa25881269d7a4e9c19f3c2f00bbcbdb11cb55b2788b5307fc884e465af6957843"),
        ECVector(curve: .sect233k1,
                 privateBin: "306d020101041d414e67089a72ab639d114aa7efc31e99231107df5cba65b49f6f4566aea00706052b8104001aa140033e000400158c99518cb2879524038e840819174fd4bd5eb5ca886ab77266fe7a880021af1794ced725092f25061aece2de646654aa94ecd745cef4dda0921c",
                 publicBin: "3052301006072a8648ce3d020106052b8104001a033e000400158c99518cb2879524038e840819174fd4bd5eb5ca886ab77266fe7a880021af1794ced725092f25061aece2de646654aa94ecd745cef4dda0921c",
                 mid: "8cd7ef60557f477ed448f478037a43c9128b0104",
                 signature: "005d31c2fbc9efe92bca5eb39c3d4f9e80ce759e38372794bd4a8c26570d00654bdab1fbd2ca3e9482185887f28a4c0eca45924199439f37bb94bc15"),
        ECVector(curve: .sect409k1,
                 privateBin: "3081af0201010433491c03cbfd3b1801935f9201025781fe60bbfa4910b5952e15413ca1b0971bc324b88ca9cb42438fc073444084565d2eae1e85a00706052b81040024a16c036a0004002a117a798a37786a821d3066bef6ad339a1c85301082655b9c1d697f65ae8b236f2d999a908bd1dff1d863f3e9ac23a2da1dd60041fa8066bbfb8c612f2bd4c089d518212dec76a73efb065aa520f8ba440e7b4eb5b8ebbf0c6e887e6a0efbe8928dbbae2ff19d",
                 publicBin: "307e301006072a8648ce3d020106052b81040024036a0004002a117a798a37786a821d3066bef6ad339a1c85301082655b9c1d697f65ae8b236f2d999a908bd1dff1d863f3e9ac23a2da1dd60041fa8066bbfb8c612f2bd4c089d518212dec76a73efb065aa520f8ba440e7b4eb5b8ebbf0c6e887e6a0efbe8928dbbae2ff19d",
                 mid: "71a3e2c5e00af88a9d0242ad90afb2166b39c7c0",
                 signature: "007e4a8a00fd3efdd13af1ae5f36e35641d9aa6155fdf36b30a7bdcdf011273eae4e666fb13335988ed46eb39622af56dacf1d2c0024f555a94767c74a8bf074e7a656c63d693e49b075f1d007723a882d60af04af06ea1e1d2a1cb27f909848e58b86e456c9a0da"),
        ECVector(curve: .sect571k1,
                 privateBin: "3081ee0201010448015b6a06744efedde5366de18e42322edce7be359d94d67b028fb8127e403c8b62cdc14032df29b1bb75b0f867649d951333cc05cc3a1116f8f610777d7a9b16821e8cf6fddba033a00706052b81040026a18195038192000402837c13ae4ac66626796805bfa80a89523cbf2279753329d0fd160afdd0976103db15fb78f8e45ebdf6a84ac3b069a5c2f1f0b41de66144423c747d0716d122a9d7814ac4ce095a02645dcc4128f163bf54c05354d57540bad9af5f91b5b29a01b9d073a68603a4032c2b229fe91ed038bea731d47a6c823bcd18aaecc0a33787d433892ba97d42cd378f0514a5db3b",
                 publicBin: "3081a7301006072a8648ce3d020106052b81040026038192000402837c13ae4ac66626796805bfa80a89523cbf2279753329d0fd160afdd0976103db15fb78f8e45ebdf6a84ac3b069a5c2f1f0b41de66144423c747d0716d122a9d7814ac4ce095a02645dcc4128f163bf54c05354d57540bad9af5f91b5b29a01b9d073a68603a4032c2b229fe91ed038bea731d47a6c823bcd18aaecc0a33787d433892ba97d42cd378f0514a5db3b",
                 mid: "41fcdc1a0b3645fb925b06f2b5182034d776e918",
                 signature: "017cffd1e910d7f5d3fd1a5863771e23ad0fcdf3ed12b92bfb516dbb2ed010ba2e253047138e9c2a59d1924104897815260ba47cbe07938c3ceb33978275c98b9d13d6ee196240d4004f2d6d03e6e78b1962deb333ccd33f25fb769009d941c13670e52e58950f8e89f50dbd1268c66877f0ba8e05f66e920ef6a42eb87777e3e87df083c5ae315a155d80ced46bd35c"),
        ECVector(curve: .sect571r1,
                 privateBin: "3081ee0201010448017a692cb7744401a98b99ad895045880948e704d6c9c9e8b6f87510baefac3b5ad0b9d4b0bbafced9f81cc1df4ebb542c94c0cf58b8d6f30e36fa9b5cc924f8a671fd2731edce6ba00706052b81040027a181950381920004032faa628ea2806eefc45e6e9e2f0af12b11adf8addd73648cc7535aa6a2829f3e72e88bc7c4b986fc8b6d4aa61b46208af9328a829c605b1bc5984631fcaec1e869ea0b2557a9f705483d263a305d27b96e341f25becd8a7351754f8d40ef5e4044f6d60aac18c625150f5748dc2005c9347351a1026bf34a248b1c55e54e175548edcb4aa14dea842bc2b26ba8f170",
                 publicBin: "3081a7301006072a8648ce3d020106052b810400270381920004032faa628ea2806eefc45e6e9e2f0af12b11adf8addd73648cc7535aa6a2829f3e72e88bc7c4b986fc8b6d4aa61b46208af9328a829c605b1bc5984631fcaec1e869ea0b2557a9f705483d263a305d27b96e341f25becd8a7351754f8d40ef5e4044f6d60aac18c625150f5748dc2005c9347351a1026bf34a248b1c55e54e175548edcb4aa14dea842bc2b26ba8f170",
                 mid: "8a0db7a8dcc466bc286e3cac606dea02344fe966",
                 signature: "010e14745e68b449fb772533fccec39cd9b4d5733a4999c6e0d3aa57ccf004c3c651ea556d3f99d1b580d52efa6a9eb0f62c2a9b8164642bc0ca24e0df68d521ca0a8a410cca066103b796a12b31de0c7cc27d54bc5425058bf0ab624118abd547dfc8633cce4d2a480178866326183b25593532d6fe19bc91a96300239453c04e1910d06766df8f9b6ab5f10b58b4f2")
    ]

    /// A prime256v1 public key (made with `openssl ec -pubout`): a fine key on a curve py-ipv8 never uses.
    static let prime256v1PublicBin = "3059301306072a8648ce3d020106082a8648ce3d0301070342000451b907df7f92742b9b2f6f6959f59c422cc5138d8fadf4d83a0dcfa47d5c337f4c0ce2b1ff34de25d4e3100e1d9217b2b4828e00518b57c3ecfb2cd4ec245eb2"

    private func hex(_ text: String) -> [UInt8] { bytes(fromHex: text)! }

    func testPyIPv8KeysParseAndReencodeByteForByte() throws {
        for vector in Self.vectors {
            let privateKey = try ECPrivateKey(bin: hex(vector.privateBin))
            XCTAssertEqual(privateKey.curve, vector.curve)
            XCTAssertEqual(privateKey.bin, hex(vector.privateBin), "\(vector.curve)")
            XCTAssertEqual(privateKey.publicKey.bin, hex(vector.publicBin), "\(vector.curve)")
            let publicKey = try ECPublicKey(bin: hex(vector.publicBin))
            XCTAssertEqual(publicKey, privateKey.publicKey)
            XCTAssertEqual(Hex.encode(publicKey.mid), vector.mid)
            XCTAssertEqual(publicKey.signatureLength, hex(vector.signature).count)
        }
        XCTAssertEqual(Self.vectors.map { hex($0.publicBin).count }, [66, 84, 128, 170, 170])
        XCTAssertEqual(Self.vectors.map { hex($0.signature).count }, [42, 60, 104, 144, 144])
    }

    func testPyIPv8SignaturesVerifyAndEveryBitFlipOrTruncationIsRefused() throws {
        for vector in Self.vectors {
            let key = try ECPublicKey(bin: hex(vector.publicBin))
            let signature = hex(vector.signature)
            XCTAssertTrue(key.verify(signature: signature, message: Self.message), "\(vector.curve)")
            XCTAssertFalse(key.verify(signature: signature, message: Self.message + [0]))
            for i in 0..<signature.count {
                var flipped = signature
                flipped[i] ^= 0x01
                XCTAssertFalse(key.verify(signature: flipped, message: Self.message), "\(vector.curve) byte \(i)")
            }
            for length in 0..<signature.count {
                XCTAssertFalse(key.verify(signature: Array(signature.prefix(length)), message: Self.message))
            }
            XCTAssertFalse(key.verify(signature: signature + [0], message: Self.message))
        }
    }

    func testOurSignaturesVerifyAndHaveTheCurvesLength() throws {
        for vector in Self.vectors {
            let key = try ECPrivateKey(bin: hex(vector.privateBin))
            let signature = try key.sign(Self.message)
            XCTAssertEqual(signature.count, vector.curve.signatureLength)
            XCTAssertTrue(key.publicKey.verify(signature: signature, message: Self.message))
            XCTAssertFalse(key.publicKey.verify(signature: signature, message: Array("swift-ipv9".utf8)))
        }
    }

    func testGeneratedKeysRoundTripOnEveryCurve() throws {
        for curve in ECCurve.allCases {
            let key = try ECPrivateKey.generate(curve: curve)
            XCTAssertEqual(key.curve, curve)
            let again = try ECPrivateKey(bin: key.bin)
            XCTAssertEqual(again.bin, key.bin)
            XCTAssertEqual(again.publicKey, key.publicKey)
            XCTAssertTrue(again.publicKey.verify(signature: try key.sign(Self.message), message: Self.message))
        }
        XCTAssertEqual(ECCurve(generation: "very-low"), .sect163k1)
        XCTAssertEqual(ECCurve(generation: "high"), .sect571k1, "what py-ipv8 3.2.1 generates")
        XCTAssertNil(ECCurve(generation: "curve25519"))
    }

    func testMalformedTruncatedTrailingAndForeignBinsAreRefusedByName() throws {
        let vector = Self.vectors[0]
        let publicBin = hex(vector.publicBin), privateBin = hex(vector.privateBin)
        for length in 0..<publicBin.count {
            XCTAssertThrowsError(try ECPublicKey(bin: Array(publicBin.prefix(length))), "length \(length)")
        }
        for length in 0..<privateBin.count {
            XCTAssertThrowsError(try ECPrivateKey(bin: Array(privateBin.prefix(length))), "length \(length)")
        }
        XCTAssertThrowsError(try ECPublicKey(bin: publicBin + [0])) { error in
            guard case .malformedDER = error as? KeyError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ECPrivateKey(bin: privateBin + [0]))
        XCTAssertThrowsError(try ECPublicKey(bin: Vectors.keyA.publicKey.bin), "a LibNaCL bin is not DER")
        XCTAssertThrowsError(try ECPublicKey(bin: hex(Self.prime256v1PublicBin))) { error in
            XCTAssertEqual(error as? KeyError, .unsupportedCurve("prime256v1"))
            XCTAssertTrue("\(error)".contains("prime256v1"))
        }
        // Every single-bit flip of a public bin either fails to parse or parses to a different key.
        for i in 0..<publicBin.count {
            var flipped = publicBin
            flipped[i] ^= 0x01
            if let key = try? ECPublicKey(bin: flipped) {
                XCTAssertNotEqual(key.bin, publicBin)
            }
        }
    }
}

/// EC keys as the engine uses them: a `PrivateKey`/`PublicKey` of the EC kind signs packets that the
/// signed-packet view verifies, and key files hold py-ipv8's DER.
final class ECEngineKeyTests: XCTestCase {
    func testPyIPv8PrivateBinsLoadAsEngineKeysWithTheSameMid() throws {
        for vector in ECKeyTests.vectors {
            let key = try PrivateKey(bin: bytes(fromHex: vector.privateBin)!)
            XCTAssertEqual(key.ec?.curve, vector.curve)
            XCTAssertEqual(Hex.encode(key.mid), vector.mid)
            XCTAssertEqual(key.bin, bytes(fromHex: vector.privateBin)!)
            XCTAssertEqual(key.signatureLength, vector.curve.signatureLength)
            XCTAssertEqual(try PublicKey(bin: bytes(fromHex: vector.publicBin)!), key.publicKey)
        }
    }

    func testEveryCurveSignsPacketsTheSignedPacketViewVerifies() throws {
        for curve in ECCurve.allCases {
            let key = try PrivateKey.generate(curve: curve)
            let packet = PacketEncoder.coreSigned(PingPayload(identifier: 7), prefix: Vectors.testPrefix,
                                                  globalTime: 3, key: key)
            try packet.withUnsafeBytes { raw in
                let view = try SignedPacketView(raw)
                XCTAssertEqual(view.signature.count, curve.signatureLength)
                XCTAssertEqual(Array(view.keyBin), key.publicKey.bin)
                XCTAssertTrue(view.verify(), "\(curve)")
                XCTAssertEqual(try view.decodeCore(PingPayload.self).payload.identifier, 7)
                XCTAssertEqual(try view.publicKey().mid, key.mid)
            }
            var forged = packet
            forged[forged.count - 1] ^= 0x01
            try forged.withUnsafeBytes { raw in XCTAssertFalse(try SignedPacketView(raw).verify()) }
        }
    }

    func testKeyFilesOfEveryGenerationHoldPyIPv8sDERAndLoadAgain() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ec-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for generation in ECCurve.generationNames {
            let path = directory.appendingPathComponent("\(generation).pem").path
            let key = try KeyFile.loadOrGenerate(alias: "me", generation: generation, file: path)
            XCTAssertEqual(key.ec?.curve, ECCurve(generation: generation))
            let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertEqual(onDisk, key.bin, "the raw DER private bin, as py-ipv8 writes it")
            XCTAssertEqual(try KeyFile.load(path).mid, key.mid)
        }
        XCTAssertThrowsError(try KeyFile.loadOrGenerate(alias: "me", generation: "ultra")) { error in
            XCTAssertTrue("\(error)".contains("ultra") && "\(error)".contains("very-low"), "\(error)")
        }
    }
}
