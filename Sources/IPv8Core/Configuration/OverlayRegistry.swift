/// The communities an application can load by name from a configuration (py-ipv8's `extra_communities`
/// plus its built-in table). The application fills it; nothing is registered by default except what the
/// engine itself provides.
public struct OverlayRegistry {
    /// Builds a community from its context and the configuration's `initialize` values.
    public typealias Factory = (CommunityContext, [String: JSONValue]) throws -> Community

    /// The registered factories by name (py-ipv8's `class` field).
    public private(set) var factories: [String: Factory] = [:]

    /// An empty registry; start from `builtIns` to have the engine's own communities.
    public init() {}

    /// Registers `name` (py-ipv8's `class` field) with a factory.
    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        factories[name] = factory
    }

    /// Registers a community type under its type name (or `name`), built by `make` from its context.
    public mutating func register<C: Community>(_ type: C.Type, name: String? = nil,
                                                _ make: @escaping (CommunityContext) throws -> C) {
        factories[name ?? String(describing: type)] = { context, _ in try make(context) }
    }

    /// The communities the engine itself provides: `DiscoveryCommunity`, `DHTCommunity` and
    /// `DHTDiscoveryCommunity`. Applications start from it and register their own.
    public static var builtIns: OverlayRegistry {
        var registry = OverlayRegistry()
        registry.register(DiscoveryCommunity.self) { try DiscoveryCommunity(context: $0) }
        registry.register(DHTCommunity.self) { try DHTCommunity(context: $0) }
        registry.register(DHTDiscoveryCommunity.self) { try DHTDiscoveryCommunity(context: $0) }
        return registry
    }

    /// py-ipv8's own overlay classes (its `_COMMUNITIES`) that swift-ipv8 does not provide: a configuration
    /// naming one is refused with a message saying so, or runs without it when unsupported overlays are
    /// skipped (``Configuration/skippingOverlays(unknownTo:)``).
    public static let unsupportedPyIPv8Classes: Set<String> = [
        "HiddenTunnelCommunity", "TunnelCommunity", "AttestationCommunity", "IdentityCommunity",
    ]

    /// What is wrong with an overlay class this registry does not know, for a configuration error.
    package func unknownClassProblem(_ className: String) -> String {
        if Self.unsupportedPyIPv8Classes.contains(className) {
            return "py-ipv8's \(className) is not supported by swift-ipv8 (remove the overlay, or skip unsupported overlays: ipv8-node run --skip-unsupported-overlays)"
        }
        return "unknown community \"\(className)\" (known: \(names.isEmpty ? "none registered" : names.joined(separator: ", ")))"
    }

    /// The registered names, sorted.
    public var names: [String] { factories.keys.sorted() }
}

extension Configuration {
    /// This configuration without the overlays whose class `registry` does not know, and a warning for each
    /// one left out (naming its index and class), for hosts that run what they can of a py-ipv8
    /// configuration (`ipv8-node run --skip-unsupported-overlays`).
    public func skippingOverlays(unknownTo registry: OverlayRegistry) -> (configuration: Configuration, warnings: [String]) {
        var kept = self
        kept.overlays = overlays.filter { registry.factories[$0.className] != nil }
        let warnings = overlays.enumerated().filter { registry.factories[$0.element.className] == nil }.map { i, overlay in
            "overlays[\(i)]: skipping \(overlay.className): " + (OverlayRegistry.unsupportedPyIPv8Classes.contains(overlay.className)
                ? "py-ipv8's \(overlay.className) is not supported by swift-ipv8" : "unknown community")
        }
        return (kept, warnings)
    }
}
