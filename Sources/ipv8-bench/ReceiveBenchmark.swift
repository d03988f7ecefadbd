import CReferenceReceiver
import IPv8

/// Receive path: CPU per datagram of the Swift endpoint (recvmmsg → prefix table → listener) against the
/// plain-C libuv receiver, both fed by the same C sender on loopback, alternating, in one run.
struct ReceiveBenchmark {
    var datagrams: UInt64 = 200_000
    var size: UInt32 = 100
    var rounds = 5
    var senderPauseMicros: UInt32 = 0

    static let prefix: [UInt8] = [0, 2] + Array(0..<20)

    struct Sample {
        var packets: UInt64
        var cpuNanos: UInt64
        var nanosPerPacket: Double { packets == 0 ? .nan : Double(cpuNanos) / Double(packets) }
    }

    func run() throws -> [(reference: Sample, swift: Sample)] {
        var results: [(Sample, Sample)] = []
        for round in 1...rounds {
            let c = try runReference()
            let s = try runSwift()
            print("round \(round): C \(format(c.nanosPerPacket)) ns/datagram (\(c.packets) received), "
                + "Swift \(format(s.nanosPerPacket)) ns/datagram (\(s.packets) received), "
                + "ratio \(format(s.nanosPerPacket / c.nanosPerPacket, digits: 3))")
            results.append((c, s))
        }
        return results
    }

    private func runReference() throws -> Sample {
        var port: UInt16 = 0
        guard let receiver = Self.prefix.withUnsafeBufferPointer({ reference_receiver_create($0.baseAddress, &port) }) else {
            throw BenchError("reference receiver could not bind 127.0.0.1")
        }
        defer { reference_receiver_destroy(receiver) }
        let sender = Self.prefix.withUnsafeBufferPointer {
            reference_sender_start(port, $0.baseAddress, datagrams, size, 64, senderPauseMicros)
        }
        var stats = reference_stats()
        reference_receiver_run(receiver, datagrams, 200, 30_000, &stats)
        _ = reference_sender_join(sender)
        guard stats.using_recvmmsg != 0 else { throw BenchError("reference receiver is not using recvmmsg") }
        return Sample(packets: stats.packets, cpuNanos: stats.cpu_ns)
    }

    private final class CountingListener: DatagramListener {
        var packets: UInt64 = 0
        func receive(_ packet: UnsafeRawBufferPointer, from source: Address) { packets &+= 1 }
    }

    private func runSwift() throws -> Sample {
        let loop = try EventLoop()
        defer { loop.stop() }
        let endpoint = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        guard endpoint.usesRecvmmsg else { throw BenchError("Swift endpoint is not using recvmmsg") }
        let listener = CountingListener()
        try endpoint.addListener(listener, prefix: CommunityPrefix(bytes: Self.prefix)!)
        var lastSeen: UInt64 = 0
        var idle = false
        let watchdog = loop.scheduleTimer(after: .milliseconds(200), repeating: .milliseconds(200)) {
            if listener.packets > 0 && listener.packets == lastSeen { idle = true }
            lastSeen = listener.packets
        }
        let sender = Self.prefix.withUnsafeBufferPointer {
            reference_sender_start(endpoint.localAddress.port, $0.baseAddress, datagrams, size, 64, senderPauseMicros)
        }
        let cpu0 = reference_thread_cpu_ns()
        loop.run(until: { listener.packets >= datagrams || idle }, timeout: .seconds(30))
        let cpu = reference_thread_cpu_ns() - cpu0
        watchdog.cancel()
        _ = reference_sender_join(sender)
        return Sample(packets: listener.packets, cpuNanos: cpu)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func format(_ value: Double, digits: Int = 1) -> String {
    guard value.isFinite else { return "n/a" }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (value * p).rounded() / p
    return "\(r)"
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
