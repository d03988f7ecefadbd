import Foundation
import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// Introduction requests a tracker answers per second, on 127.0.0.1: `ipv8-node tracker` against, in the
/// same run, a py-ipv8 node doing the tracker's work (Tests/Interop/pynode.py --tracker-mode: verify,
/// remember, introduce, sign). The load: `senders` sockets with their own keys in one community, each
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
        let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let ours = try measure(name: "ipv8-node tracker", executable: binDir.appendingPathComponent("ipv8-node").path,
                               arguments: ["tracker", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "3600",
                                           "--log-level", "error", "--curve", curve]) { line in
            guard line.hasPrefix("tracker on 127.0.0.1:") else { return nil }
            return UInt16(line.split(separator: " ")[2].split(separator: ":")[1])
        }
        report("ipv8-node tracker", ours)
        guard comparePyIPv8 else { return }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("no py-ipv8 venv at \(python): run `make interop-env` or pass --python")
        }
        let py = try measure(name: "py-ipv8 tracker", executable: python,
                             arguments: [pynode, "--tracker-mode", "--port", "0", "--interval", "3600", "--duration", "3600"]) { line in
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let port = json["port"] as? Int else { return nil }
            return UInt16(port)
        }
        report("py-ipv8 tracker", py)
        print("ratio (ours / py-ipv8): answered per second \(format(ours.perSecond / py.perSecond, digits: 2)), "
            + "per tracker CPU second \(format(ours.perCPUSecond / py.perCPUSecond, digits: 2))")
    }

    private func report(_ name: String, _ r: Result) {
        let cpu = r.cpuSeconds > 0 ? ", \(Int(r.perCPUSecond)) per tracker CPU second" : ""
        print("\(name): \(r.answered) of \(r.sent) requests answered in \(format(r.wallSeconds, digits: 2)) s → "
            + "\(Int(r.perSecond)) answers/s\(cpu)")
    }

    /// Starts the tracker, waits for its port, loads it for `seconds`, stops it by its PID.
    private func measure(name: String, executable: String, arguments: [String],
                         port parse: @escaping (String) -> UInt16?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let port = try readPort(out.fileHandleForReading, parse: parse, name: name)
        return try load(Address(127, 0, 0, 1, port: port), pid: process.processIdentifier)
    }

    private func readPort(_ handle: FileHandle, parse: (String) -> UInt16?, name: String) throws -> UInt16 {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                if let port = parse(String(line)) { return port }
            }
        }
        throw BenchError("\(name) did not report its port")
    }

    private func load(_ tracker: Address, pid: Int32) throws -> Result {
        let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array("swift-ipv8 tracker bench".utf8.prefix(20)))!)
        var sockets: [Int32] = []
        var packets: [[[UInt8]]] = []
        defer { for fd in sockets { close(fd) } }
        for _ in 0..<senders {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
            sockets.append(fd)
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw BenchError("bind: \(String(cString: strerror(errno)))") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
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
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = tracker.port.bigEndian
        destination.sin_addr.s_addr = inet_addr("127.0.0.1")
        var result = Result()
        var outstanding = 0
        var lastAnswer = ContinuousClock.now
        var pollSet = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var receiveBuffer = [UInt8](repeating: 0, count: 2048)
        let cpuBefore = Self.cpuSeconds(of: pid)
        let start = ContinuousClock.now
        let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var next = 0
        while ContinuousClock.now < end {
            while outstanding < window {
                let sender = next % senders
                let packet = packets[sender][(next / senders) % packets[sender].count]
                next += 1
                let sent = packet.withUnsafeBytes { raw in
                    withUnsafePointer(to: &destination) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(sockets[sender], raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                if sent > 0 { result.sent += 1; outstanding += 1 } else { break }
            }
            guard poll(&pollSet, nfds_t(pollSet.count), 20) >= 0 else { break }
            for i in pollSet.indices where pollSet[i].revents & Int16(POLLIN) != 0 {
                while true {
                    let n = recv(pollSet[i].fd, &receiveBuffer, receiveBuffer.count, 0)
                    guard n > 22 else { break }
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
        result.cpuSeconds = Self.cpuSeconds(of: pid) - cpuBefore
        return result
    }

    /// User + system CPU seconds of process `pid` so far (/proc/PID/stat fields 14 and 15).
    static func cpuSeconds(of pid: Int32) -> Double {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
