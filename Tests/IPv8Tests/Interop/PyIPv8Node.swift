import Foundation
import IPv8TestSupport
import XCTest

/// A real py-ipv8 node (Tests/Interop/pynode.py) running in a child process on 127.0.0.1.
///
/// Its JSON status lines are collected on a background thread; ``status`` is the latest. The process is
/// stopped by its PID (SIGTERM, then SIGKILL after a deadline) in ``stop()`` and in `deinit`.
final class PyIPv8Node: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `buffer`, `latest` and `final`.
    struct Status {
        var port: UInt16
        var mid: String
        var peers: [String]
        var newStylePeers: [String]
        var discoveryPeers: [String]
        var pings: [String: Int]
        var received: [String: Int]
        var blockedSends: Int
    }

    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var latest: Status?
    private var final: Status?
    private var stderrText = ""

    /// The Python interpreter of the project's virtual environment (`make test` creates it).
    static func python() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["IPV8_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: venv.path) else {
            throw InteropEnvironmentMissing("no Python with py-ipv8: run `make test` (it creates .venv with pyipv8) or set IPV8_PYTHON")
        }
        return venv
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// - Parameter key: the node's key generation (`curve25519`, or a legacy EC level: `very-low`, `low`,
    ///   `medium`, `high`).
    init(communityID: String, walkTo: [String] = [], discovery: Bool = false, target: Int = 20,
         walkerInterval: Double = 0.5, duration: Double = 60, key: String = "curve25519") throws {
        process.executableURL = try Self.python()
        var arguments = [Self.packageRoot.appendingPathComponent("Tests/Interop/pynode.py").path,
                         "--community-id", communityID, "--target", String(target),
                         "--walker-interval", String(walkerInterval), "--duration", String(duration),
                         "--key", key]
        for address in walkTo {
            precondition(address.hasPrefix("127."), "interop tests stay on loopback")
            arguments += ["--walk-to", address]
        }
        if discovery { arguments.append("--discovery") }
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stderrText += text }
        }
        try process.run()
    }

    deinit { stop() }

    var status: Status? { lock.withLock { latest } }
    var finalStatus: Status? { lock.withLock { final } }
    var errors: String { lock.withLock { stderrText } }

    private func consume(_ data: Data) {
        lock.withLock {
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                guard let json = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                let status = Status(
                    port: UInt16(json["port"] as? Int ?? 0), mid: json["mid"] as? String ?? "",
                    peers: json["peers"] as? [String] ?? [], newStylePeers: json["new_style_peers"] as? [String] ?? [],
                    discoveryPeers: json["discovery_peers"] as? [String] ?? [],
                    pings: json["pings"] as? [String: Int] ?? [:], received: json["received"] as? [String: Int] ?? [:],
                    blockedSends: json["blocked_sends"] as? Int ?? -1)
                latest = status
                if json["event"] as? String == "stopped" { final = status }
            }
        }
    }

    /// Stops the node by its PID: SIGTERM, then SIGKILL if it has not exited within 5 s. Idempotent.
    func stop() {
        guard process.isRunning else { return }
        ChildProcess.stop(process)
        (process.standardOutput as? Pipe)?.fileHandleForReading.readabilityHandler = nil
        (process.standardError as? Pipe)?.fileHandleForReading.readabilityHandler = nil
    }
}

/// A failure (never a skip) when the interoperability environment is missing.
struct InteropEnvironmentMissing: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
