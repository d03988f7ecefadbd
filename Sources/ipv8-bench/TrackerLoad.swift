import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// Signed introduction requests sent to a tracker on 127.0.0.0/8 from `senders` sockets, each on its own source
/// address (127.0.1.1, 127.0.1.2, …) with its own key, in one community, with at most `window` unanswered at
/// once. Every request is signed ahead of time, so that the load costs a `sendto` and a `recv` per answer. A
/// request unanswered after 100 ms (lost, or shed by the tracker) gives its place in the window to a new one.
/// Closed by ``close()``.
final class TrackerLoad {
    /// What one ``run(seconds:trackerPID:)`` saw.
    struct Result {
        var answered = 0, sent = 0
        var wallSeconds = 0.0, cpuSeconds = 0.0
        /// The part of ``cpuSeconds`` the tracker spent in the kernel (counted in 10 ms ticks, where
        /// ``cpuSeconds`` is to the nanosecond: meaningful over many runs taken together).
        var systemSeconds = 0.0
        var perSecond: Double { Double(answered) / wallSeconds }
        var perCPUSecond: Double { Double(answered) / max(cpuSeconds, 1e-9) }

        /// The results of several runs taken together.
        static func sum(_ results: [Result]) -> Result {
            results.reduce(into: Result()) {
                $0.answered += $1.answered
                $0.sent += $1.sent
                $0.wallSeconds += $1.wallSeconds
                $0.cpuSeconds += $1.cpuSeconds
                $0.systemSeconds += $1.systemSeconds
            }
        }
    }

    private let tracker: Address
    private let window: Int
    private var sockets: [LoopbackSocket] = []
    private var packets: [[[UInt8]]] = []
    private var pollSet: [pollfd] = []
    private var receiveBuffer = [UInt8](repeating: 0, count: 2048)
    private var next = 0
    /// When each request in flight left, oldest first from `oldest` on (answers are taken to come in order).
    private var inFlight: [ContinuousClock.Instant] = []
    private var oldest = 0
    private var outstanding: Int { inFlight.count - oldest }
    private static let giveUp = Duration.milliseconds(100)

    init(tracker: Address, senders: Int, window: Int) throws {
        self.tracker = tracker
        self.window = window
        let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array("swift-ipv8 tracker bench".utf8.prefix(20)))!)
        do {
            for index in 0..<senders {
                sockets.append(try LoopbackSocket(host: "127.0.\(1 + index / 250).\(1 + index % 250)"))
                let key = PrivateKey.generate()
                // Distinct requests (the tracker drops exact repeats of a verified datagram): 16,384 in all,
                // more than its repeat memory holds, so cycling through them never repeats within it.
                packets.append((0..<max(64, 16_384 / senders)).map { i in
                    PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: tracker,
                                                                        sourceLANAddress: Address(127, 0, 0, 1, port: 1),
                                                                        sourceWANAddress: Address(127, 0, 0, 1, port: 1),
                                                                        identifier: UInt16(truncatingIfNeeded: i)),
                                             prefix: prefix, globalTime: UInt64(i), key: key)
                })
            }
        } catch {
            close()
            throw error
        }
        pollSet = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
    }

    func close() {
        for socket in sockets { socket.close() }
        sockets = []
    }

    /// Keeps `window` requests in flight for `seconds`, counting answers and, when `trackerPID` is not 0, the
    /// tracker's CPU seconds.
    func run(seconds: Double, trackerPID: Int32) -> Result {
        var result = Result()
        let cpuBefore = BenchProcess.cpuTimes(of: trackerPID)
        let preciseBefore = BenchProcess.preciseCPUSeconds(of: trackerPID)
        let start = ContinuousClock.now
        let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while ContinuousClock.now < end {
            while outstanding < window {
                let sender = next % sockets.count
                let packet = packets[sender][(next / sockets.count) % packets[sender].count]
                next += 1
                guard sockets[sender].send(packet, to: tracker) else { break }
                result.sent += 1
                inFlight.append(.now)
            }
            result.answered += receive(waitingMilliseconds: 20)
            // Answers lost (a full socket buffer, a shed request) would shrink the window for good.
            let now = ContinuousClock.now
            while oldest < inFlight.count && now - inFlight[oldest] > Self.giveUp { oldest += 1 }
            compact()
        }
        result.wallSeconds = (ContinuousClock.now - start) / .seconds(1)
        let cpuAfter = BenchProcess.cpuTimes(of: trackerPID)
        result.systemSeconds = cpuAfter.system - cpuBefore.system   // in ticks: a share over many runs only
        result.cpuSeconds = BenchProcess.preciseCPUSeconds(of: trackerPID) - preciseBefore
        return result
    }

    /// Sends nothing and takes the answers still in flight, for at most 200 ms; those left are given up.
    func drain() {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(200))
        while outstanding > 0 && ContinuousClock.now < deadline { _ = receive(waitingMilliseconds: 20) }
        inFlight.removeAll(keepingCapacity: true)
        oldest = 0
    }

    /// Drops the answered part of `inFlight` once it outgrows the window.
    private func compact() {
        guard oldest > window else { return }
        inFlight.removeFirst(oldest)
        oldest = 0
    }

    /// Waits up to `waitingMilliseconds` for answers and takes every one waiting; how many there were.
    private func receive(waitingMilliseconds: Int32) -> Int {
        guard poll(&pollSet, nfds_t(pollSet.count), waitingMilliseconds) > 0 else { return 0 }
        var answered = 0
        for i in pollSet.indices where pollSet[i].revents & Int16(POLLIN) != 0 {
            while let n = sockets[i].receive(into: &receiveBuffer) {
                if n > 22 && receiveBuffer[22] == MessageID.introductionResponse {
                    answered += 1
                    if oldest < inFlight.count { oldest += 1 }
                }
            }
        }
        return answered
    }
}
