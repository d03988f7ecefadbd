// swift-tools-version:6.1
import PackageDescription

/// This manifest's folder: linker flags name files in it by absolute path, whatever folder the link runs in.
let packageDirectory = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "swift-ipv8",
    products: [
        .library(name: "IPv8Core", targets: ["IPv8Core"]),
        .library(name: "IPv8", targets: ["IPv8"]),
        .library(name: "IPv8Testing", targets: ["IPv8Testing"]),
        .library(name: "IPv8REST", targets: ["IPv8REST"]),
        .library(name: "IPv8Lifecycle", targets: ["IPv8Lifecycle"]),
        .library(name: "ipv8", type: .dynamic, targets: ["IPv8Embed"]),
        .executable(name: "ipv8-node", targets: ["ipv8-node"]),
        .executable(name: "ipv8-bench", targets: ["ipv8-bench"]),
        .executable(name: "ipv8-examples", targets: ["ipv8-examples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        // Without Hummingbird's default traits (FullFoundation, ConfigurationSupport): the REST API needs neither, and
        // full Foundation (with ICU) costs a node binary about 6 MB of resident memory (FoundationEssentials does).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibUV",
            path: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            path: "Sources/CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // sendmmsg(2), which Swift's Glibc module does not show: the UDP endpoint's batched replies.
        .target(name: "CUDPBatch"),
        // The sans-IO protocol core: wire format, keys, peers, communities, strategies, configuration.
        // It must never depend on CLibUV, not even transitively.
        .target(
            name: "IPv8Core",
            dependencies: [
                "CSodium",
                "CLibCrypto",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The libuv shell: loop, socket, timers, DNS, the service; re-exports IPv8Core.
        .target(
            name: "IPv8",
            dependencies: [
                "IPv8Core",
                "CLibUV",
                "CUDPBatch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "IPv8Testing",
            dependencies: ["IPv8Core", "IPv8", .product(name: "Logging", package: "swift-log"),
                           .product(name: "HeapModule", package: "swift-collections")]
        ),
        // py-ipv8's REST API over HTTP (Hummingbird), in a product of its own so that users of the engine
        // alone do not build an HTTP server.
        .target(
            name: "IPv8REST",
            dependencies: [
                "IPv8",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The node as a swift-service-lifecycle Service, for Swift hosts with a ServiceGroup.
        .target(
            name: "IPv8Lifecycle",
            dependencies: ["IPv8", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .target(
            name: "IPv8Embed",
            dependencies: ["IPv8"],
            exclude: ["include", "ipv8.pc.in", "ipv8.exports"],
            // The soname C hosts record: libipv8.so.<IPV8_VERSION_MAJOR> (make install adds the links), and
            // the symbols the library exports: the C API only (ipv8.exports). SwiftPM passes a target's linker
            // settings to every product that links it; the test bundle and the snippets export nothing anyway.
            linkerSettings: [
                .unsafeFlags([
                    "-Xlinker", "-soname=libipv8.so.0",
                    "-Xlinker", "--version-script=\(packageDirectory)/Sources/IPv8Embed/ipv8.exports",
                ])
            ]
        ),
        .target(
            name: "CReferenceReceiver",
            dependencies: ["CLibUV"]
        ),
        .executableTarget(
            name: "ipv8-bench",
            dependencies: [
                "IPv8",
                "IPv8Testing",
                "CReferenceReceiver",
                "CSodium",
                "CLibCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ipv8-node",
            dependencies: [
                "IPv8",
                "IPv8REST",
                "IPv8Lifecycle",
                "IPv8Testing",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ipv8-examples",
            dependencies: [
                "IPv8",
                "IPv8Testing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Our test targets' shared helpers (child processes); not a product.
        .target(
            name: "IPv8TestSupport",
            dependencies: [
                "IPv8Core",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "IPv8TestingTests",
            dependencies: ["IPv8Testing", "IPv8", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IPv8RESTTests",
            dependencies: ["IPv8REST", "IPv8", "IPv8Testing", "IPv8TestSupport",
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "MetricsTestKit", package: "swift-metrics")]
        ),
        .testTarget(
            name: "IPv8LifecycleTests",
            dependencies: ["IPv8Lifecycle", "IPv8", "IPv8Testing",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IPv8EmbedTests",
            dependencies: ["IPv8Embed", "IPv8TestSupport"],
            exclude: ["host"]
        ),
        .testTarget(
            name: "IPv8ExamplesTests",
            dependencies: ["ipv8-examples", "IPv8TestSupport"]
        ),
        .testTarget(
            name: "IPv8NodeTests",
            dependencies: ["ipv8-node", "IPv8", "IPv8TestSupport"]
        ),
        .testTarget(
            name: "IPv8CoreTests",
            dependencies: ["IPv8Core", "IPv8Testing", "IPv8TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IPv8Tests",
            dependencies: ["IPv8", "IPv8Testing", "IPv8TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
