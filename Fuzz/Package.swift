// swift-tools-version:6.0
// libFuzzer targets for swift-ipv8's core. Separate from the main package because each target's entry
// point is libFuzzer's driver (each target's top-level code calls FuzzKit's `runFuzzer`): build with `make fuzz` (swift build -Xswiftc -sanitize=fuzzer,address here).
import PackageDescription

let package = Package(
    name: "swift-ipv8-fuzz",
    dependencies: [
        .package(path: "swift-ipv8"),   // a link to the repository root, so the identity is fixed
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzKit", dependencies: ["CFuzzDriver", .product(name: "IPv8Core", package: "swift-ipv8")]),
        .executableTarget(name: "FuzzDatagram", dependencies: ["FuzzKit", .product(name: "IPv8Core", package: "swift-ipv8")]),
        .executableTarget(name: "FuzzConfiguration", dependencies: ["FuzzKit", .product(name: "IPv8Core", package: "swift-ipv8")]),
        .executableTarget(name: "FuzzKeys", dependencies: ["FuzzKit", .product(name: "IPv8Core", package: "swift-ipv8")]),
        .executableTarget(name: "FuzzSnapshot", dependencies: ["FuzzKit", .product(name: "IPv8Core", package: "swift-ipv8")]),
        .executableTarget(name: "FuzzREST", dependencies: [
            "FuzzKit",
            .product(name: "IPv8REST", package: "swift-ipv8"),
            .product(name: "IPv8Testing", package: "swift-ipv8"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
    ]
)
