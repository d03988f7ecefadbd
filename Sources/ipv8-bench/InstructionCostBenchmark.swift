import CSodium
import IPv8
import IPv8Testing

/// Deterministic work for `make bench-check`, which runs it under callgrind and counts the instructions of
/// one measured function per datagram (`--toggle-collect`), so the figure does not move with the machine's load:
/// - `receive`: datagrams already waiting in a UDP socket's buffer, read by the endpoint (recvmmsg through libuv)
///   and routed by prefix to a counting listener, in rounds of `batch` (sent before each measured round);
/// - `answer`: distinct signed introduction requests (deterministic keys, one source address each) handed to a
///   community through the embedded endpoint: route, gate, decode, verify, answer, sign;
/// - `bound`: the reference for `answer`, raw libsodium verifies of the same requests each followed by a raw sign
///   of a response-sized message (what the signatures alone cost).
/// The measured functions are `measuredReceiveRound`, `measuredAnswers` and `measuredBound`; nothing else is
/// counted.
struct InstructionCostBenchmark {
    enum Phase: String, CaseIterable { case receive, answer, bound }

    var datagrams = 1_000
    /// Datagrams sent before each measured receive round: few enough for a default socket buffer.
    var batch = 100

    func run(_ phase: Phase) throws {
        switch phase {
        case .receive: try runReceive()
        case .answer: try runAnswer()
        case .bound: try runBound()
        }
    }

    private final class CountingListener: DatagramListener {
        var packets = 0
        func receive(_ packet: UnsafeRawBufferPointer, from source: Address) { packets += 1 }
    }

    private func runReceive() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let endpoint = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        let prefix = CommunityPrefix(bytes: ReceiveBenchmark.prefix)!
        let listener = CountingListener()
        try endpoint.addListener(listener, prefix: prefix)
        let sender = try LoopbackSocket()
        defer { sender.close() }
        let packet = ReceiveBenchmark.prefix + [UInt8](repeating: 0x42, count: 78)
        while listener.packets < datagrams {
            let goal = min(datagrams, listener.packets + batch)
            for _ in listener.packets..<goal {
                guard sender.send(packet, to: endpoint.localAddress) else { throw BenchError("send refused") }
            }
            guard measuredReceiveRound(loop, until: { listener.packets >= goal }) else {
                throw BenchError("receive round: \(listener.packets) of \(goal) datagrams arrived in 10 s")
            }
        }
        print("receive: \(listener.packets) datagrams of \(packet.count) bytes in rounds of \(batch)")
    }

    @inline(never)
    private func measuredReceiveRound(_ loop: EventLoop, until done: () -> Bool) -> Bool {
        loop.run(until: done, timeout: .seconds(10))
    }

    private func makeCommunity() throws -> (PlainCommunity, EmbeddedEndpoint) {
        let clock = ManualClock(start: 100)
        let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
        let community = try PlainCommunity(context: CommunityContext(
            key: PrivateKey.deterministic(seed: 1), endpoint: endpoint, network: Network(), clock: clock,
            timers: ManualTimerScheduler(clock: clock), random: RandomSource(seed: 1)))
        return (community, endpoint)
    }

    private func makeRequests(_ community: PlainCommunity, to endpoint: EmbeddedEndpoint) -> [(bytes: [UInt8], source: Address)] {
        (0..<datagrams).map { i in
            let source = Address(127, 0, UInt8(1 + i / 250), UInt8(1 + i % 250), port: 8000)
            let request = IntroductionRequestPayload(destinationAddress: endpoint.localAddress, sourceLANAddress: source,
                                                     sourceWANAddress: source, identifier: UInt16(truncatingIfNeeded: i))
            return (PacketEncoder.coreSigned(request, prefix: community.prefix, globalTime: UInt64(i + 1),
                                             key: PrivateKey.deterministic(seed: UInt64(1_000 + i % 64))), source)
        }
    }

    private func runAnswer() throws {
        let (community, endpoint) = try makeCommunity()
        let requests = makeRequests(community, to: endpoint)
        let answered = measuredAnswers(requests, endpoint)
        guard answered == datagrams else { throw BenchError("answer: \(answered) of \(datagrams) requests answered") }
        print("answer: \(answered) signed introduction requests answered, \(community.peerCount) peers")
    }

    private func runBound() throws {
        let (community, endpoint) = try makeCommunity()
        let requests = makeRequests(community, to: endpoint)
        let fixture = SignedPacketFixture()
        let failures = measuredBound(requests.map(\.bytes), secretKey: fixture.rawSecretKey,
                                     response: [UInt8](repeating: 0x5A, count: fixture.responseSignedLength))
        guard failures == 0 else { throw BenchError("bound: \(failures) signatures did not verify") }
        print("bound: \(requests.count) raw verifies, each with a raw sign")
    }

    /// Raw libsodium only: each request's verify, then a sign of `response` (as many bytes as a response's
    /// signature covers).
    @inline(never)
    private func measuredBound(_ packets: [[UInt8]], secretKey: [UInt8], response: [UInt8]) -> Int {
        var failures = 0
        var signature = [UInt8](repeating: 0, count: 64)
        for packet in packets {
            packet.withUnsafeBytes { raw in
                if !SignedPacketFixture.rawVerify(raw) { failures += 1 }
                crypto_sign_detached(&signature, nil, response, UInt64(response.count), secretKey)
            }
        }
        return failures
    }

    @inline(never)
    private func measuredAnswers(_ requests: [(bytes: [UInt8], source: Address)], _ endpoint: EmbeddedEndpoint) -> Int {
        var answered = 0
        for request in requests {
            endpoint.writeInbound(request.bytes, from: request.source)
            while let reply = endpoint.readOutbound() {
                if reply.bytes.count > 22 && reply.bytes[22] == MessageID.introductionResponse { answered += 1 }
            }
        }
        return answered
    }
}
