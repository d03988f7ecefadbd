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

/// `ipv8-node swarm`: the demo. N nodes on 127.0.0.1 in this process, node 0 the bootstrap node everyone
/// walks to first; a live line of verified-peer counts until every node reaches its target, then a summary.
struct Swarm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run N nodes on 127.0.0.1 in one process until every node has its target number of peers.",
        discussion: "Loopback only. Exits 0 when the swarm converged, 1 when --timeout passed first."
    )

    @Option(help: "How many nodes (2-2000).") var nodes: Int = 50
    @Option(help: "Peers each node needs (default: min(20, nodes - 1)).") var target: Int?
    @Option(help: "Seconds each eligible strategy gets one step in.") var walkInterval: Double = 0.5
    @Option(help: "Give up after this many seconds.") var timeout: Double = 120
    @Option(help: "Seconds between progress lines.") var progressInterval: Double = 1

    static let communityID = CommunityID(hex: "5377696674495076384465666d6f5377726d3031")!

    func run() throws {
        guard (2...2000).contains(nodes) else { throw CleanExit.failure("--nodes: must be between 2 and 2000") }
        let target = self.target ?? min(20, nodes - 1)
        guard target >= 1, target < nodes else { throw CleanExit.failure("--target: must be between 1 and \(nodes - 1)") }
        let loop = try EventLoop()
        var services: [IPv8Service] = []
        var overlays: [Community] = []
        do {
            for i in 0..<nodes {
                let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0),
                                              scheduling: .init(walkInterval: .seconds(walkInterval)))
                let bootstrap: [any Bootstrapper] = i == 0 ? [] : [AddressListBootstrapper([services[0].endpoint.localAddress])]
                let overlay = service.addOverlay(try GenericCommunity(communityID: Self.communityID,
                                                                      context: service.context(key: .generate(), bootstrappers: bootstrap)))
                service.addStrategy(RandomWalk(overlay: overlay), targetPeers: target)
                services.append(service)
                overlays.append(overlay)
            }
        } catch {
            throw CleanExit.failure("cannot start the swarm: \(error)")
        }
        print("swarm: \(nodes) nodes on 127.0.0.1 (ports \(services.first!.endpoint.localAddress.port)…), "
            + "node 0 is the bootstrap node, target \(target) peers each")
        let cpuStart = Self.cpuSeconds()
        let start = ContinuousClock.now
        for s in services { s.start() }
        var next = start
        func converged() -> Bool { overlays.allSatisfy { $0.peerCount >= target } }
        let deadline = start.advanced(by: .milliseconds(Int64(timeout * 1000)))
        while !converged() && ContinuousClock.now < deadline {
            if ContinuousClock.now >= next {
                printProgress(overlays, target: target, since: start)
                next = next.advanced(by: .milliseconds(Int64(progressInterval * 1000)))
            }
            loop.run(until: { converged() || ContinuousClock.now >= next }, timeout: .milliseconds(100))
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let ok = converged()
        printProgress(overlays, target: target, since: start)
        let packetsOut = services.reduce(0) { $0 + $1.endpoint.counters.packetsOut }
        let packetsIn = services.reduce(0) { $0 + $1.endpoint.counters.packetsIn }
        let cpu = Self.cpuSeconds() - cpuStart
        for s in services { s.stop() }
        loop.stop()
        print(ok ? "converged" : "NOT converged", terminator: "")
        print(" after \(cFormat("%.2f", elapsed)) s: \(packetsOut) datagrams sent, \(packetsIn) received, "
            + "CPU \(cFormat("%.2f", cpu)) s (\(cFormat("%.0f", cpu / elapsed * 100)) % of one core)")
        if !ok { throw ExitCode.failure }
    }

    private func printProgress(_ overlays: [Community], target: Int, since start: ContinuousClock.Instant) {
        let counts = overlays.map(\.peerCount)
        let done = counts.filter { $0 >= target }.count
        let t = (ContinuousClock.now - start) / .seconds(1)
        let table = counts.count <= 40 ? counts.map(String.init).joined(separator: " ")
            : "min \(counts.min()!) median \(counts.sorted()[counts.count / 2]) max \(counts.max()!)"
        print(cFormat("t=%5.1fs ", t) + "at target \(done)/\(counts.count) | peers: \(table)")
        fflush(nil)   // status lines go out at once, also into a pipe
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
