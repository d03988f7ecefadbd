/// Builds a ``Configuration`` in Swift, the way py-ipv8's `ConfigBuilder` does: start from the defaults (or
/// from nothing with `clean: true`), change what you need, then ``finalize()``, which checks the result the
/// same way loading JSON does.
///
/// ```swift
/// let config = try ConfigBuilder(clean: true)
///     .addEphemeralKey(alias: "me")
///     .setPort(0)
///     .addOverlay("MyCommunity", key: "me",
///                 walkers: [.init(strategy: "MyDiscoveryStrategy", peers: -1)],
///                 bootstrappers: [])
///     .finalize()
/// ```
public struct ConfigBuilder {
    /// The configuration as built so far, not yet checked (`finalize()` checks it).
    public private(set) var configuration: Configuration

    /// Starts from py-ipv8's default configuration, or from an empty one (no interfaces, keys or overlays).
    public init(clean: Bool = false) {
        configuration = clean ? Configuration(interfaces: [], keys: [], overlays: []) : .default
    }

    /// Removes every key.
    public func clearKeys() -> ConfigBuilder { with { $0.keys.removeAll() } }

    /// Removes every overlay.
    public func clearOverlays() -> ConfigBuilder { with { $0.overlays.removeAll() } }

    /// Sets the IP of the interface named `interface`, adding the interface when it is missing.
    public func setAddress(_ ip: String, interface: String = "UDPIPv4") -> ConfigBuilder {
        withInterface(interface) { $0.ip = ip }
    }

    /// Sets the port of the interface named `interface` (0: any free port), adding it when missing.
    public func setPort(_ port: UInt16, interface: String = "UDPIPv4") -> ConfigBuilder {
        withInterface(interface) { $0.port = port }
    }

    /// Sets the log level (CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET; checked by ``finalize()``).
    public func setLogLevel(_ level: String) -> ConfigBuilder { with { $0.logLevel = level } }

    /// Sets the working directory (py-ipv8's `working_directory`), against which relative key file paths are resolved.
    public func setWorkingDirectory(_ path: String) -> ConfigBuilder { with { $0.workingDirectory = path } }

    /// Seconds per pass over all strategies.
    public func setWalkerInterval(_ seconds: Double) -> ConfigBuilder { with { $0.walkerInterval = seconds } }

    /// Adds a key loaded from (or generated into) `file`; replaces a key with the same alias.
    public func addKey(alias: String, generation: String = "curve25519", file: String) -> ConfigBuilder {
        replacingKey(Configuration.Key(alias: alias, generation: generation, file: file))
    }

    /// Adds a key given as base64 of its private key bin; replaces a key with the same alias.
    public func addKeyFromBin(alias: String, base64 bin: String, file: String = "") -> ConfigBuilder {
        replacingKey(Configuration.Key(alias: alias, file: file, bin: bin))
    }

    /// Adds a freshly generated curve25519 key that lives only in this configuration (no file).
    public func addEphemeralKey(alias: String) -> ConfigBuilder {
        replacingKey(Configuration.Key(alias: alias, file: "", bin: Base64.encode(PrivateKey.generate().bin)))
    }

    /// Adds an overlay. Unless `allowDuplicate`, overlays of the same class are removed first.
    public func addOverlay(_ className: String, key: String, walkers: [Configuration.Walker],
                           bootstrappers: [Configuration.BootstrapperDefinition] = [Configuration.publicTrackers],
                           initialize: [String: JSONValue] = [:], onStart: [[JSONValue]] = [],
                           allowDuplicate: Bool = false) -> ConfigBuilder {
        with { config in
            if !allowDuplicate { config.overlays.removeAll { $0.className == className } }
            config.overlays.append(Configuration.Overlay(className: className, key: key, walkers: walkers,
                                                         bootstrappers: bootstrappers, initialize: initialize,
                                                         onStart: onStart))
        }
    }

    /// The configuration, checked like JSON input (every problem with its path).
    /// - Throws: ``ConfigurationErrors``.
    public func finalize() throws -> Configuration {
        try Configuration(json: configuration.json)
    }

    private func with(_ change: (inout Configuration) -> Void) -> ConfigBuilder {
        var copy = self
        change(&copy.configuration)
        return copy
    }

    private func withInterface(_ name: String, _ change: (inout Configuration.Interface) -> Void) -> ConfigBuilder {
        with { config in
            if let i = config.interfaces.firstIndex(where: { $0.interface == name }) {
                change(&config.interfaces[i])
            } else {
                var interface = Configuration.Interface(interface: name, ip: name == "UDPIPv6" ? "::" : "0.0.0.0")
                change(&interface)
                config.interfaces.append(interface)
            }
        }
    }

    private func replacingKey(_ key: Configuration.Key) -> ConfigBuilder {
        with { config in
            if let i = config.keys.firstIndex(where: { $0.alias == key.alias }) { config.keys[i] = key }
            else { config.keys.append(key) }
        }
    }
}
