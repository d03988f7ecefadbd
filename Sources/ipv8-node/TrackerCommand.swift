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
import Logging

/// `ipv8-node tracker`: a bootstrap server for any community, as py-ipv8's public trackers run it.
struct TrackerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracker",
        abstract: "Run a bootstrap server (tracker) that py-ipv8 nodes use like the public trackers.",
        discussion: """
            The tracker answers introduction requests under any community prefix, introduces peers of the same \
            community to each other, and pings the peers it knows, forgetting those that stop answering. py-ipv8 \
            nodes use it through the stock DispersyBootstrapper (ip_addresses), swift-ipv8 nodes through \
            `ipv8-node run --tracker IP:PORT`. It prints a status line every --status-interval seconds: \
            communities, peers, and requests per second.
            """
    )

    @Option(help: "IP address to bind.") var ip: String = "0.0.0.0"
    @Option(help: "UDP port to bind (0: any free port).") var port: UInt16 = 6421
    @Option(help: "Key file (created when missing). Default: a fresh key of --curve.") var keyFile: String?
    @Option(help: "Key kind of a fresh key: very-low (py-ipv8's trackers), low, medium, high or curve25519.")
    var curve: String = "very-low"
    @Option(help: "Members remembered per community.") var maxPeersPerCommunity: Int = Tracker.Settings().maxPeersPerCommunity
    @Option(help: "Communities remembered.") var maxCommunities: Int = Tracker.Settings().maxCommunities
    @Option(help: "Peers remembered in all.") var maxPeers: Int = Tracker.Settings().maxPeers
    @Option(help: "Peers remembered per source host (IPv4 address or IPv6 /64).")
    var maxPeersPerHost: Int = Tracker.Settings().maxPeersPerHost
    @Option(help: "Seconds between status lines.") var statusInterval: Double = 5
    @Option(help: "Stop after this many seconds (default: run until SIGINT or SIGTERM).") var duration: Double?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"
    @Flag(help: "Log JSON lines instead of text.") var jsonLogs = false

    func validate() throws {
        for (name, value) in [("--max-peers-per-community", maxPeersPerCommunity), ("--max-communities", maxCommunities),
                              ("--max-peers", maxPeers),
                              ("--max-peers-per-host", maxPeersPerHost)] where value < 1 {
            throw ValidationError("\(name): must be at least 1, not \(value)")
        }
        guard curve == "curve25519" || ECCurve(generation: curve) != nil else {
            throw ValidationError("--curve: unknown generation '\(curve)' (known: curve25519, \(ECCurve.generationNames.joined(separator: ", ")))")
        }
        guard statusInterval > 0 else { throw ValidationError("--status-interval: must be positive") }
    }

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw CleanExit.failure("--log-level: unknown level \"\(logLevel)\" (trace, debug, info, notice, warning, error, critical)")
        }
        guard let bindAddress = Address(ip: ip, port: port) else { throw CleanExit.failure("--ip: \"\(ip)\" is not an IP address") }
        let logger = NodeLogging.logger(level: level, json: jsonLogs)
        let loop: EventLoop, endpoint: UDPEndpoint, key: PrivateKey
        do {
            key = try trackerKey()
            loop = try EventLoop(logger: logger)
            endpoint = try UDPEndpoint(loop: loop, bindTo: bindAddress, logger: logger)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw CleanExit.failure("\(error)")
        }
        let settings = Tracker.Settings(maxPeersPerCommunity: maxPeersPerCommunity, maxCommunities: maxCommunities,
                                        maxPeers: maxPeers, maxPeersPerHost: maxPeersPerHost)
        let tracker = Tracker(key: key, endpoint: endpoint, clock: LoopClock(loop: loop), timers: loop,
                              settings: settings, logger: logger)
        tracker.start()
        StopSignal.install()
        print("tracker on \(endpoint.localAddress) mid=\(Hex.encode(key.mid))")
        fflush(nil)
        let started = ContinuousClock.now
        let end = duration.map { started.advanced(by: .milliseconds(Int64($0 * 1000))) }
        var nextStatus = started.advanced(by: .milliseconds(Int64(statusInterval * 1000)))
        var lastRequests: UInt64 = 0
        var lastStatus = started
        func finished() -> Bool { StopSignal.isRequested || end.map { ContinuousClock.now >= $0 } ?? false }
        while !finished() {
            loop.run(until: { finished() || ContinuousClock.now >= nextStatus }, timeout: .milliseconds(200))
            if ContinuousClock.now >= nextStatus || finished() {
                let now = ContinuousClock.now
                let seconds = max((now - lastStatus) / .seconds(1), 1e-3)
                let c = tracker.counters
                let rate = Double(c.requests - lastRequests) / seconds
                print(cFormat("status communities=%ld peers=%ld requests_per_s=%.1f ", tracker.communityCount,
                             tracker.peerCount, rate)
                    + "requests=\(c.requests) introductions=\(c.introductions) pings=\(c.pings) pongs=\(c.pongs) "
                    + "forgotten=\(c.forgotten) refused=\(c.refused) "
                    + "drops=\(c.malformed + c.badSignature + endpoint.counters.droppedTooShort) "
                    + "shed=\(c.shed) newcomers=\(endpoint.router.verificationGate.counters.admittedAsNewcomer) "
                    + "duplicates=\(c.duplicates) "
                    + "kernel_drops=\(endpoint.receiveQueueState()?.drops ?? 0)")
                fflush(nil)
                lastRequests = c.requests
                lastStatus = now
                nextStatus = now.advanced(by: .milliseconds(Int64(statusInterval * 1000)))
            }
        }
        tracker.stop()
        endpoint.close()
        loop.stop()
        print("stopped")
    }

    private func trackerKey() throws -> PrivateKey {
        if let keyFile { return try KeyFile.loadOrGenerate(alias: "tracker", generation: curve, file: keyFile) }
        return try ECCurve(generation: curve).map { try PrivateKey.generate(curve: $0) } ?? PrivateKey.generate()
    }
}
