import Foundation
import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// Introduction requests a tracker answers per second, on 127.0.0.1: `ipv8-node tracker` against, in the
/// same run, a py-ipv8 node doing the tracker's work (Tests/Interop/pynode.py --tracker-mode: verify,
/// remember, introduce, sign), and, for a curve25519 tracker, against the raw verify+sign bound. The load:
/// `senders` sockets, each with its own source address (127.0.1.x) and key, in one community, each
/// request signed ahead of time, at most `window` unanswered at once; answers are counted per second of
/// wall time and per CPU second of the tracker process.
struct TrackerBenchmark {
    var seconds = 5.0
    var senders = 16
    var window = 32
    var comparePyIPv8 = false
    /// The key kind `ipv8-node tracker` signs with (py-ipv8's trackers: very-low).
    var curve = "very-low"
    var python = ".venv/bin/python"
    var pynode = "Tests/Interop/pynode.py"

    struct Result {
        var answered = 0, sent = 0
        var wallSeconds = 0.0, cpuSeconds = 0.0
        var perSecond: Double { Double(answered) / wallSeconds }
        var perCPUSecond: Double { Double(answered) / max(cpuSeconds, 1e-9) }
    }

    /// Load a tracker that is already running (loopback only) instead of starting ours, e.g. to profile it.
    var existing: Address?

    func run() throws {
        if let existing {
            guard existing.isLoopback else { throw BenchError("--address must be on 127.0.0.0/8") }
            report("tracker at \(existing)", try load(existing, pid: 0))
            return
        }
        // The reference: what the signatures alone allow (curve25519 keys sign with libsodium), measured just
        // before and just after our tracker's run (this machine's speed drifts), and averaged.
        let reference = CryptoBenchmark(operations: 5_000)
        let before = curve == "curve25519" ? try reference.verifySignBound() : nil
        let ours = try measure(BenchProcess.ourTracker(curve: curve))
        report("ipv8-node tracker", ours)
        if let before {
            let after = try reference.verifySignBound()
            let bound = (before + after) / 2
            print("verify+sign bound (raw libsodium, one core): \(Int(before))/s before, \(Int(after))/s after; "
                + "ours / bound: answered per second "
                + "\(format(ours.perSecond / bound, digits: 2)), per tracker CPU second \(format(ours.perCPUSecond / bound, digits: 2)) "
                + "(target >= 0.90)")
        }
        guard comparePyIPv8 else { return }
        let py = try measure(BenchProcess.pyIPv8Tracker(python: python, pynode: pynode))
        report("py-ipv8 tracker", py)
        print("ratio (ours / py-ipv8): answered per second \(format(ours.perSecond / py.perSecond, digits: 2)), "
            + "per tracker CPU second \(format(ours.perCPUSecond / py.perCPUSecond, digits: 2))")
    }

    private func report(_ name: String, _ r: Result) {
        let cpu = r.cpuSeconds > 0 ? ", \(Int(r.perCPUSecond)) per tracker CPU second" : ""
        print("\(name): \(r.answered) of \(r.sent) requests answered in \(format(r.wallSeconds, digits: 2)) s → "
            + "\(Int(r.perSecond)) answers/s\(cpu)")
    }

    /// Loads `tracker` for `seconds`, then stops it by its PID.
    private func measure(_ tracker: BenchProcess) throws -> Result {
        defer { tracker.stop() }
        return try load(Address(127, 0, 0, 1, port: tracker.port), pid: tracker.pid)
    }

    private func load(_ tracker: Address, pid: Int32) throws -> Result {
        let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array("swift-ipv8 tracker bench".utf8.prefix(20)))!)
        var sockets: [LoopbackSocket] = []
        var packets: [[[UInt8]]] = []
        defer { for socket in sockets { socket.close() } }
        for index in 0..<senders {
            // Each sender from its own source address (127.0.1.1, 127.0.1.2, …), as a tracker's load comes.
            sockets.append(try LoopbackSocket(host: "127.0.\(1 + index / 250).\(1 + index % 250)"))
            let key = PrivateKey.generate()
            // Distinct requests (the tracker drops exact repeats of a verified datagram): more than its
            // repeat memory holds, so cycling through them never repeats within it.
            packets.append((0..<1_024).map { i in
                PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: tracker,
                                                                    sourceLANAddress: Address(127, 0, 0, 1, port: 1),
                                                                    sourceWANAddress: Address(127, 0, 0, 1, port: 1),
                                                                    identifier: UInt16(truncatingIfNeeded: i)),
                                         prefix: prefix, globalTime: UInt64(i), key: key)
            })
        }
        var result = Result()
        var outstanding = 0
        var lastAnswer = ContinuousClock.now
        var pollSet = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        var receiveBuffer = [UInt8](repeating: 0, count: 2048)
        let cpuBefore = BenchProcess.cpuSeconds(of: pid)
        let start = ContinuousClock.now
        let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var next = 0
        while ContinuousClock.now < end {
            while outstanding < window {
                let sender = next % senders
                let packet = packets[sender][(next / senders) % packets[sender].count]
                next += 1
                let sent = sockets[sender].send(packet, to: tracker)
                if sent { result.sent += 1; outstanding += 1 } else { break }
            }
            guard poll(&pollSet, nfds_t(pollSet.count), 20) >= 0 else { break }
            for i in pollSet.indices where pollSet[i].revents & Int16(POLLIN) != 0 {
                while true {
                    guard let n = sockets[i].receive(into: &receiveBuffer), n > 22 else { break }
                    if receiveBuffer[22] == MessageID.introductionResponse {
                        result.answered += 1
                        outstanding -= 1
                        lastAnswer = ContinuousClock.now
                    }
                }
            }
            // Answers lost (a full socket buffer) would stall the window: give up on them after 100 ms.
            if outstanding > 0 && ContinuousClock.now - lastAnswer > .milliseconds(100) {
                outstanding = 0
                lastAnswer = ContinuousClock.now
            }
        }
        result.wallSeconds = (ContinuousClock.now - start) / .seconds(1)
        result.cpuSeconds = BenchProcess.cpuSeconds(of: pid) - cpuBefore
        return result
    }
}
