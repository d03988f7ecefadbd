import ArgumentParser

/// `ipv8-examples`: py-ipv8's `doc/basics` tutorials, ported to Swift, one subcommand each. Every example
/// runs on 127.0.0.1 only, with an in-process tracker standing in for py-ipv8's default bootstrap servers,
/// stops by itself, and exits non-zero when the tutorial's outcome did not happen.
@main
struct IPv8Examples: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipv8-examples",
        abstract: "py-ipv8's tutorials (doc/basics) in Swift, on 127.0.0.1.",
        subcommands: [
            Overlay1.self, Overlay2.self, Overlay3.self, Overlay4.self, Lamport.self,
            Discovery1.self, Discovery2.self,
            RequestCache1.self, RequestCache2.self, RequestCache3.self,
            Tasks1.self, Tasks2.self, Tasks3.self, Tasks4.self, Tasks5.self, Tasks6.self, Tasks7.self,
            TestBase1.self, TestBase2.self,
        ]
    )
}

