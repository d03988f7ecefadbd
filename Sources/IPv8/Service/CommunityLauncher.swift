import IPv8Core
/// A community that can be built from a context alone, so a launcher needs nothing but its type.
public protocol LaunchableCommunity: Community {
    /// Builds the community from `context` alone (key, endpoint, peer table, clock, peer cap, bootstrappers).
    init(context: CommunityContext) throws
}

/// A strategy a launcher attaches to its overlay, with the peer count after which it is no longer called
/// (`-1`: always).
public struct LaunchedStrategy<Overlay: Community> {
    /// Peer count at which the strategy stops being called (`-1`: always; default 20).
    public let targetPeers: Int
    /// Builds the strategy for the launched overlay.
    public let make: (Overlay) -> DiscoveryStrategy

    /// Creates a strategy entry that `make` builds for the overlay, called until it has `targetPeers` peers.
    public init(targetPeers: Int = 20, _ make: @escaping (Overlay) -> DiscoveryStrategy) {
        self.targetPeers = targetPeers
        self.make = make
    }
}

/// The Swift form of py-ipv8's `CommunityLauncher` (spec §10.4): a type that says how to launch one
/// overlay. Every requirement has a default, so the shortest launcher names only its community:
///
/// ```swift
/// extension MyCommunity: LaunchableCommunity {}
/// enum MyLauncher: CommunityLauncher { typealias Overlay = MyCommunity }
/// ```
///
/// Override what you need — the decorators of py-ipv8 map to static members:
/// `@name` → ``name``, `@after` → ``notBefore``, `@precondition` → ``shouldLaunch(in:)``,
/// `@walk_strategy` → ``walkStrategies``, `@bootstrapper` → ``bootstrappers(in:)``,
/// `@kwargs` → ``makeOverlay(_:in:)``, `@set_in_session` → ``finalize(_:in:)``.
/// A protocol with static requirements keeps this checked by the compiler: a strategy built for the wrong
/// community type does not compile, where py-ipv8's strings fail at run time.
public protocol CommunityLauncher {
    /// The community type this launcher launches.
    associatedtype Overlay: Community

    /// The launcher's name, used by ``notBefore`` (default: the launcher type's name).
    static var name: String { get }
    /// Names of launchers that must launch first.
    static var notBefore: [String] { get }
    /// Whether to launch at all (default true). A launcher that says no is dropped.
    static func shouldLaunch(in service: IPv8Service) -> Bool
    /// The key the overlay uses (default: a fresh curve25519 key, like py-ipv8).
    static func key(in service: IPv8Service) -> PrivateKey
    /// Peer cap for the overlay (default 30).
    static var maxPeers: Int { get }
    /// The discovery strategies to attach.
    static var walkStrategies: [LaunchedStrategy<Overlay>] { get }
    /// The bootstrappers to attach (default none).
    static func bootstrappers(in service: IPv8Service) -> [any Bootstrapper]
    /// Builds the overlay.
    static func makeOverlay(_ context: CommunityContext, in service: IPv8Service) throws -> Overlay
    /// Called once the overlay is loaded.
    static func finalize(_ overlay: Overlay, in service: IPv8Service)
}

extension CommunityLauncher {
    public static var name: String { String(describing: Self.self) }
    public static var notBefore: [String] { [] }
    public static func shouldLaunch(in service: IPv8Service) -> Bool { true }
    public static func key(in service: IPv8Service) -> PrivateKey { .generate() }
    public static var maxPeers: Int { Community.defaultMaxPeers }
    public static var walkStrategies: [LaunchedStrategy<Overlay>] { [LaunchedStrategy(targetPeers: 20) { RandomWalk(overlay: $0) }] }
    public static func bootstrappers(in service: IPv8Service) -> [any Bootstrapper] { [] }
    public static func finalize(_ overlay: Overlay, in service: IPv8Service) {}
}

extension CommunityLauncher where Overlay: LaunchableCommunity {
    public static func makeOverlay(_ context: CommunityContext, in service: IPv8Service) throws -> Overlay {
        try Overlay(context: context)
    }
}

/// Launches registered ``CommunityLauncher``s into a service in dependency order (py-ipv8's
/// `CommunityLoader`).
public struct CommunityLoader {
    struct Entry {
        let name: String
        let notBefore: [String]
        let shouldLaunch: (IPv8Service) -> Bool
        let launch: (IPv8Service) throws -> Community
    }

    private var entries: [Entry] = []

    /// Creates a loader with no launchers registered.
    public init() {}

    /// Registers `launcher`, replacing an earlier launcher of the same name.
    public mutating func set<L: CommunityLauncher>(_ launcher: L.Type) {
        let entry = Entry(name: L.name, notBefore: L.notBefore, shouldLaunch: L.shouldLaunch(in:)) { service in
            let context = service.context(key: L.key(in: service), maxPeers: L.maxPeers,
                                          bootstrappers: L.bootstrappers(in: service))
            let overlay = service.addOverlay(try L.makeOverlay(context, in: service))
            for s in L.walkStrategies { service.addStrategy(s.make(overlay), targetPeers: s.targetPeers) }
            L.finalize(overlay, in: service)
            return overlay
        }
        if let i = entries.firstIndex(where: { $0.name == entry.name }) { entries[i] = entry } else { entries.append(entry) }
    }

    /// Launches every launcher whose ``CommunityLauncher/shouldLaunch(in:)`` holds, each after the launchers
    /// it names in `notBefore` (those that are registered and launch). Returns the overlays in launch order.
    /// - Throws: ``LaunchError/cycle(_:)`` when the dependencies cannot be satisfied.
    @discardableResult
    public func load(into service: IPv8Service) throws -> [Community] {
        var queue = entries
        var budget = entries.count * entries.count
        var launched: [String] = []
        var overlays: [Community] = []
        let launching = Set(entries.filter { $0.shouldLaunch(service) }.map(\.name))
        while !queue.isEmpty && budget >= 0 {
            let entry = queue.removeFirst()
            budget -= 1
            guard launching.contains(entry.name) else { continue }
            if entry.notBefore.allSatisfy({ !launching.contains($0) || launched.contains($0) }) {
                overlays.append(try entry.launch(service))
                launched.append(entry.name)
            } else {
                queue.append(entry)
            }
        }
        if !queue.isEmpty { throw LaunchError.cycle(queue.map(\.name)) }
        return overlays
    }
}

/// Why launchers could not all be launched.
public enum LaunchError: Error, CustomStringConvertible, Equatable {
    /// These launchers wait for each other.
    case cycle([String])

    public var description: String {
        switch self {
        case .cycle(let names): return "cycle detected among launchers: \(names.joined(separator: ", "))"
        }
    }
}
