import Foundation
import IPv8
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Fair service under a one-source flood, on 127.0.0.0/8: honest hosts (127.0.0.3 …) each send one signed
/// introduction request every `honestInterval` to a tracker while one flooding host (127.0.0.2) sends as fast
/// as its socket goes. Phases, each `seconds` long, against the same tracker process:
/// - `none`: the honest hosts alone;
/// - `replay`: the flooder cycles through 1,024 signed requests (the attack of issue 14);
/// - `distinct`: the flooder cycles through `distinctRequests` signed requests, more than the tracker's
///   repeat memory, so each one costs a verification;
/// - `forged`: the same requests with a corrupted signature.
/// A request is a success when its answer (an introduction response with its identifier) comes within
/// `answerTimeout`. Printed per phase: honest success and latency, flooder datagrams sent and answered per
/// second, tracker CPU; then the same for py-ipv8 (`--compare-pyipv8`), whose tracker has no defence.
struct FloodBenchmark {
    var seconds = 5.0
    var honestHosts = 4
    var honestInterval: Duration = .milliseconds(100)
    var answerTimeout: Duration = .seconds(1)
    var distinctRequests = 65_536
    var comparePyIPv8 = false
    var curve = "very-low"
    var python = ".venv/bin/python"
    var pynode = "Tests/Interop/pynode.py"

    enum FloodKind: String, CaseIterable { case none, replay, distinct, forged }

    struct Phase {
        var kind = FloodKind.none
        var honestSent = 0, honestAnswered = 0
        var latenciesMs: [Double] = []
        var floodSent = 0, floodAnswered = 0
        var seconds = 0.0, trackerCPUSeconds = 0.0
        var honestSuccess: Double { honestSent == 0 ? 0 : Double(honestAnswered) / Double(honestSent) }
        var floodSentPerSecond: Double { Double(floodSent) / seconds }
        var floodAnsweredPerSecond: Double { Double(floodAnswered) / seconds }
    }

