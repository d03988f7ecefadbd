/// The py-ipv8 configuration dictionary as Swift values (spec §10.1): what a node listens on, its keys,
/// its logging, the walk interval, and the overlays with their walkers, bootstrappers, `initialize`
/// arguments and `on_start` calls.
///
/// It reads and writes the same JSON shape as py-ipv8 (``init(json:)``, ``json``), and builds in Swift the
/// same way. Loading checks every field and reports every problem with its path
/// (``ConfigurationError``). Names of communities and strategies are resolved later, when a service is built
/// from the configuration, because only then is it known which names the application registered.
public struct Configuration: Equatable, Sendable {
    /// One socket to open (`interfaces` entries).
    public struct Interface: Equatable, Sendable {
        /// `"UDPIPv4"` or `"UDPIPv6"`.
        public var interface: String
        /// The IP address to bind to (default `0.0.0.0`, every IPv4 interface).
        public var ip: String
        /// The UDP port to bind to (default 8090; 0: any free port).
        public var port: UInt16

        /// An interface entry; the defaults are py-ipv8's (`UDPIPv4` on 0.0.0.0:8090).
        public init(interface: String = "UDPIPv4", ip: String = "0.0.0.0", port: UInt16 = 8090) {
            self.interface = interface
            self.ip = ip
            self.port = port
        }
    }

    /// One key (`keys` entries): loaded from `file` when it exists, else from `bin` (base64 of a private key
    /// bin), else generated with `generation` and written to `file` when one is named.
    public struct Key: Equatable, Sendable {
        /// The name overlays refer to the key by (an overlay's `key` field).
        public var alias: String
        /// `curve25519`, or a legacy EC level name (`very-low`, `low`, `medium`, `high`); the engine generates all five.
        public var generation: String
        /// A file path, or `""` for none.
        public var file: String
        /// Base64 of a private key bin, when the key is given inline.
        public var bin: String?

        /// A key entry named `alias`; by default a curve25519 key with no file and no inline bin.
        public init(alias: String, generation: String = "curve25519", file: String = "", bin: String? = nil) {
            self.alias = alias
            self.generation = generation
            self.file = file
            self.bin = bin
        }
    }

    /// A discovery strategy of an overlay (`walkers` entries): its name, the peer count after which it is no
    /// longer called (`-1`: always), and its constructor arguments.
    public struct Walker: Equatable, Sendable {
        /// The strategy's registered name, such as `RandomWalk` or `EdgeWalk`.
        public var strategy: String
        /// The peer count after which the strategy is no longer called (`-1`: always; default 20).
        public var peers: Int
        /// The strategy's constructor arguments (the walker's `init` object).
        public var initArguments: [String: JSONValue]

        /// A walker entry for `strategy`, called until the overlay has `peers` peers (default 20), with no
        /// arguments by default.
        public init(strategy: String, peers: Int = 20, initArguments: [String: JSONValue] = [:]) {
            self.strategy = strategy
            self.peers = peers
            self.initArguments = initArguments
        }
    }

    /// A bootstrapper of an overlay (`bootstrappers` entries): its class name and constructor arguments.
    public struct BootstrapperDefinition: Equatable, Sendable {
        /// The bootstrapper's class name: `DispersyBootstrapper` or `UDPBroadcastBootstrapper`.
        public var className: String
        /// The bootstrapper's constructor arguments (the entry's `init` object).
        public var initArguments: [String: JSONValue]

        /// A bootstrapper entry for the class `className`, with no arguments by default.
        public init(className: String, initArguments: [String: JSONValue] = [:]) {
            self.className = className
            self.initArguments = initArguments
        }
    }

    /// One overlay (community) to load.
    public struct Overlay: Equatable, Sendable {
        /// The community's registered name (py-ipv8's `class`).
        public var className: String
        /// The alias of the key the overlay uses.
        public var key: String
        /// The discovery strategies to attach to the overlay (`walkers`).
        public var walkers: [Walker]
        /// The bootstrappers the overlay walks to when it has no peers (`bootstrappers`).
        public var bootstrappers: [BootstrapperDefinition]
        /// Settings handed to the community (`max_peers`, application keys …).
        public var initialize: [String: JSONValue]
        /// Calls to make once the node has started: a method name and its arguments.
        public var onStart: [[JSONValue]]

