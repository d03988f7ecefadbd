import Foundation
import IPv8TestSupport

/// Runs the built `ipv8-node` binary (it sits beside the test bundle) and captures its output.
struct NodeProcess {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ipv8-node")
    }

    typealias Result = ChildProcess.Result

    /// Runs `ipv8-node arguments…` with `input` on stdin; killed by PID if it outlives `timeout`.
    static func run(_ arguments: [String], input: String? = nil, timeout: TimeInterval = 20) throws -> Result {
        try ChildProcess.run(binary, arguments, input: input, timeout: timeout)
    }
}
