/// Builds a discovery strategy for an overlay from a configuration walker's `init` arguments.
public struct StrategyFactory {
    /// Makes the strategy; throws ``StrategyArgumentError`` for bad arguments.
    public let make: (Community, StrategyArguments) throws -> DiscoveryStrategy

    /// A factory that builds its strategy with `make`.
    public init(_ make: @escaping (Community, StrategyArguments) throws -> DiscoveryStrategy) {
        self.make = make
    }

    /// The strategies every community has, as in py-ipv8's global table: `RandomWalk` and `EdgeWalk`.
    public static var builtIns: [String: StrategyFactory] {
        ["RandomWalk": StrategyFactory { overlay, args in
            try args.checkKnown(["timeout", "window_size", "reset_chance", "target_interval"])
            let defaults = RandomWalk.Settings()
            return RandomWalk(overlay: overlay, settings: RandomWalk.Settings(
                timeout: try args.duration("timeout", default: defaults.timeout),
                windowSize: try args.integer("window_size", default: defaults.windowSize),
                resetChance: try args.integer("reset_chance", default: defaults.resetChance),
                targetInterval: try args.duration("target_interval", default: defaults.targetInterval)))
        },
         "EdgeWalk": StrategyFactory { overlay, args in
            try args.checkKnown(["edge_length", "neighborhood_size", "edge_timeout"])
            let defaults = EdgeWalk.Settings()
            return EdgeWalk(overlay: overlay, settings: EdgeWalk.Settings(
                edgeLength: try args.integer("edge_length", default: defaults.edgeLength),
                neighborhoodSize: try args.integer("neighborhood_size", default: defaults.neighborhoodSize),
                edgeTimeout: try args.duration("edge_timeout", default: defaults.edgeTimeout)))
        }]
    }
}

/// A walker's `init` arguments with typed, path-reporting accessors.
public struct StrategyArguments {
    /// The raw values.
    public let values: [String: JSONValue]
    /// Where they came from, for error messages (`overlays[0].walkers[1].init`).
    public let path: String

    /// Arguments `values`, reported in errors under `path` (default `init`).
    public init(_ values: [String: JSONValue], path: String = "init") {
        self.values = values
        self.path = path
    }

    /// The number under `name`, or `fallback` when it is absent.
    public func double(_ name: String, default fallback: Double) throws -> Double {
        guard let value = values[name] else { return fallback }
        guard let d = value.doubleValue else { throw StrategyArgumentError(path: "\(path).\(name)", problem: "expected a number") }
        return d
    }

    /// The number of seconds under `name` as a duration, or `fallback` when it is absent.
    public func duration(_ name: String, default fallback: Duration) throws -> Duration {
        guard values[name] != nil else { return fallback }
        let seconds = try double(name, default: 0)
        guard seconds.isFinite else { throw StrategyArgumentError(path: "\(path).\(name)", problem: "expected a finite number of seconds") }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// The integer under `name`, or `fallback` when it is absent.
    public func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let value = values[name] else { return fallback }
        guard let n = value.integerValue, let i = Int(exactly: n) else {
            throw StrategyArgumentError(path: "\(path).\(name)", problem: "expected an integer")
        }
        return i
    }

    /// Fails when an argument is not among `known` (a typo would otherwise be ignored silently).
    public func checkKnown(_ known: Set<String>) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw StrategyArgumentError(path: "\(path).\(key)", problem: "unknown argument (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

/// A bad strategy argument or hook call: the same "problem at a path" as a configuration error, so that
/// loading reports both alike.
public typealias StrategyArgumentError = ConfigurationError
