import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import IPv8
import IPv8Lifecycle
import IPv8REST
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `ipv8-node run`: one node until SIGINT/SIGTERM.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an IPv8 node until SIGINT or SIGTERM, printing a status line every few seconds.",
        discussion: """
            With --config, the node is built from a py-ipv8 configuration JSON file. Otherwise the flags describe \
            the common case: one socket, one key, the given communities, walking to the given bootstrap \
            addresses or trackers. Without --bootstrap, --tracker or --public-trackers, the node contacts nobody by itself: it \
            listens and walks only to what it learns.
            """
    )

    @Option(help: "A py-ipv8 configuration JSON file.") var config: String?
    @Option(help: "UDP port to bind (0: any free port).") var port: UInt16 = 8090
    @Option(help: "IP address to bind: 0.0.0.0 (every IPv4 address), :: (IPv4 and IPv6 on one dual-stack socket), or one address such as 127.0.0.1 or ::1. A configuration file names it with its UDPIPv4 and UDPIPv6 interfaces.")
    var ip: String = "0.0.0.0"
    @Flag(help: "With an IPv6 --ip: take IPv6 only (py-ipv8's UDPIPv6 interface alone).") var ipv6Only = false
    @Option(help: "Key file (created when missing).") var keyFile: String?
    @Option(help: "A bootstrap node to walk to, HOST:PORT (repeatable).") var bootstrap: [String] = []
    @Option(help: "A tracker to bootstrap from, IP:PORT (repeatable; blacklisted, so never a peer, like py-ipv8's DispersyBootstrapper).")
    var tracker: [String] = []
    @Option(help: "A community id (40 hex digits) to join (repeatable; default: the Discovery community).")
    var community: [String] = []
    @Option(help: "Peers after which RandomWalk stops walking.") var targetPeers: Int = 20
    @Flag(help: "Also bootstrap from py-ipv8's public trackers (never used unless given).") var publicTrackers = false
    @Option(help: "Seconds between status lines.") var statusInterval: Double = 5
    @Flag(help: "End each status line with peer_addresses=A,B,...: the addresses of the first overlay's peers, IPv4 as a.b.c.d:p, IPv6 as [ip]:p.")
    var statusPeerAddresses = false
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"
    @Flag(help: "Log JSON lines instead of text.") var jsonLogs = false
    @Option(help: "Serve py-ipv8's REST API on this TCP port (0: any free port); also the configuration's rest section.")
    var restPort: Int?
    @Option(help: "The address the REST API binds (default 127.0.0.1).") var restIp: String?
    @Option(help: "The key REST clients must send (X-Api-Key header or apikey query parameter).") var apiKey: String?
    @Option(help: "The IP TTL of the punctures the node sends: 2 (default) opens our own NAT without reaching the far one; raise it behind several NATs; 0: the system default (py-ipv8's behaviour).")
    var punctureTtl: Int = Int(Community.defaultPunctureTTL ?? 0)
    @Flag(inversion: .prefixedNo, help: "Puncture a node an introduction response names at once, with the puncture TTL, so that our NAT's mapping exists before its own puncture (py-ipv8's, at the system TTL) arrives.")
    var punctureIntroduced = true
    @Flag(inversion: .prefixedNo, help: "Walk to the node a peer's puncture request names (a node that just walked to that peer, so one that wants peers); py-ipv8 only punctures it.")
    var learnWalkers = true
    @Flag(help: "With --config: run without the overlays swift-ipv8 does not provide (py-ipv8's HiddenTunnelCommunity among them), warning for each, instead of refusing the configuration.")
    var skipUnsupportedOverlays = false

    func validate() throws {
        if let restPort, !(0...65535).contains(restPort) { throw ValidationError("--rest-port: must be 0...65535, not \(restPort)") }
        if let restIp, Address(ip: restIp, port: 0) == nil { throw ValidationError("--rest-ip: \"\(restIp)\" is not an IP address") }
        if apiKey == "" { throw ValidationError("--api-key: must not be empty") }
        if !(0...255).contains(punctureTtl) { throw ValidationError("--puncture-ttl: must be 0...255, not \(punctureTtl)") }
        if ipv6Only, Address(ip: ip, port: 0)?.isIPv6 != true { throw ValidationError("--ipv6-only: needs an IPv6 --ip, not \(ip)") }
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw CleanExit.failure("--log-level: unknown level \"\(logLevel)\" (trace, debug, info, notice, warning, error, critical)")
        }
        let logger = NodeLogging.logger(level: level, json: jsonLogs)
        let loop: EventLoop
        let service: IPv8Service
        var rest: Configuration.REST?
        do {
            loop = try EventLoop(logger: logger)
            if config != nil {
                var configuration = try readConfiguration()
                let registry = NodeRegistry.make()
                if skipUnsupportedOverlays {
                    let (kept, warnings) = configuration.skippingOverlays(unknownTo: registry)
                    for warning in warnings { logger.warning("\(warning)") }
                    configuration = kept
                }
                service = try IPv8Service.load(configuration, registry: registry, loop: loop, logger: logger)
                rest = configuration.rest
            } else {
                service = try buildFromFlags(loop: loop, logger: logger)
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw CleanExit.failure("\(error)")
        }
        for overlay in service.overlays {
            overlay.punctureTTL = punctureTtl == 0 ? nil : UInt8(punctureTtl)
            overlay.puncturesIntroduced = punctureIntroduced
            overlay.learnsWalkersFromPunctureRequests = learnWalkers
        }
        if restPort != nil || restIp != nil || apiKey != nil {
            var flags = rest ?? Configuration.REST()
            if let restPort { flags.port = restPort }
            if let restIp { flags.ip = restIp }
            if let apiKey { flags.apiKey = apiKey }
            rest = flags
        }
        print("listening on \(service.endpoint.localAddress) families=\(service.endpoint.families)")
        fflush(nil)
        // The node, its REST API and its status lines as one ServiceGroup: SIGINT or SIGTERM shuts them down
        // gracefully, the status lines first and the node last.
        let node = IPv8NodeService(service)
        var services: [any Service] = [node]
        var publisher: MetricsPublisher?
        if let rest {
            // Metrics through swift-metrics into a Prometheus registry, served at /metrics.
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            publisher = MetricsPublisher(service: service)
            publisher?.start()
            services.append(IPv8RESTServer(service: service, settings: RESTSettings(host: rest.ip, port: rest.port, apiKey: rest.apiKey),
                                           logger: logger, metrics: { registry.emitToBuffer() }) { port in
                print("rest on \(rest.ip.contains(":") ? "[\(rest.ip)]" : rest.ip):\(port)")
                fflush(nil)
            })
        }
        services.append(StatusLines(node: node, interval: statusInterval, peerAddresses: statusPeerAddresses))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        do {
            try await group.run()
        } catch {
            if let rest { throw CleanExit.failure("--rest-port: cannot serve on \(rest.ip):\(rest.port): \(error)") }
            throw CleanExit.failure("\(error)")
        }
        withExtendedLifetime(publisher) {}   // it published until the loop closed
        print("stopped")
    }

    /// The status line every `interval` seconds, read on the node's loop; ends on graceful shutdown.
    struct StatusLines: Service {
        let node: IPv8NodeService
        let interval: Double
        let peerAddresses: Bool

        func run() async throws {
            let started = ContinuousClock.now
            try? await cancelWhenGracefulShutdown {
                while true {
                    try await node.withService { Run.printStatus($0, since: started, peerAddresses: peerAddresses) }
                    try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                }
            }
        }
    }

    static func printStatus(_ service: IPv8Service, since start: ContinuousClock.Instant, peerAddresses: Bool = false) {
        let c = service.endpoint.counters
        let peers = service.overlays.map { "\($0.communityID.hex.prefix(8))=\($0.peerCount)" }.joined(separator: ",")
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let lag = service.schedulerTimer.lag
        let gate = service.endpoint.router.verificationGate.counters
        print("status t=\(Int(elapsed))s port=\(service.endpoint.localAddress.port) peers=\(peers) "
            + "in=\(c.packetsIn) out=\(c.packetsOut) drops=\(c.droppedUnknownPrefix + c.droppedTooShort) "
            + "send_errors=\(c.sendErrors) lag_overruns=\(service.scheduler.overruns) "
            + cFormat("lag_p50=%.1fms lag_p99=%.1fms ", lag.quantile(0.5) * 1000, lag.quantile(0.99) * 1000)
            + "shed=\(gate.shed) newcomers=\(gate.admittedAsNewcomer) duplicates=\(gate.duplicates) backlogged_windows=\(gate.backloggedWindows)/\(gate.windows)"
            + wanFields(service.overlays.first)
            + (peerAddresses ? peerAddressField(service.overlays.first) : ""))
        service.schedulerTimer.resetLag()
        fflush(nil)   // status lines go out at once, also into a pipe
    }

    /// ` wan=IP:PORT connection=TYPE`: the first overlay's WAN estimate and our estimate of the connection
    /// (``WANReports/Estimate``: unknown, public, NAT, symmetric-NAT); empty without overlays.
    static func wanFields(_ overlay: Community?) -> String {
        guard let overlay else { return "" }
        return " wan=\(overlay.myEstimatedWAN) connection=\(overlay.connectionEstimate.rawValue)"
    }

    /// ` peer_addresses=A,B,...`: the addresses of the first overlay's peers, sorted; empty without overlays.
    static func peerAddressField(_ overlay: Community?) -> String {
        guard let overlay else { return "" }
        return " peer_addresses=" + overlay.peers.map { $0.address.description }.sorted().joined(separator: ",")
    }

    private func buildFromFlags(loop: EventLoop, logger: Logger) throws -> IPv8Service {
        guard let bindAddress = Address(ip: ip, port: port) else { throw CleanExit.failure("--ip: \"\(ip)\" is not an IP address") }
        let ids = try (community.isEmpty ? [CommunityID.discovery.hex] : community).map { hex -> CommunityID in
            guard let id = CommunityID(hex: hex) else { throw CleanExit.failure("--community: \"\(hex)\" is not 40 hex digits") }
            return id
        }
        let bootstrapAddresses = try bootstrap.map { text -> Address in
            guard let a = Address(text) else { throw CleanExit.failure("--bootstrap: \"\(text)\" is not IP:PORT") }
            return a
        }
        let trackerAddresses = try tracker.map { text -> Address in
            guard let a = Address(text) else { throw CleanExit.failure("--tracker: \"\(text)\" is not IP:PORT") }
            return a
        }
        // --bootstrap names ordinary nodes, which may become peers; trackers are blacklisted (py-ipv8's
        // DispersyBootstrapper), so they never do.
        var bootstrappers: [any Bootstrapper] = []
        if !bootstrapAddresses.isEmpty { bootstrappers.append(AddressListBootstrapper(bootstrapAddresses)) }
        // A DispersyBootstrapper keeps its own round timer, so each community gets its own (as in py-ipv8).
        func trackerBootstrappers() -> [any Bootstrapper] {
            var list: [any Bootstrapper] = []
            if !trackerAddresses.isEmpty { list.append(DispersyBootstrapper(ipAddresses: trackerAddresses, loop: loop)) }
            if publicTrackers {
                list.append(DispersyBootstrapper(ipAddresses: Configuration.publicTrackerAddresses.compactMap(Address.init),
                                                 dnsAddresses: Configuration.publicTrackerNames.compactMap(Self.hostPort),
                                                 loop: loop))
            }
            return list
        }
        let key = try keyFile.map { try KeyFile.loadOrGenerate(alias: "node", file: $0) } ?? .generate()
        let service = try IPv8Service(loop: loop, bindTo: bindAddress, ipv6Only: ipv6Only, logger: logger)
        for id in ids {
            let context = service.context(key: key, bootstrappers: bootstrappers + trackerBootstrappers())
            if id == DiscoveryCommunity.id {
                let discovery = service.addOverlay(try DiscoveryCommunity(context: context))
                service.addStrategy(RandomWalk(overlay: discovery), targetPeers: targetPeers)
                service.addStrategy(RandomChurn(overlay: discovery), targetPeers: -1)
                service.addStrategy(PeriodicSimilarity(overlay: discovery), targetPeers: -1)
            } else {
                let overlay = service.addOverlay(try GenericCommunity(communityID: id, context: context))
                service.addStrategy(RandomWalk(overlay: overlay), targetPeers: targetPeers)
            }
        }
        return service
    }

    private static func hostPort(_ text: String) -> (host: String, port: UInt16)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { return nil }
        return (String(parts[0]), port)
    }

    private func readConfiguration() throws -> Configuration {
        guard let path = config, let data = FileManager.default.contents(atPath: path) else {
            throw CleanExit.failure("--config: cannot read \(config ?? "")")
        }
        do {
            return try Configuration(json: String(decoding: data, as: UTF8.self))
        } catch {
            throw CleanExit.failure("\(path): \(error)")
        }
    }
}

/// The communities `ipv8-node` can load by name from a configuration.
enum NodeRegistry {
    static func make() -> OverlayRegistry {
        var registry = OverlayRegistry.builtIns
        registry.register("GenericCommunity") { context, initialize in
            guard case .string(let hex)? = initialize["community_id"], let id = CommunityID(hex: hex) else {
                throw StrategyArgumentError(path: "initialize.community_id", problem: "GenericCommunity needs a 40-hex-digit community_id")
            }
            return try GenericCommunity(communityID: id, context: context)
        }
        return registry
    }
}
