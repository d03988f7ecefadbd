import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A node process a benchmark loads: started with its output piped, its port read from the first line
/// `port` recognises, stopped by its PID (SIGTERM, then SIGKILL after 5 s) by ``stop()``.
final class BenchProcess {
    let name: String
    let process = Process()
    private(set) var port: UInt16 = 0
    var pid: Int32 { process.processIdentifier }
    private let output: FileHandle
    private var unread = Data()   // output read but not yet returned as lines

    init(name: String, executable: String, arguments: [String], port parse: (String) -> UInt16?) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        output = out.fileHandleForReading
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            port = try readPort(parse: parse)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// User + system CPU seconds the process has used so far.
    var cpuSeconds: Double { Self.cpuSeconds(of: pid) }

    /// User + system CPU seconds of process `pid` so far (/proc/PID/stat fields 14 and 15); 0 for pid 0.
    static func cpuSeconds(of pid: Int32) -> Double {
        let times = cpuTimes(of: pid)
        return times.user + times.system
    }

    /// CPU seconds of process `pid` so far, to the nanosecond: the sum over its threads of the scheduler's
    /// run time (/proc/PID/task/TID/schedstat, first field), where /proc/PID/stat counts 10 ms ticks; 0 for
    /// pid 0.
    static func preciseCPUSeconds(of pid: Int32) -> Double {
        guard pid > 0 else { return 0 }
        let nanoseconds = threads(of: pid).reduce(UInt64(0)) { sum, task in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let ns = UInt64(first) else { return sum }
            return sum + ns
        }
        return Double(nanoseconds) / 1e9
    }

    /// The thread ids of process `pid` now (/proc/PID/task); empty when it is gone.
    static func threads(of pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap { Int32($0) }
    }

    /// User and system CPU seconds of process `pid` so far (/proc/PID/stat fields 14 and 15); zeros for pid 0.
    static func cpuTimes(of pid: Int32) -> (user: Double, system: Double) {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return (0, 0) }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return (0, 0) }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user / tick, system / tick)
    }

    /// The next line the process writes to its standard output (without the newline), or nil when the output
    /// ends or `timeout` passes first.
    func nextLine(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = unread.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: unread[unread.startIndex..<newline], as: UTF8.self)
                unread = Data(unread[unread.index(after: newline)...])
                return line
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            var ready = pollfd(fd: output.fileDescriptor, events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min(remaining / .milliseconds(1), 1_000).rounded(.up))
            guard poll(&ready, 1, max(1, waitMs)) >= 0 else { return nil }
            guard ready.revents != 0 else { continue }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            unread.append(chunk)
        }
    }

    private func readPort(parse: (String) -> UInt16?) throws -> UInt16 {
        let deadline = ContinuousClock.now + .seconds(30)
        while let line = nextLine(timeout: deadline - ContinuousClock.now) {
            if let port = parse(line) { return port }
        }
        throw BenchError("\(name) did not report its port")
    }
}

extension BenchProcess {
    /// `ipv8-node tracker` from the benchmark's own build folder, on 127.0.0.1, any free port.
    static func ourTracker(curve: String) throws -> BenchProcess {
        let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return try BenchProcess(name: "ipv8-node tracker", executable: binDir.appendingPathComponent("ipv8-node").path,
                                arguments: ["tracker", "--ip", "127.0.0.1", "--port", "0", "--status-interval", "3600",
                                            "--log-level", "error", "--curve", curve]) { line in
            guard line.hasPrefix("tracker on 127.0.0.1:") else { return nil }
            return UInt16(line.split(separator: " ")[2].split(separator: ":")[1])
        }
    }

    /// A py-ipv8 node doing a tracker's work (Tests/Interop/pynode.py --tracker-mode), on 127.0.0.1.
    static func pyIPv8Tracker(python: String, pynode: String) throws -> BenchProcess {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("no py-ipv8 venv at \(python): run `make interop-env` or pass --python")
        }
        return try BenchProcess(name: "py-ipv8 tracker", executable: python,
                                arguments: [pynode, "--tracker-mode", "--port", "0", "--interval", "3600", "--duration", "3600"]) { line in
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let port = json["port"] as? Int else { return nil }
            return UInt16(port)
        }
    }
}

extension BenchProcess {
    /// N py-ipv8 nodes in one process (Tests/Interop/pyswarm.py) on 127.0.0.1; `port` is node 0's.
    static func pyIPv8Swarm(python: String, pyswarm: String, arguments: [String]) throws -> BenchProcess {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("no py-ipv8 venv at \(python): run `make interop-env` or pass --python")
        }
        return try BenchProcess(name: "py-ipv8 swarm", executable: python, arguments: [pyswarm] + arguments) { line in
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  json["event"] as? String == "started", let port = json["port"] as? Int else { return nil }
            return UInt16(port)
        }
    }
}
