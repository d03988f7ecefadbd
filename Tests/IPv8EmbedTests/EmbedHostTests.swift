import Foundation
import IPv8TestSupport
import XCTest

/// Builds `host/host.c` with `cc` against `libipv8.so` and runs it, plain and under valgrind.
///
/// The library is the SwiftPM product `ipv8` (`.dynamic`). `swift build --build-tests` and `swift test` build
/// every product, so `libipv8.so` sits next to this test bundle in `.build/<triple>/debug`; the test never runs
/// a nested `swift build`. When the library is missing it fails with the command that builds it.
final class EmbedHostTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let expectedLines = [
        "ok bad arguments return errors",
        "ok discovery: A and B know each other",
        "ok calls from callbacks and foreign threads are refused",
        "ok peers list",
        "ok strategy stopped at its target",
        "ok A's C handler got B's signed message",
        "ok B's C handler (driven by poll) got A's raw message",
        "ALL PASSED",
    ]

    /// The directory of the running test bundle, where SwiftPM puts `libipv8.so`.
    static var buildDirectory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent()
    }

    private var workDirectory: URL!

    override func setUpWithError() throws {
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-embed-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workDirectory)
    }

    func testTheCHostRunsTwoNodesThreadedAndPollDriven() throws {
        let host = try buildHost()
        let result = try run(host.path, [], timeout: 60)
        XCTAssertEqual(result.status, 0, "host failed:\n\(result.output)")
        for line in Self.expectedLines {
            XCTAssertTrue(result.output.contains(line), "missing \"\(line)\" in:\n\(result.output)")
        }
    }

    func testTheCHostHasNoDefiniteLeaksOrInvalidAccessesUnderValgrind() throws {
        guard let valgrind = Self.which("valgrind") else {
            throw XCTSkip("valgrind is not installed (make deps installs it)")
        }
        let host = try buildHost()
        let suppressions = Self.packageRoot.appendingPathComponent("Tests/valgrind/swift-runtime.supp").path
        let result = try run(valgrind, ["--leak-check=full", "--show-leak-kinds=definite",
                                        "--errors-for-leak-kinds=definite", "--error-exitcode=9",
                                        "--suppressions=\(suppressions)", host.path], timeout: 300)
        XCTAssertEqual(result.status, 0, "valgrind reported errors or the host failed:\n\(result.output)")
        XCTAssertTrue(result.output.contains("ALL PASSED"), result.output)
        XCTAssertTrue(result.output.contains("definitely lost: 0 bytes") || result.output.contains("All heap blocks were freed"),
                      result.output)
        XCTAssertTrue(result.output.contains("ERROR SUMMARY: 0 errors"), result.output)
    }

    // MARK: Helpers

    /// Compiles host.c with warnings as errors and returns the binary.
    private func buildHost() throws -> URL {
        let libDirectory = Self.buildDirectory
        let library = libDirectory.appendingPathComponent("libipv8.so")
        guard FileManager.default.fileExists(atPath: library.path) else {
            XCTFail("""
                \(library.path) is missing. Build it before the tests: `swift build --build-tests` (or `make embed`, \
                or `swift build --product ipv8`).
                """)
            throw XCTSkip("libipv8.so missing")
        }
        if let sanitizer = ProcessInfo.processInfo.environment["IPV8_SANITIZER"], !sanitizer.isEmpty {
            // libipv8.so is then built with Swift's sanitizer runtime, which cc cannot link a plain C host against.
            throw XCTSkip("the C host is not built under the \(sanitizer) sanitizer (make sanitize)")
        }
        guard let cc = Self.which("cc") else {
            XCTFail("no C compiler (cc) on PATH")
            throw XCTSkip("cc missing")
        }
        // The host records the soname (libipv8.so.0), which SwiftPM's build folder has no link for.
        try FileManager.default.createSymbolicLink(at: workDirectory.appendingPathComponent("libipv8.so.0"),
                                                   withDestinationURL: library)
        let output = workDirectory.appendingPathComponent("host")
        let source = Self.packageRoot.appendingPathComponent("Tests/IPv8EmbedTests/host/host.c").path
        let include = Self.packageRoot.appendingPathComponent("Sources/IPv8Embed/include").path
        let result = try run(cc, ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Werror", "-g",
                                  source, "-I", include, "-L", libDirectory.path, "-lipv8",
                                  "-Wl,-rpath,\(workDirectory.path)", "-pthread", "-o", output.path], timeout: 120)
        guard result.status == 0 else {
            XCTFail("cc failed:\n\(result.output)")
            throw XCTSkip("host.c did not compile")
        }
        return output
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable`, killing it after `timeout` seconds; stdout and stderr together.
    private func run(_ executable: String, _ arguments: [String], timeout: TimeInterval) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(URL(fileURLWithPath: executable), arguments, timeout: timeout)
        let text = result.stdout + result.stderr
        if result.timedOut {
            XCTFail("\(executable) timed out after \(timeout) s:\n\(text)")
            return (-1, text)
        }
        return (result.status, text)
    }
}
