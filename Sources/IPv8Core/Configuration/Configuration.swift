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
        public var ip: String
        public var port: UInt16

        public init(interface: String = "UDPIPv4", ip: String = "0.0.0.0", port: UInt16 = 8090) {
            self.interface = interface
            self.ip = ip
            self.port = port
        }
    }

    /// One key (`keys` entries): loaded from `file` when it exists, else from `bin` (base64 of a private key
    /// bin), else generated with `generation` and written to `file` when one is named.
    public struct Key: Equatable, Sendable {
        public var alias: String
        /// `curve25519`, or a legacy EC level name (`very-low`, `low`, `medium`, `high`); the engine generates all five.
        public var generation: String
        /// A file path, or `""` for none.
        public var file: String
        /// Base64 of a private key bin, when the key is given inline.
        public var bin: String?

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
        public var strategy: String
        public var peers: Int
        public var initArguments: [String: JSONValue]

        public init(strategy: String, peers: Int = 20, initArguments: [String: JSONValue] = [:]) {
            self.strategy = strategy
            self.peers = peers
            self.initArguments = initArguments
        }
    }

    /// A bootstrapper of an overlay (`bootstrappers` entries): its class name and constructor arguments.
    public struct BootstrapperDefinition: Equatable, Sendable {
        public var className: String
        public var initArguments: [String: JSONValue]

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
        public var walkers: [Walker]
        public var bootstrappers: [BootstrapperDefinition]
        /// Settings handed to the community (`max_peers`, application keys …).
        public var initialize: [String: JSONValue]
        /// Calls to make once the node has started: a method name and its arguments.
        public var onStart: [[JSONValue]]

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

    public var interfaces: [Interface]
    public var keys: [Key]
    /// The log level name: CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET.
    public var logLevel: String
    public var workingDirectory: String
    /// Seconds per pass over all strategies (py-ipv8's `walker_interval`; default
    /// ``StrategyScheduler/Settings/walkInterval``).
    public var walkerInterval: Double
    public var overlays: [Overlay]
    /// How the node shares its verification time among source hosts under overload (our `admission`
    /// section, which py-ipv8 does not have: `share`, `per_source_rate`). Written to JSON only when it
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
        public init(ip: String = "127.0.0.1", port: Int = 8085, apiKey: String? = nil) {
            self.ip = ip
            self.port = port
            self.apiKey = apiKey
        }
    }

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
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}

/// Every problem found in a configuration, in document order.
public struct ConfigurationErrors: Error, Equatable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    /// The problems, in document order.
    public init(errors: [ConfigurationError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
