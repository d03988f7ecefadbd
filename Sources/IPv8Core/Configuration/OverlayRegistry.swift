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

    /// The communities the engine itself provides: `DiscoveryCommunity`. Applications start from it and
    /// register their own.
    public static var builtIns: OverlayRegistry {
        var registry = OverlayRegistry()
        registry.register(DiscoveryCommunity.self) { try DiscoveryCommunity(context: $0) }
        return registry
    }

    /// The registered names, sorted.
    public var names: [String] { factories.keys.sorted() }
}
