import Foundation
import IPv8TestSupport

/// An `ipv8-node` process that keeps running; its stdout goes to a temporary file that ``output`` reads.
/// Stopped by PID (SIGTERM, then SIGKILL after 5 s) in ``terminate()`` and `deinit`, which also removes the file.
///
/// A file rather than a pipe: once the node has exited, the file holds every line it wrote, so
/// ``terminate()`` needs no drain. (A pipe's end of file waits for every process holding its write end,
/// and processes a test starts later inherit it.)
final class RunningNode: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `reader`, `lines` and `partial`.
    let process = Process()
    private let file: URL
    private let lock = NSLock()
    private let reader: FileHandle
    private var lines: [String] = []
    private var partial = Data()

    init(_ arguments: [String]) throws {
        file = FileManager.default.temporaryDirectory
            .appendingPathComponent("ipv8-running-node-\(getpid())-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let writer = try FileHandle(forWritingTo: file)
        defer { try? writer.close() }
        reader = try FileHandle(forReadingFrom: file)
        process.executableURL = NodeProcess.binary
        process.arguments = arguments
        process.standardOutput = writer
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        _ = terminate()
        try? reader.close()
        try? FileManager.default.removeItem(at: file)
    }

    /// The complete lines the node has written so far; all of them once it has exited.
    var output: [String] {
        lock.withLock {
            if let data = try? reader.readToEnd(), !data.isEmpty {
                partial.append(data)
                while let newline = partial.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                    partial.removeSubrange(partial.startIndex...newline)
                }
            }
            return lines
        }
    }

    /// Waits (polling the output every 20 ms, bounded by `seconds`) for a line matching `predicate`.
    func waitForLine(seconds: Double = 20, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = output.last(where: predicate) { return line }
            if !process.isRunning { return output.last(where: predicate) }
            usleep(20_000)
        }
        return nil
    }

    /// Stops the node by its PID (SIGTERM, SIGKILL after 5 s) and waits for it to exit; returns how long
    /// that took. Afterwards ``output`` holds every line the node wrote.
    @discardableResult
    func terminate() -> TimeInterval {
        guard process.isRunning else { return 0 }
        let start = Date()
        ChildProcess.stop(process)
        return Date().timeIntervalSince(start)
    }
}
