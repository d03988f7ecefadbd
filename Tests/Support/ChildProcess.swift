import Foundation

/// Runs a program to completion for a test, bounded in time: the one way our tests start a short-lived
/// child process (`ipv8-node` commands, the C host, `cc`, valgrind, a child test run).
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on a full pipe, and
/// the deadline is real: a child still running at `timeout` gets SIGTERM, then SIGKILL a second later, by its
/// PID. The files are removed before ``run(_:_:input:environment:timeout:)`` returns.
package enum ChildProcess {
    /// How a child ended and what it wrote.
    package struct Result: Sendable {
        /// The exit status (or the signal that ended it).
        package var status: Int32
        package var stdout: String
        package var stderr: String
        /// True when the child outlived its deadline and was killed.
        package var timedOut: Bool
    }

    /// Runs `executable arguments…` with `input` on stdin (closed at once when `nil`) and `environment`
    /// (this process's when `nil`); waits at most `timeout` seconds.
    package static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                            environment: [String: String]? = nil, timeout: TimeInterval) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ipv8-child-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout"), errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()

        let timedOut = !waitForExit(process, seconds: timeout)
        if timedOut {
            kill(process.processIdentifier, SIGTERM)
            if !waitForExit(process, seconds: 1) { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                      timedOut: timedOut)
    }

    /// Polls the child's exit every 10 ms for at most `seconds`. - Returns: whether it exited.
    package static func waitForExit(_ process: Process, seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Stops a long-running child by its PID: SIGTERM, then SIGKILL when it has not exited within
    /// `grace` seconds; returns once it is gone. Does nothing when it is not running.
    package static func stop(_ process: Process, grace: TimeInterval = 5) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if !waitForExit(process, seconds: grace) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