        /// An overlay entry for the community registered as `className`, using the key named `key`; everything
        /// else empty by default.
        public init(className: String, key: String, walkers: [Walker] = [], bootstrappers: [BootstrapperDefinition] = [],
                    initialize: [String: JSONValue] = [:], onStart: [[JSONValue]] = []) {
            self.className = className
            self.key = key
            self.walkers = walkers
            self.bootstrappers = bootstrappers
            self.initialize = initialize
            self.onStart = onStart
        }
    }

    /// The sockets to open (py-ipv8's `interfaces`).
    public var interfaces: [Interface]
    /// The keys overlays may use, by alias (py-ipv8's `keys`).
    public var keys: [Key]
    /// The log level name: CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET.
    public var logLevel: String
    /// The directory relative key file paths are resolved against (py-ipv8's `working_directory`; default `.`).
    public var workingDirectory: String
    /// Seconds per pass over all strategies (py-ipv8's `walker_interval`; default
    /// ``StrategyScheduler/Settings/walkInterval``).
    public var walkerInterval: Double
    /// The overlays to load, in order (py-ipv8's `overlays`).
    public var overlays: [Overlay]
    /// How the node shares its verification time among source hosts under overload (our `admission`
    /// section, which py-ipv8 does not have: `share`, `newcomer_share`, `per_source_rate`). Written to JSON only when it
    /// differs from the default.
    public var admission = VerificationGate.Settings()
    /// The REST API to serve (our `rest` section; py-ipv8 starts its REST manager from code): nil, none.
    public var rest: REST?

    /// Where the REST API listens and the key it asks for.
    public struct REST: Sendable, Equatable {
        /// Default 127.0.0.1: the API controls the node.
        public var ip = "127.0.0.1"
        /// Default 8085, py-ipv8's.
        public var port = 8085
        /// The key clients must send (`X-Api-Key` or `?apikey=`); nil, none.
        public var apiKey: String?
        /// A REST section listening on `ip`:`port` (default 127.0.0.1:8085) and asking for `apiKey` (default none).
        public init(ip: String = "127.0.0.1", port: Int = 8085, apiKey: String? = nil) {
            self.ip = ip
            self.port = port
            self.apiKey = apiKey
        }
    }

    /// A configuration; by default one `UDPIPv4` interface on 0.0.0.0:8090, no keys or overlays, level INFO,
    /// working directory `.` and the scheduler's default walk interval.
    public init(interfaces: [Interface] = [Interface()], keys: [Key] = [], logLevel: String = "INFO",
                workingDirectory: String = ".", walkerInterval: Double = StrategyScheduler.Settings().walkInterval.seconds, overlays: [Overlay] = []) {
        self.interfaces = interfaces
        self.keys = keys
        self.logLevel = logLevel
        self.workingDirectory = workingDirectory
        self.walkerInterval = walkerInterval
        self.overlays = overlays
    }

    /// The log levels py-ipv8 accepts.
    public static let logLevels = ["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET"]
    /// The key generations py-ipv8 knows (`curve25519` and the legacy EC levels).
    public static let keyGenerations = ["curve25519", "very-low", "low", "medium", "high"]
    /// The interface names py-ipv8 knows.
    public static let interfaceNames = ["UDPIPv4", "UDPIPv6"]
    /// The bootstrapper classes py-ipv8 knows.
    public static let bootstrapperNames = ["DispersyBootstrapper", "UDPBroadcastBootstrapper"]
}

/// One problem in a configuration: where (`overlays[1].walkers[0].peers`) and what.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// Where the problem is, such as `overlays[1].walkers[0].peers` (empty for the whole document).
    public var path: String
    /// What is wrong there.
    public var problem: String

    /// A problem `problem` at `path`.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}

/// Every problem found in a configuration, in document order.
public struct ConfigurationErrors: Error, Equatable, CustomStringConvertible {
    /// The problems, in document order.
    public var errors: [ConfigurationError]

    /// The problems, in document order.
    public init(errors: [ConfigurationError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
