import ArgumentParser
import IPv8

/// `ipv8-bench`: engine benchmarks, each printing a ratio against a reference measured in the same run.
@main
struct IPv8Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipv8-bench",
        abstract: "swift-ipv8 benchmarks; each prints ratios against a reference measured in the same run.",
        subcommands: [Receive.self, Crypto.self, EC.self, Payload.self, TrackerLoad.self, Flood.self, Swarm.self,
                      InstructionCost.self],
        defaultSubcommand: Receive.self
    )
}

/// A benchmark failure as the command's exit: the message, then exit code 1.
func runBenchmark(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        print("benchmark failed: \(error)")
        throw ExitCode.failure
    }
}

extension IPv8Bench {
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CPU per datagram of the Swift receive path against a plain-C libuv receiver (target ≤ 1.10).")
        @Option(help: "Datagrams per round.") var datagrams: UInt64 = ReceiveBenchmark().datagrams
        @Option(help: "Rounds (each: C, then Swift).") var rounds: Int = ReceiveBenchmark().rounds
        @Option(name: .customLong("pause-us"), help: "Sender pause between batches, µs.")
        var pauseMicros: UInt32 = ReceiveBenchmark().senderPauseMicros

        func run() throws {
            var receive = ReceiveBenchmark()
            receive.datagrams = datagrams
            receive.rounds = max(1, rounds)
            receive.senderPauseMicros = pauseMicros
            try runBenchmark {
                print("receive path: \(receive.datagrams) datagrams of \(receive.size) bytes per round, 127.0.0.1, recvmmsg")
                let results = try receive.run()
                let ratios = results.map { $0.swift.nanosPerPacket / $0.reference.nanosPerPacket }
                let c = median(results.map { $0.reference.nanosPerPacket })
                let s = median(results.map { $0.swift.nanosPerPacket })
                print("median: C \(format(c)) ns/datagram, Swift \(format(s)) ns/datagram, "
                    + "Swift/C ratio \(format(median(ratios), digits: 3)) (target <= 1.10)")
            }
        }
    }

    struct Crypto: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode+verify and encode+sign of signed packets against raw libsodium (target < 5 % over).")
        @Option(help: "Operations per measurement.") var operations: Int = CryptoBenchmark().operations

        func run() throws {
            var crypto = CryptoBenchmark()
            crypto.operations = max(1, operations)
            try runBenchmark {
                print("signed packets: \(crypto.operations) operations per measurement, one core")
                let r = try crypto.run()
                let verifyOverhead = median(r.map { $0.verifyReference / $0.verifyEngine - 1 }) * 100
                let signOverhead = median(r.map { $0.signReference / $0.signEngine - 1 }) * 100
                print("median: decode+verify costs \(format(verifyOverhead)) % over raw verify, "
                    + "encode+sign \(format(signOverhead)) % over raw sign (target < 5 %)")
            }
        }
    }

    struct EC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ec", abstract: "The same per legacy EC curve against raw libcrypto.")
        @Option(help: "Operations per measurement and curve.") var operations: Int = ECCryptoBenchmark().operations

        func run() throws {
            var ec = ECCryptoBenchmark()
            ec.operations = max(1, operations)
            try runBenchmark {
                print("legacy EC keys: \(ec.operations) operations per measurement and curve, one core")
                let r = try ec.run()
                print("median over curves and rounds: decode+verify/raw verify \(format(median(r.map { $0.verifyEngine / $0.verifyReference }), digits: 3)), "
                    + "encode+sign/raw sign \(format(median(r.map { $0.signEngine / $0.signReference }), digits: 3))")
            }
        }
    }

    struct Payload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declarative payloads against hand-written encode and decode.")
        @Option(help: "Messages per measurement.") var operations: Int = PayloadBenchmark().operations

        func run() throws {
            var payload = PayloadBenchmark()
            payload.operations = max(1, operations)
            try runBenchmark {
                print("declarative payloads: clock q + text varlenHutf8, \(payload.operations) messages per measurement")
                let r = try payload.run()
                print("median: declared/hand-written encode \(format(median(r.map { $0.encodeDeclared / $0.encodeHand }), digits: 2))×, "
                    + "decode \(format(median(r.map { $0.decodeDeclared / $0.decodeHand }), digits: 2))×")
            }
        }
    }

    struct TrackerLoad: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tracker",
            abstract: "Introduction requests `ipv8-node tracker` answers per second (and py-ipv8's, same run).")
        @Option(help: "Seconds per tracker.") var seconds: Double = TrackerBenchmark().seconds
        @Option(help: "Segments the seconds are cut into; a curve25519 tracker's bound is measured between them (1-100).")
        var segments: Int = TrackerBenchmark().segments
        @Option(help: "Sender sockets (1-1000), each with its own source address and key.") var senders: Int = TrackerBenchmark().senders
        @Option(help: "Requests in flight at once (1-4096).") var window: Int = TrackerBenchmark().window
        @Option(help: "py-ipv8's Python (the venv `make interop-env` builds).") var python: String = TrackerBenchmark().python
        @Option(help: "Key kind of our tracker.") var curve: String = TrackerBenchmark().curve
        @Option(help: "Load a tracker already running at IP:PORT (127.0.0.0/8) instead of starting ours.")
        var address: String?
        @Flag(help: "Also load py-ipv8 doing a tracker's work and print the ratios.") var comparePyipv8 = false

        func validate() throws {
            guard (1...1_000).contains(senders) else { throw ValidationError("--senders: must be in 1...1000") }
            guard (1...4_096).contains(window) else { throw ValidationError("--window: must be in 1...4096") }
            guard (1...100).contains(segments) else { throw ValidationError("--segments: must be in 1...100") }
        }

        func run() throws {
            var tracker = TrackerBenchmark()
            tracker.seconds = max(0.5, seconds)
            tracker.senders = senders
            tracker.window = window
            tracker.segments = segments
            tracker.python = python
            tracker.curve = curve
            tracker.comparePyIPv8 = comparePyipv8
            if let address {
                guard let parsed = Address(address) else { throw ValidationError("--address: \"\(address)\" is not IP:PORT") }
                tracker.existing = parsed
            }
            try runBenchmark {
                print("tracker: \(tracker.senders) senders in one community, \(tracker.window) requests in flight, "
                    + "\(format(tracker.seconds)) s per tracker, 127.0.0.1")
                try tracker.run()
            }
        }
    }

    struct Flood: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Honest requests answered while one host floods a tracker (and py-ipv8's, same run).")
        @Option(help: "Seconds per phase.") var seconds: Double = FloodBenchmark().seconds
        @Option(help: "Honest hosts (127.0.0.3 …), each sending one request per 100 ms.")
        var honestHosts: Int = FloodBenchmark().honestHosts
        @Option(help: "Distinct signed requests the flooder cycles through in the distinct and forged phases.")
        var distinctRequests: Int = FloodBenchmark().distinctRequests
        @Option(help: "py-ipv8's Python (the venv `make interop-env` builds).") var python: String = FloodBenchmark().python
        @Flag(help: "Also flood py-ipv8 doing a tracker's work and print the ratios.") var comparePyipv8 = false

        func validate() throws {
            guard (1...200).contains(honestHosts) else { throw ValidationError("--honest-hosts: must be in 1...200") }
            guard distinctRequests >= 1_024 else { throw ValidationError("--distinct-requests: must be at least 1024") }
        }

        func run() throws {
            var flood = FloodBenchmark()
            flood.seconds = max(1, seconds)
            flood.honestHosts = honestHosts
            flood.distinctRequests = distinctRequests
            flood.python = python
            flood.comparePyIPv8 = comparePyipv8
            try runBenchmark {
                print("flood: \(flood.honestHosts) honest hosts at 10 requests/s each, one flooding host at its max rate, "
                    + "\(format(flood.seconds)) s per phase, 127.0.0.0/8")
                try flood.run()
            }
        }
    }

    struct InstructionCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cost",
            abstract: "Deterministic work whose instructions per datagram make bench-check counts under callgrind.")
        @Argument(help: "receive (recvmmsg → prefix → listener) or answer (decode+verify+answer a signed request).")
        var phase: String
        @Option(help: "Datagrams.") var datagrams: Int = InstructionCostBenchmark().datagrams

        func validate() throws {
            guard InstructionCostBenchmark.Phase(rawValue: phase) != nil else {
                throw ValidationError("phase: \"\(phase)\" is not receive or answer")
            }
            guard (1...100_000).contains(datagrams) else { throw ValidationError("--datagrams: must be in 1...100000") }
        }

        func run() throws {
            var cost = InstructionCostBenchmark()
            cost.datagrams = datagrams
            try runBenchmark { try cost.run(InstructionCostBenchmark.Phase(rawValue: phase)!) }
        }
    }

    struct Swarm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "N loopback nodes in one process: convergence time, CPU, memory per node (and py-ipv8's, same run).")
        @Option(help: "Nodes (default: 1000, or 100 with --compare-pyipv8).") var nodes: Int?
        @Option(help: ArgumentHelp("Where nodes first walk: first (every node to node 0) or chain (node i to node i-1).",
                                   discussion: "Default: first, or chain with --compare-pyipv8 (py-ipv8 drops introduction "
                                       + "requests above its peer cap, so its swarm does not converge with first)."))
        var bootstrap: SwarmBenchmark.Bootstrap?
        @Option(help: "py-ipv8's Python (the venv `make interop-env` builds).") var python: String = SwarmBenchmark().python
        @Option(help: "Seconds py-ipv8's swarm may walk before it gives up.") var pyTimeout: Double = SwarmBenchmark().pyTimeout
        @Flag(help: "Also run py-ipv8's swarm with the same settings (Tests/Interop/pyswarm.py) and print the ratios.")
        var comparePyipv8 = false

        func validate() throws {
            if let nodes {
                let most = comparePyipv8 ? 2_000 : 100_000   // pyswarm.py takes at most 2,000
                guard (2...most).contains(nodes) else { throw ValidationError("--nodes: must be in 2...\(most)") }
            }
            guard pyTimeout > 0 && pyTimeout <= 3_600 else { throw ValidationError("--py-timeout: must be in (0, 3600]") }
        }

        func run() throws {
            var swarm = SwarmBenchmark()
            swarm.nodes = nodes ?? (comparePyipv8 ? 100 : swarm.nodes)
            swarm.bootstrap = bootstrap ?? (comparePyipv8 ? .chain : swarm.bootstrap)
            swarm.comparePyIPv8 = comparePyipv8
            swarm.python = python
            swarm.pyTimeout = pyTimeout
            try runBenchmark { try swarm.run() }
        }
    }
}

extension SwarmBenchmark.Bootstrap: ExpressibleByArgument {}
