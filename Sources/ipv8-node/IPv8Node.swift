import ArgumentParser

/// `ipv8-node`: the standalone IPv8 node and its tools.
@main
struct IPv8Node: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipv8-node",
        abstract: "An IPv8 peer-to-peer node (py-ipv8 compatible) and its tools.",
        subcommands: [Run.self, TrackerCommand.self, Swarm.self, Simulate.self, Decode.self, Keygen.self]
    )
}
