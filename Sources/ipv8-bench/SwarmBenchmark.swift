import CReferenceReceiver
import CSodium
import Foundation
import IPv8
import IPv8Testing

/// N nodes on loopback sockets in one process on one loop, RandomWalk target 20: time and CPU to converge,
/// memory per node, and introduction requests handled per CPU second against what the signature operations
/// alone allow (raw libsodium, measured in the same run). With `comparePyIPv8`, then N py-ipv8 3.2.1 nodes in
/// one process (Tests/Interop/pyswarm.py) with the same settings and bootstrap scheme, measured the same way,
/// and the ratios ours / py-ipv8.
///
/// Both sides measure the same things: `seconds`, wall time from the first walk until every node has at
/// least `target` peers; `cpuSeconds`, the process's user + system CPU over that time (`getrusage`);
/// `answered`, introduction requests answered (introduction responses sent) by all nodes over that time;
/// `rssGrowth`, resident memory at convergence minus before the first key or socket was made.
struct SwarmBenchmark {
    var nodes = 1_000
    var target = 20
    var walkInterval = 0.5
    var maxPeers = Community.defaultMaxPeers
    var bootstrap = Bootstrap.first
    var comparePyIPv8 = false
    var python = ".venv/bin/python"
    var pyswarm = "Tests/Interop/pyswarm.py"
    /// How long py-ipv8's swarm may walk before it gives up (ours: 600 s).
    var pyTimeout = 180.0

    /// Where the nodes first walk to (each while it has no peer).
    enum Bootstrap: String, CaseIterable, Sendable {
        /// Every node but node 0 to node 0. py-ipv8 drops introduction requests above its peer cap, so its
        /// swarm never gets more than `maxPeers + 1` nodes in this way.
        case first
        /// Node i to node i − 1 (node 0 to nobody): every node is a bootstrap node for one newcomer.
        case chain
    }

    final class Plain: Community {
        static let id = CommunityID(bytes: Array("swift-ipv8 benchmark".utf8))!
        init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
    }

    /// One swarm's run, measured as the type's comment says.
    struct Result {
        var converged = false
        var seconds = 0.0, cpuSeconds = 0.0
        var rssGrowth = 0
        var answered = 0, datagrams = 0
        var atTarget = 0, minPeers = 0
        var cpuPerAnswered: Double { cpuSeconds / Double(max(answered, 1)) }
    }

    func run() throws {
        // Reference: one introduction round signs and verifies three packets (request, response, puncture);
        // the puncture request is unsigned.
        let (verifyNs, signNs) = Self.rawSignatureCosts()
        let roundNs = 3 * verifyNs + 3 * signNs
        print(String(format: "raw libsodium: verify %.1f µs, sign %.1f µs → one introduction round = %.1f µs of signatures",
                     verifyNs / 1000, signNs / 1000, roundNs / 1000))
        let ours = try runOurs()
        print("\(nodes) nodes, target \(target), bootstrap \(bootstrap): \(ours.converged ? "converged" : "NOT converged") in "
            + String(format: "%.1f s, CPU %.2f s (%.0f %% of one core)", ours.seconds, ours.cpuSeconds,
                     ours.cpuSeconds / ours.seconds * 100))
        print(String(format: "memory: %.1f KiB per node (RSS growth %.1f MiB; includes the 1.25 MiB receive slab once)",
                     Double(ours.rssGrowth) / 1024 / Double(nodes), Double(ours.rssGrowth) / 1048576))
        let perCPUSecond = Double(ours.answered) / ours.cpuSeconds
        let signatureBound = 1e9 / roundNs
        print(String(format: "introduction requests handled: %d (%d datagrams) = %.0f per CPU second; "
            + "signature-bound rate %.0f/s; ratio %.2f (1.00 = bound only by signatures)",
                     ours.answered, ours.datagrams, perCPUSecond, signatureBound, perCPUSecond / signatureBound))
        if !ours.converged { throw BenchError("the swarm did not converge") }
        guard comparePyIPv8 else { return }

        let py = try runPyIPv8()
        print("py-ipv8 3.2.1, \(nodes) nodes, target \(target), bootstrap \(bootstrap): "
            + (py.converged ? "converged" : "NOT converged (\(py.atTarget) of \(nodes) at target, fewest peers \(py.minPeers))")
            + String(format: " in %.1f s, CPU %.2f s (%.0f %% of one core)", py.seconds, py.cpuSeconds,
                     py.cpuSeconds / py.seconds * 100))
        print(String(format: "py-ipv8 memory: %.1f KiB per node (RSS growth %.1f MiB); introduction requests answered: "
            + "%d (%d datagrams), %.1f µs CPU each", Double(py.rssGrowth) / 1024 / Double(nodes),
                     Double(py.rssGrowth) / 1048576, py.answered, py.datagrams, py.cpuPerAnswered * 1e6))
        print(String(format: "ours: %.1f µs CPU per introduction request answered", ours.cpuPerAnswered * 1e6))
        let convergence = py.converged
            ? format(ours.seconds / py.seconds, digits: 2)
            : "n/a (py-ipv8 did not converge in \(format(pyTimeout, digits: 0)) s)"
        // A swarm that did not converge did other work (requests dropped at the cap, bootstrap walks unanswered).
        let caveat = py.converged ? "" : " (py-ipv8 unconverged: not the same work)"
        print("ratio (ours / py-ipv8), \(nodes) nodes, bootstrap \(bootstrap): convergence time \(convergence), "
            + "CPU per introduction request answered \(format(ours.cpuPerAnswered / py.cpuPerAnswered, digits: 3))\(caveat), "
            + "RSS per node \(format(Double(ours.rssGrowth) / Double(max(py.rssGrowth, 1)), digits: 3))\(caveat)")
    }

