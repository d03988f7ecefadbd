import Foundation

/// A real py-ipv8 DHT node (Tests/Interop/dht_node.py: py-ipv8's own `DHTDiscoveryCommunity`) in a child
/// process on 127.0.0.1, driven by JSON commands on its stdin.
///
/// Its stdout lines are read on a background thread: ``started`` is the first line, ``status`` the
/// latest status line, ``answer(_:)`` the answer to a command once it came. Commands are written at once
/// and never waited for here: a test sends one, then drives its own loop until ``answer(_:)`` is there.
/// The process is stopped by its PID (SIGTERM, then SIGKILL after a deadline) in ``stop()`` and in
/// `deinit`.
public final class PyDHTNode: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards every mutable stored property; `process` and `input` are set in
    // init and only read after.

    /// The `started` line.
    public struct Started: Sendable {
        public var port: UInt16
        public var mid: String
        public var publicKey: String
        public var nodeID: String
        public var key: String
    }

    /// A node as the driver reports it (routing table entries and command results).
    public struct Node: Sendable, Equatable {
        public var mid: String
        public var address: String
        public var nodeID: String
        /// Routing table entries only: 0 bad, 1 unknown, 2 good.
        public var status: Int?
    }

    /// A status line (see dht_node.py's docstring).
    public struct Status: Sendable {
        public var port: UInt16
        public var mid: String
        public var nodeID: String
        public var myAddress: String
        public var peers: [String]
        public var routingTable: [Node]
        /// Whom the node stores as peers, by their mid (hex): their mids.
        public var store: [String: [String]]
        /// Who stores the node, by its mid: their mids.
        public var storeForMe: [String: [String]]
        /// The serialized values (hex) of its IPv4 storage, by key (hex).
        public var storage: [String: [String]]
        public var tokens: [String]
        public var received: [String: Int]
        public var blockedSends: Int

        /// Whether the routing table has the node with this mid (hex).
        public func knows(mid: String) -> Bool { routingTable.contains { $0.mid == mid } }
    }

    /// A value a `find` returned: its data and, for a signed one, the signer's public key bin (hex).
    public struct Value: Sendable, Equatable {
        public var data: String
        public var publicKey: String?

        /// A value with this data and signer (hex; `nil`: unsigned).
        public init(data: String, publicKey: String?) {
            self.data = data
            self.publicKey = publicKey
        }
    }

    /// The answer to one command.
    public struct Answer: Sendable {
        public var ok: Bool
        /// `"<ExceptionType>: <message>"` when not ok.
        public var error: String?
        /// `store`: the nodes that confirmed (mid only); `connect`, `find_nodes`: the nodes found.
        public var nodes: [Node]
        /// `find`: the values found.
        public var values: [Value]
        /// `status`: the status.
        public var status: Status?
    }

    public let process = Process()
    private let input: FileHandle
    private let lock = NSLock()
    private var buffer = Data()
    private var startedLine: Started?
    private var latest: Status?
    private var final: Status?
    private var answers: [Int: Answer] = [:]
    private var nextID = 1
    private var stderrText = ""

    /// Starts a node: `dht_node.py` with these options (see its docstring). `walkTo` must be on 127.0.0.0/8.
    public init(walkTo: [String] = [], key: String = "curve25519", duration: Double = 60,
                storePeerInterval: Double? = nil, statusInterval: Double = 0.25) throws {
        var arguments = ["--key", key, "--duration", String(duration), "--status-interval", String(statusInterval)]
        for address in walkTo {
            precondition(address.hasPrefix("127."), "interop tests stay on loopback")
            arguments += ["--walk-to", address]
        }
        if let storePeerInterval { arguments += ["--store-peer-interval", String(storePeerInterval)] }
        // A write to the stdin of a node that has died must fail, not kill the test run with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = try PyIPv8Node.python()
        process.arguments = [PyIPv8Node.packageRoot.appendingPathComponent("Tests/Interop/dht_node.py").path] + arguments
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        input = stdin.fileHandleForWriting
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stderrText += text }
        }
        try process.run()
    }

    deinit { stop() }

    /// The `started` line, once it came.
    public var started: Started? { lock.withLock { startedLine } }
    /// The latest status line.
    public var status: Status? { lock.withLock { latest } }
    /// The `stopped` line, once it came.
    public var finalStatus: Status? { lock.withLock { final } }
    /// What the node wrote on stderr.
    public var errors: String { lock.withLock { stderrText } }
    /// The address the node is bound to, once started.
    public var address: String? { started.map { "127.0.0.1:\($0.port)" } }

    /// The answer to command `id`, once it came.
    public func answer(_ id: Int) -> Answer? { lock.withLock { answers[id] } }

    /// Sends a command (its `"id"` added) and returns that id. A command that cannot be written (the node
    /// has exited) gets a failed answer at once.
    @discardableResult
    public func send(_ command: [String: any Sendable], timeout: Double = 30) -> Int {
        let id = lock.withLock { () -> Int in
            defer { nextID += 1 }
            return nextID
        }
        var object = command
        object["id"] = id
        object["timeout"] = timeout
        do {
            var line = try JSONSerialization.data(withJSONObject: object.mapValues { $0 as Any })
            line.append(0x0A)
            try input.write(contentsOf: line)
        } catch {
            lock.withLock { answers[id] = Answer(ok: false, error: "not sent: \(error)", nodes: [], values: [], status: nil) }
        }
        return id
    }

    /// `store_value(key, value, sign)`; keys and values in hex.
    public func store(key: String, value: String, sign: Bool, timeout: Double = 30) -> Int {
        send(["cmd": "store", "key": key, "value": value, "sign": sign], timeout: timeout)
    }

    /// `find_values(key)`.
    public func find(key: String, timeout: Double = 30) -> Int { send(["cmd": "find", "key": key], timeout: timeout) }

    /// `connect_peer(mid)`.
    public func connect(mid: String, timeout: Double = 30) -> Int { send(["cmd": "connect", "mid": mid], timeout: timeout) }

    /// `find_nodes(key)`.
    public func findNodes(key: String, timeout: Double = 30) -> Int {
        send(["cmd": "find_nodes", "key": key], timeout: timeout)
    }

    private func consume(_ data: Data) {
        lock.withLock {
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                guard let json = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                let event = json["event"] as? String
                if event == "started" {
                    startedLine = Started(port: UInt16(json["port"] as? Int ?? 0), mid: json["mid"] as? String ?? "",
                                          publicKey: json["public_key"] as? String ?? "",
                                          nodeID: json["node_id"] as? String ?? "", key: json["key"] as? String ?? "")
                    continue
                }
                let status = event == nil ? nil : Self.status(json)
                if let id = json["id"] as? Int {
                    answers[id] = Answer(ok: json["ok"] as? Bool ?? false, error: json["error"] as? String,
                                         nodes: Self.nodes(json["nodes"]), values: Self.values(json["values"]),
                                         status: status)
                } else if let status {
                    latest = status
                    if event == "stopped" { final = status }
                }
            }
        }
    }

    private static func nodes(_ any: Any?) -> [Node] {
        guard let list = any as? [Any] else { return [] }
        return list.map { item in
            if let mid = item as? String { return Node(mid: mid, address: "", nodeID: "", status: nil) }
            let node = item as? [String: Any] ?? [:]
            return Node(mid: node["mid"] as? String ?? "", address: node["address"] as? String ?? "",
                        nodeID: node["node_id"] as? String ?? "", status: node["status"] as? Int)
        }
    }

    private static func values(_ any: Any?) -> [Value] {
        (any as? [[String: Any]] ?? []).map { Value(data: $0["data"] as? String ?? "", publicKey: $0["public_key"] as? String) }
    }

    private static func status(_ json: [String: Any]) -> Status {
        Status(port: UInt16(json["port"] as? Int ?? 0), mid: json["mid"] as? String ?? "",
               nodeID: json["node_id"] as? String ?? "", myAddress: json["my_address"] as? String ?? "",
               peers: json["peers"] as? [String] ?? [], routingTable: nodes(json["routing_table"]),
               store: json["store"] as? [String: [String]] ?? [:],
               storeForMe: json["store_for_me"] as? [String: [String]] ?? [:],
               storage: json["storage"] as? [String: [String]] ?? [:], tokens: json["tokens"] as? [String] ?? [],
               received: json["received"] as? [String: Int] ?? [:], blockedSends: json["blocked_sends"] as? Int ?? -1)
    }

    /// Stops the node by its PID: SIGTERM, then SIGKILL if it has not exited within 5 s. Idempotent.
    /// Waits (at most a second) for its `stopped` line.
    public func stop() {
        guard process.isRunning else { return }
        ChildProcess.stop(process)
        let deadline = Date().addingTimeInterval(1)
        while finalStatus == nil && Date() < deadline { usleep(10_000) }
        (process.standardOutput as? Pipe)?.fileHandleForReading.readabilityHandler = nil
        (process.standardError as? Pipe)?.fileHandleForReading.readabilityHandler = nil
        try? input.close()
    }
}
