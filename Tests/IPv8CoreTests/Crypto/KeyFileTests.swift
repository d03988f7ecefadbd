import IPv8Testing
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import IPv8Core

final class KeyFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/ipv8-keyfile-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        directory = try String(cString: XCTUnwrap(made))
    }

    override func tearDown() {
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(directory)
    }

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        stat(path, &st)
        return st.st_mode & 0o777
    }

    func testWriteThenLoad() throws {
        let path = directory + "/ec_multichain.pem"
        let key = PrivateKey.generate()
        try KeyFile.write(key, to: path)
        XCTAssertEqual(mode(path), 0o600)
        let loaded = try KeyFile.load(path)
        XCTAssertEqual(loaded.bin, key.bin)
        XCTAssertEqual(loaded.mid, key.mid)
        XCTAssertEqual(try KeyFile.readFile(path), key.bin, "the file holds the raw 74-byte bin")
    }

    func testLoadErrorsNameThePath() throws {
        let missing = directory + "/nope.pem"
        XCTAssertThrowsError(try KeyFile.load(missing)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains(missing), text)
            XCTAssertTrue(text.contains("No such file"), text)
        }
        let junk = directory + "/junk.pem"
        let fd = open(junk, O_WRONLY | O_CREAT, 0o600)
        _ = write(fd, "-----BEGIN EC PRIVATE KEY-----", 30)
        close(fd)
        XCTAssertThrowsError(try KeyFile.load(junk)) { error in
            XCTAssertEqual(error as? KeyError, .badFileContent(
                path: junk, reason: "EC key bin is not valid DER: not an EC private key of exactly 30 byte(s)"))
        }
    }

    func testLoadOrGenerate() throws {
        let path = directory + "/key.bin"
        let generated = try KeyFile.loadOrGenerate(alias: "anonymous id", generation: "curve25519", file: path)
        let again = try KeyFile.loadOrGenerate(alias: "anonymous id", generation: "curve25519", file: path)
        XCTAssertEqual(again.mid, generated.mid, "an existing file wins")

        let fromBin = try KeyFile.loadOrGenerate(alias: "a", file: "", bin: Base64.encode(Vectors.keyA.bin))
        XCTAssertEqual(hexString(fromBin.mid), Vectors.keyAMid)

        let binPath = directory + "/from-bin.pem"
        _ = try KeyFile.loadOrGenerate(alias: "a", file: binPath, bin: Base64.encode(Vectors.keyB.bin))
        XCTAssertEqual(hexString(try KeyFile.load(binPath).mid), Vectors.keyBMid, "bin is written to file")

        XCTAssertNotEqual(try KeyFile.loadOrGenerate(alias: "x").mid, generated.mid)

        XCTAssertEqual(try KeyFile.loadOrGenerate(alias: "x", generation: "low").ec?.curve, .sect233k1)
        XCTAssertThrowsError(try KeyFile.loadOrGenerate(alias: "x", generation: "lowest")) { error in
            XCTAssertEqual(String(describing: error),
                           "unknown key generation 'lowest' (known: curve25519, very-low, low, medium, high)")
        }
        XCTAssertThrowsError(try KeyFile.loadOrGenerate(alias: "x", bin: "!!!")) { error in
            XCTAssertEqual(error as? KeyError, .badConfiguredBin(alias: "x", reason: "not valid base64"))
        }
        XCTAssertThrowsError(try KeyFile.loadOrGenerate(alias: "x", file: "/nonexistent-dir/k.pem")) { error in
            XCTAssertTrue(String(describing: error).contains("/nonexistent-dir/k.pem"))
        }
    }

    func testBase64() {
        XCTAssertEqual(Base64.encode(Array("foob".utf8)), "Zm9vYg==")
        XCTAssertEqual(Base64.decode("Zm9vYg=="), Array("foob".utf8))
        XCTAssertEqual(Base64.decode("Zm9vYmE="), Array("fooba".utf8))
        XCTAssertEqual(Base64.decode("Zm9v\nYmFy"), Array("foobar".utf8))
        XCTAssertNil(Base64.decode("Zm9vY"))
        XCTAssertNil(Base64.decode("Zm=9v"))
        let key = Vectors.keyC.bin
        XCTAssertEqual(Base64.decode(Base64.encode(key)), key)
    }
}
