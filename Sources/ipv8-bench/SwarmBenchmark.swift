import CReferenceReceiver
import CSodium
import Foundation
import IPv8
import IPv8Testing

/// N nodes on loopback sockets in one process on one loop, one bootstrap node, RandomWalk target 20:
/// time and CPU to converge, memory per node, and introduction requests handled per CPU second against
/// what the signature operations alone allow (raw libsodium, measured in the same run).
struct SwarmBenchmark {
    var nodes = 1_000
    var target = 20
    var walkInterval = 0.5

    final class Plain: Community {
        static let id = CommunityID(bytes: Array("swift-ipv8 benchmark".utf8))!
        init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
    }

    func run() throws {
        // Reference: one introduction round signs and verifies three packets (request, response, puncture);
        // the puncture request is unsigned.
        let (verifyNs, signNs) = Self.rawSignatureCosts()
        let roundNs = 3 * verifyNs + 3 * signNs
        print(String(format: "raw libsodium: verify %.1f µs, sign %.1f µs → one introduction round = %.1f µs of signatures",
                     verifyNs / 1000, signNs / 1000, roundNs / 1000))

        let rssBefore = Self.residentBytes()
        let swarm = try LoopbackSwarm(count: nodes, walkInterval: .seconds(walkInterval), bootstrapToFirst: true,
                                      randomWalkTarget: target) { try Plain(context: $0) }
        defer { swarm.stop() }
        let cpuBefore = reference_thread_cpu_ns()   // the run, not the set-up (key generation, sockets)
        let start = ContinuousClock.now
        swarm.start()
        let converged = swarm.run(until: { swarm.nodes.allSatisfy { $0.community.peerCount >= target } },
                                  timeout: .seconds(600))
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let cpuNs = Double(reference_thread_cpu_ns() - cpuBefore)
        let rssAfter = Self.residentBytes()
        let requests = swarm.nodes.reduce(0) { $0 + $1.community.counters.handledByID[246] + $1.community.counters.handledByID[234] }
        let datagrams = swarm.nodes.reduce(UInt64(0)) { $0 + $1.service.endpoint.counters.packetsIn }
        print("\(nodes) nodes, target \(target): \(converged ? "converged" : "NOT converged") in "
            + String(format: "%.1f s, CPU %.2f s (%.0f %% of one core)", elapsed, cpuNs / 1e9, cpuNs / 1e9 / elapsed * 100))
        print(String(format: "memory: %.1f KiB per node (RSS growth %.1f MiB; includes the 1.25 MiB receive slab once)",
                     Double(rssAfter - rssBefore) / 1024 / Double(nodes), Double(rssAfter - rssBefore) / 1048576))
        let perCPUSecond = Double(requests) / (cpuNs / 1e9)
        let signatureBound = 1e9 / roundNs
        print(String(format: "introduction requests handled: %d (%d datagrams) = %.0f per CPU second; "
            + "signature-bound rate %.0f/s; ratio %.2f (1.00 = bound only by signatures)",
                     requests, datagrams, perCPUSecond, signatureBound, perCPUSecond / signatureBound))
        if !converged { throw BenchError("the swarm did not converge") }
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