    private let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array("swift-ipv8 flood bench".utf8.prefix(20)))!)

    func run() throws {
        let ours = try measure(BenchProcess.ourTracker(curve: curve))
        guard comparePyIPv8 else { return }
        let py = try measure(BenchProcess.pyIPv8Tracker(python: python, pynode: pynode))
        for (o, p) in zip(ours, py) where o.kind != .none {
            let success = p.honestSuccess > 0
                ? "\(format(o.honestSuccess / p.honestSuccess, digits: 2))×"
                : "ours \(format(o.honestSuccess * 100)) %, py-ipv8 0 %"
            print("ratio (ours / py-ipv8), \(o.kind) flood: honest success \(success); "
                + "flooder answered \(Int(o.floodAnsweredPerSecond))/s against \(Int(p.floodAnsweredPerSecond))/s")
        }
    }

    /// Every phase against `tracker`, printed as it ends; stops the tracker by its PID.
    private func measure(_ tracker: BenchProcess) throws -> [Phase] {
        defer { tracker.stop() }
        let target = Address(127, 0, 0, 1, port: tracker.port)
        let honest = try (0..<honestHosts).map { i in (socket: try LoopbackSocket(host: "127.0.0.\(3 + i)"), key: PrivateKey.generate()) }
        defer { for h in honest { h.socket.close() } }
        let floodKey = PrivateKey.generate()
        let distinct = (0..<distinctRequests).map { request(to: target, identifier: $0, key: floodKey) }
        let forged = distinct.map { packet in
            var bad = packet
            bad[bad.count - 1] ^= 0x01   // the signature is the packet's last 64 bytes
            return bad
        }
        var identifier = 0
        var phases: [Phase] = []
        for kind in FloodKind.allCases {
            let packets: [[UInt8]]
            switch kind {
            case .none: packets = []
            case .replay: packets = Array(distinct.prefix(1_024))
            case .distinct: packets = distinct
            case .forged: packets = forged
            }
            // A socket of its own per phase, so that late answers to one flood do not count for the next.
            let flooder = try LoopbackSocket(host: "127.0.0.2", receiveBuffer: 4 << 20)
            defer { flooder.close() }
            let flood = packets.isEmpty ? nil : Flood(socket: flooder, to: target, packets: packets)
            let cpuBefore = tracker.cpuSeconds
            let start = ContinuousClock.now
            var phase = honestPhase(honest, to: target, identifier: &identifier)
            phase.seconds = (ContinuousClock.now - start) / .seconds(1)
            phase.trackerCPUSeconds = tracker.cpuSeconds - cpuBefore
            if let flood { (phase.floodSent, phase.floodAnswered) = flood.stop() }
            phase.kind = kind
            report(tracker.name, phase)
            phases.append(phase)
        }
        return phases
    }

    /// The honest hosts' requests for `seconds`, then their answers for up to `answerTimeout` more.
    private func honestPhase(_ honest: [(socket: LoopbackSocket, key: PrivateKey)], to target: Address,
                             identifier: inout Int) -> Phase {
        var phase = Phase()
        var pending: [Int: ContinuousClock.Instant] = [:]   // host index << 16 | identifier → sent at
        var pollSet = honest.map { pollfd(fd: $0.socket.fd, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let start = ContinuousClock.now
        let sendingEnds = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        let end = sendingEnds + answerTimeout
        var nextSend = start
        while ContinuousClock.now < end {
            let now = ContinuousClock.now
            if now >= nextSend && now < sendingEnds {
                identifier = (identifier + 1) & 0xFFFF
                for (i, h) in honest.enumerated()
                where h.socket.send(request(to: target, identifier: identifier, key: h.key), to: target) {
                    phase.honestSent += 1
                    pending[i << 16 | identifier] = ContinuousClock.now
                }
                nextSend += honestInterval
            }
            let wait = max(.zero, min(nextSend, end) - ContinuousClock.now) / .milliseconds(1)
            guard poll(&pollSet, nfds_t(pollSet.count), Int32(min(wait.rounded(.up), 100))) >= 0 else { break }
            for i in pollSet.indices where pollSet[i].revents & Int16(POLLIN) != 0 {
                while let n = honest[i].socket.receive(into: &buffer) {
                    guard let answered = Self.responseIdentifier(buffer, count: n),
                          let sent = pending.removeValue(forKey: i << 16 | Int(answered)) else { continue }
                    let latency = ContinuousClock.now - sent
                    guard latency <= answerTimeout else { continue }
                    phase.honestAnswered += 1
                    phase.latenciesMs.append(latency / .milliseconds(1))
                }
            }
        }
        return phase
    }

    private func request(to target: Address, identifier: Int, key: PrivateKey) -> [UInt8] {
        PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: target,
                                                            sourceLANAddress: Address(127, 0, 0, 1, port: 1),
                                                            sourceWANAddress: Address(127, 0, 0, 1, port: 1),
                                                            identifier: UInt16(truncatingIfNeeded: identifier)),
                                 prefix: prefix, globalTime: UInt64(identifier) + 1, key: key)
    }

    /// The identifier of an introduction response (signature not checked), or nil for anything else.
    static func responseIdentifier(_ buffer: [UInt8], count: Int) -> UInt16? {
        buffer.withUnsafeBytes { raw -> UInt16? in
            guard let view = try? SignedPacketView(UnsafeRawBufferPointer(rebasing: raw[0..<count])),
                  view.messageID == MessageID.introductionResponse,
                  let (_, response) = try? view.decodeCore(IntroductionResponsePayload.self) else { return nil }
            return response.identifier
        }
    }

    private func report(_ name: String, _ p: Phase) {
        let latencies = p.latenciesMs.sorted()
        func quantile(_ q: Double) -> String {
            latencies.isEmpty ? "-" : format(latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))], digits: 2)
        }
        var line = "\(name), flood \(p.kind): honest \(p.honestAnswered)/\(p.honestSent) answered within "
            + "\(format(answerTimeout / .seconds(1), digits: 1)) s (\(format(p.honestSuccess * 100)) %), "
            + "latency p50 \(quantile(0.5)) ms p99 \(quantile(0.99)) ms"
        if p.kind != .none {
            line += "; flooder sent \(Int(p.floodSentPerSecond))/s, answered \(Int(p.floodAnsweredPerSecond))/s"
        }
        line += "; tracker CPU \(format(p.trackerCPUSeconds / p.seconds, digits: 2)) s/s"
        print(line)
        fflush(nil)
    }

    /// One flooding host: a thread sending `packets` round and round from `socket` as fast as it goes, and
    /// one counting the introduction responses it gets; both end at ``stop()`` or after 60 s.
    final class Flood: Sendable {
        private let stopFlag = Atomic<Bool>(false)
        private let sent = Atomic<Int>(0)
        private let answered = Atomic<Int>(0)
        private let done = DispatchSemaphore(value: 0)

        init(socket: LoopbackSocket, to target: Address, packets: [[UInt8]]) {
            let deadline = ContinuousClock.now + .seconds(60)   // bounded in time whatever happens
            Thread { [self] in
                defer { done.signal() }
                var i = 0
                while !stopFlag.load(ordering: .relaxed) && (i & 0xFFF != 0 || ContinuousClock.now < deadline) {
                    if socket.send(packets[i % packets.count], to: target) { sent.add(1, ordering: .relaxed) }
                    i += 1
                }
            }.start()
            Thread { [self] in
                defer { done.signal() }
                var buffer = [UInt8](repeating: 0, count: 2048)
                var pollSet = [pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)]
                while !stopFlag.load(ordering: .relaxed) && ContinuousClock.now < deadline {
                    guard poll(&pollSet, 1, 20) >= 0 else { break }
                    while let n = socket.receive(into: &buffer) {
                        if n > 22 && buffer[22] == MessageID.introductionResponse { answered.add(1, ordering: .relaxed) }
                    }
                }
            }.start()
        }

        /// Stops both threads; the datagrams sent and the answers received.
        func stop() -> (sent: Int, answered: Int) {
            stopFlag.store(true, ordering: .relaxed)
            done.wait()
            done.wait()
            return (sent.load(ordering: .relaxed), answered.load(ordering: .relaxed))
        }
    }
}