    /// Our swarm: `nodes` loopback nodes on one loop, run on this thread until every node is at its target.
    private func runOurs() throws -> Result {
        let rssBefore = Self.residentBytes()
        let swarm = try LoopbackSwarm(count: nodes, walkInterval: .seconds(walkInterval), maxPeers: maxPeers,
                                      bootstrapToFirst: bootstrap == .first, randomWalkTarget: target) { try Plain(context: $0) }
        defer { swarm.stop() }
        if bootstrap == .chain {
            for i in swarm.nodes.indices.dropFirst() {
                swarm.nodes[i].community.bootstrappers = [AddressListBootstrapper([swarm.nodes[i - 1].address])]
            }
        }
        let cpuBefore = Self.processCPUSeconds()   // the run, not the set-up (key generation, sockets)
        let start = ContinuousClock.now
        swarm.start()
        var result = Result()
        result.converged = swarm.run(until: { swarm.nodes.allSatisfy { $0.community.peerCount >= target } },
                                     timeout: .seconds(600))
        result.seconds = (ContinuousClock.now - start) / .seconds(1)
        result.cpuSeconds = Self.processCPUSeconds() - cpuBefore
        result.rssGrowth = Self.residentBytes() - rssBefore
        result.answered = swarm.nodes.reduce(0) {
            $0 + $1.community.counters.handled(id: MessageID.introductionRequest)
                + $1.community.counters.handled(id: MessageID.newIntroductionRequest)
        }
        result.datagrams = Int(swarm.nodes.reduce(UInt64(0)) { $0 + $1.service.endpoint.counters.packetsIn })
        let counts = swarm.nodes.map(\.community.peerCount)
        result.atTarget = counts.count(where: { $0 >= target })
        result.minPeers = counts.min() ?? 0
        return result
    }

    /// py-ipv8's swarm (Tests/Interop/pyswarm.py): its final line, then the process stopped by its PID.
    private func runPyIPv8() throws -> Result {
        let process = try BenchProcess.pyIPv8Swarm(python: python, pyswarm: pyswarm, arguments: [
            "--nodes", "\(nodes)", "--target", "\(target)", "--walker-interval", "\(walkInterval)",
            "--max-peers", "\(maxPeers)", "--bootstrap", bootstrap.rawValue, "--timeout", "\(pyTimeout)",
            "--interval", "3600"])
        defer { process.stop() }
        let deadline = ContinuousClock.now + .seconds(pyTimeout + 60)
        while let line = process.nextLine(timeout: deadline - ContinuousClock.now) {
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = json["event"] as? String, event == "converged" || event == "timeout" else { continue }
            func number(_ key: String) throws -> Double {
                guard let value = json[key] as? NSNumber else { throw BenchError("py-ipv8 swarm: no \(key) in \(line)") }
                return value.doubleValue
            }
            if try number("blocked_sends") > 0 { throw BenchError("py-ipv8 swarm sent outside 127.0.0.0/8") }
            var result = Result()
            result.converged = event == "converged"
            result.seconds = try number("seconds")
            result.cpuSeconds = try number("cpu_seconds")
            result.rssGrowth = Int(try number("rss_growth_bytes"))
            result.answered = Int(try number("answered"))
            result.datagrams = Int(try number("datagrams_in"))
            result.atTarget = Int(try number("at_target"))
            result.minPeers = Int(try number("min_peers"))
            return result
        }
        throw BenchError("py-ipv8 swarm gave no result within \(format(pyTimeout + 60, digits: 0)) s")
    }

    /// User + system CPU seconds of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func rawSignatureCosts() -> (verifyNs: Double, signNs: Double) {
        _ = sodium_init()
        var pk = [UInt8](repeating: 0, count: 32), sk = [UInt8](repeating: 0, count: 64)
        crypto_sign_seed_keypair(&pk, &sk, [UInt8](repeating: 7, count: 32))
        let message = [UInt8](repeating: 0x5A, count: 140)
        var signature = [UInt8](repeating: 0, count: 64)
        let n = 5_000
        var t0 = reference_thread_cpu_ns()
        for _ in 0..<n { crypto_sign_detached(&signature, nil, message, UInt64(message.count), sk) }
        let sign = Double(reference_thread_cpu_ns() - t0) / Double(n)
        var bad = 0
        t0 = reference_thread_cpu_ns()
        for _ in 0..<n { if crypto_sign_verify_detached(signature, message, UInt64(message.count), pk) != 0 { bad += 1 } }
        let verify = Double(reference_thread_cpu_ns() - t0) / Double(n)
        precondition(bad == 0)
        return (verify, sign)
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
