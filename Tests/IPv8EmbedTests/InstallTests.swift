import Foundation
import IPv8TestSupport
import XCTest

/// `make install-files` (what `make install` runs after its release build) into a staging directory
/// (DESTDIR) under a prefix; a C host built with `pkg-config --cflags --libs ipv8` against that copy runs; the
/// library has its soname and the header's version is the library's and the .pc file's.
final class InstallTests: XCTestCase {
    private var stage: URL!

    override func setUpWithError() throws {
        if let sanitizer = ProcessInfo.processInfo.environment["IPV8_SANITIZER"], !sanitizer.isEmpty {
            throw XCTSkip("C hosts are not built under the \(sanitizer) sanitizer (make sanitize)")
        }
        stage = FileManager.default.temporaryDirectory.appendingPathComponent("ipv8-install-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let stage { try? FileManager.default.removeItem(at: stage) }
    }

    func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let path = try XCTUnwrap(tool.hasPrefix("/") ? tool : EmbedHostTests.which(tool),
                                 "\(tool) is not installed (make deps installs it)")
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let result = try ChildProcess.run(URL(fileURLWithPath: path), arguments, environment: env, timeout: 120)
        guard result.status == 0, !result.timedOut else {
            throw ChildFailed(description: "\(tool) \(arguments.joined(separator: " ")) failed (\(result.status)):\n\(result.stdout)\(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct ChildFailed: Error, CustomStringConvertible { var description: String }

    func testAnInstalledCopyBuildsAndRunsACHostThroughPkgConfig() throws {
        let built = EmbedHostTests.buildDirectory
        guard FileManager.default.fileExists(atPath: built.appendingPathComponent("libipv8.so").path) else {
            return XCTFail("libipv8.so is missing next to the test bundle: `swift build --build-tests` builds it")
        }
        let prefix = "/opt/ipv8-test"
        _ = try run("make", ["-C", EmbedHostTests.packageRoot.path, "--no-print-directory", "install-files",
                             "BUILT=\(built.path)", "PREFIX=\(prefix)", "DESTDIR=\(stage.path)"])
        let lib = stage.appendingPathComponent("opt/ipv8-test/lib")
        let version = try run("sed", ["-n", #"s/^#define IPV8_VERSION_STRING "\(.*\)"/\1/p"#,
                                      EmbedHostTests.packageRoot.appendingPathComponent("Sources/IPv8Embed/include/ipv8.h").path])
        let major = try XCTUnwrap(version.split(separator: ".").first)
        for name in ["libipv8.so.\(version)", "libipv8.so.\(major)", "libipv8.so", "pkgconfig/ipv8.pc"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: lib.appendingPathComponent(name).path), "\(name) not installed")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: stage.appendingPathComponent("opt/ipv8-test/include/ipv8.h").path))
        let dynamic = try run("readelf", ["-d", lib.appendingPathComponent("libipv8.so.\(version)").path])
        XCTAssertTrue(dynamic.contains("Library soname: [libipv8.so.\(major)]"), dynamic)

        // pkg-config reads the staged .pc; the sysroot maps the prefix's paths into the staging directory.
        let pkg = ["PKG_CONFIG_PATH": lib.appendingPathComponent("pkgconfig").path, "PKG_CONFIG_SYSROOT_DIR": stage.path]
        XCTAssertEqual(try run("pkg-config", ["--modversion", "ipv8"], environment: pkg), version)
        let flags = try run("pkg-config", ["--cflags", "--libs", "ipv8"], environment: pkg).split(separator: " ").map(String.init)
        XCTAssertTrue(flags.contains("-I\(stage.path)\(prefix)/include"), "\(flags)")
        let host = stage.appendingPathComponent("host"), versionProgram = stage.appendingPathComponent("version")
        let source = EmbedHostTests.packageRoot.appendingPathComponent("Tests/IPv8EmbedTests/host/host.c").path
        _ = try run("cc", ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Werror", source, "-o", host.path,
                           "-pthread"] + flags)
        XCTAssertTrue(try run("readelf", ["-d", host.path]).contains("Shared library: [libipv8.so.\(major)]"),
                      "the host records the soname, not the file name")
        let versionSource = stage.appendingPathComponent("version.c")
        try #"""
            #include <stdio.h>
            #include <string.h>
            #include <ipv8.h>
            int main(void) {
                printf("%s %s %d\n", IPV8_VERSION_STRING, ipv8_version(), IPV8_VERSION_MAJOR);
                return strcmp(IPV8_VERSION_STRING, ipv8_version()) != 0;
            }
            """#.write(to: versionSource, atomically: true, encoding: .utf8)
        _ = try run("cc", ["-std=c11", "-Wall", "-Werror", versionSource.path, "-o", versionProgram.path] + flags)
        let loader = ["LD_LIBRARY_PATH": lib.path]
        XCTAssertEqual(try run(versionProgram.path, [], environment: loader), "\(version) \(version) \(major)")
        let output = try run(host.path, [], environment: loader)
        XCTAssertTrue(output.contains("ALL PASSED"), output)
    }
}
