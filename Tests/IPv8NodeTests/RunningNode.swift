import Foundation
import IPv8TestSupport

/// An `ipv8-node` process that keeps running; its stdout lines are collected on a background thread.
/// Stopped by PID (SIGTERM, then SIGKILL after 5 s) in ``terminate()`` and `deinit`.
final class RunningNode: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `lines` and `partial`.
    let process = Process()
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = NodeProcess.binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        try process.run()
    }

    deinit { _ = terminate() }

    var output: [String] { lock.withLock { lines } }

    private func consume(_ data: Data) {
        lock.withLock {
            partial.append(data)
            while let newline = partial.firstIndex(of: 0x0A) {
                lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                partial.removeSubrange(partial.startIndex...newline)
            }
        }
    }

    /// Waits (polling the collected output, bounded by `seconds`) for a line matching `predicate`.
    func waitForLine(seconds: Double = 20, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = output.last(where: predicate) { return line }
            if !process.isRunning { return output.last(where: predicate) }
            usleep(20_000)
        }
        return nil
    }

    /// Stops the node by its PID (SIGTERM, SIGKILL after 5 s); returns how long that took.
    @discardableResult
    func terminate() -> TimeInterval {
        guard process.isRunning else { return 0 }
        let start = Date()
        ChildProcess.stop(process)
        usleep(50_000)   // let the pipe handler take the last lines
        return Date().timeIntervalSince(start)
    }
}
