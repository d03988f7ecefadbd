import Foundation
import IPv8TestSupport

/// An `ipv8-node` process that keeps running; its stdout goes to a temporary file that ``output`` reads.
/// Stopped by PID (SIGTERM, then SIGKILL after 5 s) in ``terminate()`` and `deinit`, which also removes the file.
///
/// A file rather than a pipe: once the node has exited, the file holds every line it wrote, so
/// ``terminate()`` needs no drain. (A pipe's end of file waits for every process holding its write end,
/// and processes a test starts later inherit it.)
final class RunningNode: @unchecked Sendable {
    // @unchecked Sendable: both properties are constants, and `output` reads the file afresh; no state is shared.
    let process = Process()
    private let file: URL

    init(_ arguments: [String]) throws {
        file = FileManager.default.temporaryDirectory
            .appendingPathComponent("ipv8-running-node-\(getpid())-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let writer = try FileHandle(forWritingTo: file)
        defer { try? writer.close() }
        process.executableURL = NodeProcess.binary
        process.arguments = arguments
        process.standardOutput = writer
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    deinit {
        _ = terminate()
        try? FileManager.default.removeItem(at: file)
    }

    /// The complete lines the node has written so far (a line still being written is left out); all of them
    /// once it has exited.
    var output: [String] {
        let text = (try? Data(contentsOf: file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
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
