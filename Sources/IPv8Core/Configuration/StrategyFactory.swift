/// Builds a discovery strategy for an overlay from a configuration walker's `init` arguments.
public struct StrategyFactory {
    /// Makes the strategy; throws ``StrategyArgumentError`` for bad arguments.
    public let make: (Community, StrategyArguments) throws -> DiscoveryStrategy

    public init(_ make: @escaping (Community, StrategyArguments) throws -> DiscoveryStrategy) {
        self.make = make
    }

    /// The strategies every community has, as in py-ipv8's global table: `RandomWalk` and `EdgeWalk`.
    public static var builtIns: [String: StrategyFactory] {
        ["RandomWalk": StrategyFactory { overlay, args in
            try args.checkKnown(["timeout", "window_size", "reset_chance", "target_interval"])
            return RandomWalk(overlay: overlay, timeout: try args.double("timeout", default: 3.0),
                       windowSize: try args.integer("window_size", default: 5),
                       resetChance: try args.integer("reset_chance", default: 50),
                       targetInterval: try args.double("target_interval", default: 0))
        },
         "EdgeWalk": StrategyFactory { overlay, args in
            try args.checkKnown(["edge_length", "neighborhood_size", "edge_timeout"])
            return EdgeWalk(overlay: overlay, edgeLength: try args.integer("edge_length", default: 4),
                            neighborhoodSize: try args.integer("neighborhood_size", default: 6),
                            edgeTimeout: try args.double("edge_timeout", default: 3.0))
        }]
    }
}

/// A walker's `init` arguments with typed, path-reporting accessors.
public struct StrategyArguments {
    /// The raw values.
    public let values: [String: JSONValue]
    /// Where they came from, for error messages (`overlays[0].walkers[1].init`).
    public let path: String

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
