import Foundation
import IPv8TestSupport
import XCTest

/// `libipv8.so` exports the C API of `ipv8.h` and nothing else (`Sources/IPv8Embed/ipv8.exports`).
final class ExportedSymbolsTests: XCTestCase {
    func testTheLibraryExportsExactlyTheHeadersFunctions() throws {
        let library = EmbedHostTests.buildDirectory.appendingPathComponent("libipv8.so")
        guard FileManager.default.fileExists(atPath: library.path) else {
            return XCTFail("\(library.path) is missing: `swift build --build-tests` builds it")
        }
        guard let nm = EmbedHostTests.which("nm") else {
            return XCTFail("no nm on PATH (make deps installs binutils)")
        }
        let listing = try ChildProcess.run(URL(fileURLWithPath: nm), ["-D", "--defined-only", "--extern-only", library.path],
                                           timeout: 60)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let exported = Set(listing.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })

        let header = try String(contentsOf: EmbedHostTests.packageRoot.appendingPathComponent("Sources/IPv8Embed/include/ipv8.h"),
                                encoding: .utf8)
        // A declaration starts its line with the return type: `int ipv8_send(…`, `const char *ipv8_version(void);`.
        let declaration = try NSRegularExpression(pattern: #"^[A-Za-z_][A-Za-z0-9_ \*]*\b(ipv8_[a-z0-9_]+)\("#,
                                                  options: .anchorsMatchLines)
        let declared = Set(declaration.matches(in: header, range: NSRange(header.startIndex..., in: header)).compactMap {
            Range($0.range(at: 1), in: header).map { String(header[$0]) }
        })

        XCTAssertFalse(declared.isEmpty, "no declaration found in ipv8.h")
        XCTAssertEqual(exported, declared,
                       "exported but not declared: \(exported.subtracting(declared).sorted().prefix(10)); "
                           + "declared but not exported: \(declared.subtracting(exported).sorted())")
    }
}
