import Foundation

/// A real py-ipv8 node (Tests/Interop/pynode.py) running in a child process on 127.0.0.1 (or on ::1 with
/// py-ipv8's IPv6 endpoint): a node of one test community, or (``tracker(port:duration:pingInterval:)``) a tracker as py-ipv8's public ones run.
///
/// Its JSON status lines are collected on a background thread; ``status`` is the latest. The process is
/// stopped by its PID (SIGTERM, then SIGKILL after a deadline) in ``stop()`` and in `deinit`.
public final class PyIPv8Node: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `buffer`, `latest` and `final`.
    public struct Status {
        public var port: UInt16
        public var mid: String
        public var peers: [String]
        public var newStylePeers: [String]
        /// Each peer's preferred address as py-ipv8 holds it ("127.0.0.1:p" or "[::1]:p"), by mid.
        public var peerAddresses: [String: String]
        /// With `dualStack`: the port of its IPv6 socket on ::1.
        public var port6: UInt16?
        /// Its own addresses (`my_peer.addresses`), as introduction responses told it.
        public var myAddresses: [String]
        public var discoveryPeers: [String]
        public var pings: [String: Int]
        public var received: [String: Int]
        public var blockedSends: Int
        /// Whether every `--tracker` address is in the test community's blacklist.
        public var trackersBlacklisted: Bool
        /// Whether a peer of the test community sits at a tracker address (it never should).
        public var trackerIsPeer: Bool
        /// Tracker mode: the members per community id (hex), as "ip:port".
        public var services: [String: [String]]
        /// Tracker mode: introduction requests answered, pings sent, pings answered.
        public var requests: Int
        public var pingsSent: Int
        public var pongs: Int
        /// The port of its REST API (`restPort`), once serving.
        public var restPort: Int?
        /// With `dht`: its DHT's mid, and the mids (hex) of its routing table's nodes, of the peers it stores
        /// and of the nodes that store it.
        public var dht: DHTState?
    }

    /// What a node's DHTDiscoveryCommunity holds (`dht` in its status lines).
    public struct DHTState {
        public var mid: String
        public var routingTable: [String]
        public var store: [String]
        public var storeForMe: [String]
    }

    public let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var latest: Status?
    private var final: Status?
    private var stderrText = ""

    /// The Python interpreter of the project's virtual environment (`make test` creates it).
    public static func python() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["IPV8_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: venv.path) else {
            throw InteropEnvironmentMissing("no Python with py-ipv8: run `make test` (it creates .venv with pyipv8) or set IPV8_PYTHON")
        }
        return venv
    }

    /// The repository's root (this file is Tests/Support/PyIPv8Node.swift).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// A node of the community `communityID` (hex) that walks to `walkTo` and bootstraps off `trackers`
    /// (py-ipv8's stock DispersyBootstrapper). All addresses must be on 127.0.0.0/8 or `[::1]`.
    /// - Parameters:
    ///   - ip: where it binds: `127.0.0.1` (py-ipv8's IPv4 endpoint) or `::1` (its IPv6 endpoint, which
    ///     speaks new-style messages only).
    ///   - dualStack: bind both instead, through py-ipv8's `DispatcherEndpoint` (127.0.0.1 and ::1, the
    ///     IPv6 port in ``Status/port6``): what py-ipv8 runs for a configuration naming UDPIPv4 and UDPIPv6.
    ///   - key: the node's key generation (`curve25519`, or a legacy EC level: `very-low`, `low`,
    ///     `medium`, `high`).
    ///   - dht: also run py-ipv8's DHTDiscoveryCommunity (see pynode.py), storing itself every
    ///     `storePeerInterval` seconds when given.
    public convenience init(communityID: String, ip: String = "127.0.0.1", dualStack: Bool = false, walkTo: [String] = [],
                            trackers: [String] = [], discovery: Bool = false,
                            target: Int = 20, walkerInterval: Double = 0.5, duration: Double = 60,
                            key: String = "curve25519", restPort: Int? = nil, apiKey: String? = nil,
                            dht: Bool = false, storePeerInterval: Double? = nil) throws {
        var arguments = ["--community-id", communityID, "--ip", ip, "--target", String(target),
                         "--walker-interval", String(walkerInterval), "--duration", String(duration), "--key", key]
        if dualStack { arguments.append("--dual-stack") }
        for address in walkTo { arguments += ["--walk-to", address] }
        for address in trackers { arguments += ["--tracker", address] }
        if discovery { arguments.append("--discovery") }
        // py-ipv8's DHTDiscoveryCommunity too, storing itself every `storePeerInterval` s (py-ipv8: 30).
        if dht { arguments.append("--dht") }
        if let storePeerInterval { arguments += ["--store-peer-interval", String(storePeerInterval)] }
        // py-ipv8's REST API on 127.0.0.1 (pynode binds nothing else), with a statistics endpoint.
        if let restPort { arguments += ["--rest-port", String(restPort)] }
        if let apiKey { arguments += ["--api-key", apiKey] }
        try self.init(arguments: arguments)
    }

    /// A tracker-style py-ipv8 node on 127.0.0.1:`port` (0: any) that pings its peers every `pingInterval` s.
    public static func tracker(port: UInt16 = 0, duration: Double = 60, pingInterval: Double = 10) throws -> PyIPv8Node {
        try PyIPv8Node(arguments: ["--tracker-mode", "--port", String(port), "--duration", String(duration),
                                   "--ping-interval", String(pingInterval)])
    }

    private init(arguments: [String]) throws {
        for (flag, value) in zip(arguments, arguments.dropFirst()) where flag == "--walk-to" || flag == "--tracker" {
            precondition(value.hasPrefix("127.") || value.hasPrefix("[::1]:"), "interop tests stay on loopback")
        }
        process.executableURL = try Self.python()
        process.arguments = [Self.packageRoot.appendingPathComponent("Tests/Interop/pynode.py").path] + arguments
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

    /// The latest status line.
    public var status: Status? { lock.withLock { latest } }
    /// The line printed on stopping, once it came.
    public var finalStatus: Status? { lock.withLock { final } }
    /// What the node wrote on stderr.
    public var errors: String { lock.withLock { stderrText } }

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
                    peerAddresses: json["peer_addresses"] as? [String: String] ?? [:],
                    port6: (json["port6"] as? Int).flatMap { UInt16(exactly: $0) },
                    myAddresses: json["my_addresses"] as? [String] ?? [],
                    discoveryPeers: json["discovery_peers"] as? [String] ?? [],
                    pings: json["pings"] as? [String: Int] ?? [:], received: json["received"] as? [String: Int] ?? [:],
                    blockedSends: json["blocked_sends"] as? Int ?? -1,
                    trackersBlacklisted: json["trackers_blacklisted"] as? Bool ?? false,
                    trackerIsPeer: json["tracker_is_peer"] as? Bool ?? false,
                    services: json["services"] as? [String: [String]] ?? [:],
                    requests: json["requests"] as? Int ?? 0, pingsSent: json["pings"] as? Int ?? 0,
                    pongs: json["pongs"] as? Int ?? 0, restPort: json["rest_port"] as? Int,
                    dht: (json["dht"] as? [String: Any]).map { dht in
                        DHTState(mid: dht["mid"] as? String ?? "", routingTable: dht["routing_table"] as? [String] ?? [],
                                 store: dht["store"] as? [String] ?? [], storeForMe: dht["store_for_me"] as? [String] ?? [])
                    })
                latest = status
                if json["event"] as? String == "stopped" { final = status }
            }
        }
    }

    /// Stops the node by its PID: SIGTERM, then SIGKILL if it has not exited within 5 s. Idempotent.
    public func stop() {
        guard process.isRunning else { return }
        ChildProcess.stop(process)
        (process.standardOutput as? Pipe)?.fileHandleForReading.readabilityHandler = nil
        (process.standardError as? Pipe)?.fileHandleForReading.readabilityHandler = nil
    }
}

/// A failure (never a skip) when the interoperability environment is missing.
public struct InteropEnvironmentMissing: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
