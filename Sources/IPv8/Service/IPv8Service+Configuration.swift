import IPv8Core
import Logging

extension IPv8Service {
    /// Builds a node from a configuration, the way py-ipv8's `IPv8(configuration)` does (spec §10.2):
    /// the endpoint from the interfaces (`Configuration/socketBinding()`: `UDPIPv4`, `UDPIPv6`, or both on
    /// one dual-stack socket), the keys, then each overlay with its `initialize` values, its
    /// walkers (built-in strategies plus the overlay's `Community.availableStrategies`) and bootstrappers,
    /// and its `on_start` calls (run by ``start()``).
    ///
    /// Every name is checked before the node runs: an unknown community, strategy or bootstrapper, a bad
    /// walker argument or an unreadable key file throws `ConfigurationErrors` naming the field, and the
    /// socket is closed again, so nothing starts.
    /// - Parameters:
    ///   - configuration: the node's configuration (py-ipv8's shape, plus our `admission` and `rest`).
    ///   - registry: the community classes the configuration may name, by name.
    ///   - loop: the loop the node runs on.
    ///   - bindOverride: when given, bind here instead of the configured interface (tests use 127.0.0.1:0).
    ///   - logger: where the node and its overlays log (nowhere by default).
    ///   - random: the overlays' randomness (seed it for repeatable runs).
    public static func load(_ configuration: Configuration, registry: OverlayRegistry, loop: EventLoop,
                            bindOverride: Address? = nil,
                            logger: Logger = IPv8Service.silentLogger,
                            random: RandomSource = RandomSource()) throws -> IPv8Service {
        var errors: [ConfigurationError] = []
        for (i, overlay) in configuration.overlays.enumerated() where registry.factories[overlay.className] == nil {
            errors.append(ConfigurationError(path: "overlays[\(i)].class", problem: registry.unknownClassProblem(overlay.className)))
        }
        var keys: [String: PrivateKey] = [:]
        for (i, entry) in configuration.keys.enumerated() {
            let file = entry.file.isEmpty || entry.file.hasPrefix("/") ? entry.file : "\(configuration.workingDirectory)/\(entry.file)"
            do {
                keys[entry.alias] = try KeyFile.loadOrGenerate(alias: entry.alias, generation: entry.generation,
                                                               file: file, bin: entry.bin)
            } catch {
                errors.append(ConfigurationError(path: "keys[\(i)]", problem: "\(error)"))
            }
        }
        var binding: Configuration.SocketBinding?
        if let bindOverride {
            binding = Configuration.SocketBinding(address: bindOverride)
        } else {
            do { binding = try configuration.socketBinding() } catch { errors += error.errors }
        }
        guard errors.isEmpty, let binding else { throw ConfigurationErrors(errors: errors) }
        let service = try IPv8Service(loop: loop, bindTo: binding.address, ipv6Only: binding.ipv6Only,
                                      scheduling: .init(walkInterval: .seconds(configuration.walkerInterval)), logger: logger)
        service.keys = keys
        if configuration.admission != VerificationGate.Settings() {
            service.endpoint.router.verificationGate = VerificationGate(settings: configuration.admission)
        }
        do {
            try service.build(configuration, registry: registry, keys: keys, random: random)
        } catch {
            service.stop()
            throw error
        }
        return service
    }

    private func build(_ configuration: Configuration, registry: OverlayRegistry, keys: [String: PrivateKey],
                       random: RandomSource) throws {
        var errors: [ConfigurationError] = []
        for (i, entry) in configuration.overlays.enumerated() {
            let path = "overlays[\(i)]"
            let maxPeers = entry.initialize["max_peers"]?.integerValue.map { Int($0) } ?? Community.defaultMaxPeers
            let bootstrappers: [any Bootstrapper] = try entry.bootstrappers.enumerated().map { j, b in
                let timeout = b.initArguments["bootstrap_timeout"]?.doubleValue ?? 30.0
                if b.className == "UDPBroadcastBootstrapper" {
                    return UDPBroadcastBootstrapper(loop: loop, bootstrapTimeout: timeout)
                }
                return try Self.dispersyBootstrapper(b, path: "\(path).bootstrappers[\(j)].init", loop: loop)
            }
            let context = self.context(key: keys[entry.key]!, maxPeers: maxPeers, bootstrappers: bootstrappers, random: random)
            let overlay: Community
            do {
                overlay = addOverlay(try registry.factories[entry.className]!(context, entry.initialize))
            } catch {
                errors.append(ConfigurationError(path: "\(path).initialize", problem: "\(entry.className) could not be built: \(error)"))
                continue
            }
            let available = StrategyFactory.builtIns.merging(overlay.availableStrategies) { _, own in own }
            for (j, walker) in entry.walkers.enumerated() {
                let walkerPath = "\(path).walkers[\(j)]"
                guard let factory = available[walker.strategy] else {
                    errors.append(ConfigurationError(path: "\(walkerPath).strategy", problem:
                        "unknown strategy \"\(walker.strategy)\" for \(entry.className) (known: \(available.keys.sorted().joined(separator: ", ")))"))
                    continue
                }
                do {
                    let strategy = try factory.make(overlay, StrategyArguments(walker.initArguments, path: "\(walkerPath).init"))
                    addStrategy(strategy, targetPeers: walker.peers)
                } catch let error as StrategyArgumentError {
                    errors.append(ConfigurationError(path: error.path, problem: error.problem))
                }
            }
            for call in entry.onStart {
                guard case .string(let method)? = call.first else { continue }
                onStartActions.append { [unowned overlay] in try overlay.onStart(method, arguments: Array(call.dropFirst())) }
            }
        }
        if !errors.isEmpty { throw ConfigurationErrors(errors: errors) }
    }

    private static func dispersyBootstrapper(_ definition: Configuration.BootstrapperDefinition, path: String,
                                             loop: EventLoop) throws -> DispersyBootstrapper {
        func addresses(_ name: String) throws -> [(String, UInt16)] {
            guard let value = definition.initArguments[name] else { return [] }
            guard case .array(let items) = value else {
                throw ConfigurationErrors(errors: [ConfigurationError(path: "\(path).\(name)", problem: "expected a list of [host, port]")])
            }
            return try items.enumerated().map { k, item in
                guard case .array(let pair) = item, pair.count == 2, case .string(let host) = pair[0],
                      let port = pair[1].integerValue.flatMap({ UInt16(exactly: $0) }) else {
                    throw ConfigurationErrors(errors: [ConfigurationError(path: "\(path).\(name)[\(k)]", problem: "expected [host, port]")])
                }
                return (host, port)
            }
        }
        let ips = try addresses("ip_addresses").map { host, port -> Address in
            guard let a = Address(ip: host, port: port) else {
                throw ConfigurationErrors(errors: [ConfigurationError(path: "\(path).ip_addresses", problem: "\"\(host)\" is not an IP address")])
            }
            return a
        }
        let timeout = definition.initArguments["bootstrap_timeout"]?.doubleValue ?? 30.0
        return DispersyBootstrapper(ipAddresses: ips, dnsAddresses: try addresses("dns_addresses").map { (host: $0.0, port: $0.1) },
                                    bootstrapTimeout: timeout, loop: loop)
    }
}
