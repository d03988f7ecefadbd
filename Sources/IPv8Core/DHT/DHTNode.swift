/// A node of the DHT (py-ipv8's `Node`): a key at an address, with what we know of its liveness.
///
/// Identity is the node id (``DHTNodeID``), derived from the address it was seen at and its mid. The
/// liveness rules are BEP 5's, as py-ipv8 has them: a node is *good* if it answered one of our queries in the
/// last 15 minutes, or ever answered and queried us in the last 15 minutes; *bad* after two unanswered
/// queries in a row; *unknown* otherwise. A node that sent 10 queries within 5 seconds is *blocked*: its
/// queries are dropped until the oldest of them is 5 seconds old.
///
/// Loop-confined, like the community that owns it.
public final class DHTNode: CustomStringConvertible {
    /// A node's standing, ordered as py-ipv8's numbers (bad 0, unknown 1, good 2).
    public enum Status: Int, Comparable, Sendable {
        /// Failed twice in a row: removed by the next churn step.
        case bad = 0
        /// Neither good nor bad.
        case unknown = 1
        /// Answered recently (see the type's documentation).
        case good = 2

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// How many recent queries a node is allowed within ``queryLimitInterval`` (py-ipv8's `NODE_LIMIT_QUERIES`).
    public static let queryLimit = 10
    /// The window of ``queryLimit`` in seconds (py-ipv8's `NODE_LIMIT_INTERVAL`).
    public static let queryLimitInterval = 5.0
    /// How long an answer keeps a node good, in seconds (BEP 5: 15 minutes).
    public static let goodFor = 15.0 * 60

    /// The node's public key.
    public let key: PublicKey
    /// Where we reach it.
    public internal(set) var address: Address
    /// Its id, from ``address`` (as first seen) and its mid.
    public let id: DHTNodeID
    /// When it last answered one of our requests; `nil` if it never did.
    public var lastResponse: Double?
    /// When it last queried us (the newest of its recent queries).
    public var lastQuery: Double? { lastQueries.last }
    /// When we last pinged it; `nil` if we never did.
    public var lastPingSent: Double?
    /// Requests in a row it left unanswered.
    public var failed = 0
    /// The round trip time of its last answer, in seconds (0 until it answered).
    public var rtt = 0.0
    /// The times of its last ``queryLimit`` queries to us, oldest first.
    public private(set) var lastQueries: [Double] = []

    /// A node for `key` at `address`.
    public init(key: PublicKey, address: Address) {
        self.key = key
        self.address = address
        self.id = DHTNodeID(address: address, mid: key.mid)
    }

    /// The node's mid.
    public var mid: [UInt8] { key.mid }

    /// Records a query it sent us at `now`.
    public func recordQuery(at now: Double) {
        if lastQueries.count == Self.queryLimit { lastQueries.removeFirst() }
        lastQueries.append(now)
    }

    /// When we last heard from or queried it: the later of ``lastResponse`` and ``lastQuery``.
    public var lastContact: Double? {
        switch (lastResponse, lastQuery) {
        case let (r?, q?): return max(r, q)
        case let (r, q): return r ?? q
        }
    }

    /// Whether its queries are dropped at `now` (see the type's documentation).
    public func isBlocked(at now: Double) -> Bool {
        guard lastQueries.count >= Self.queryLimit, let oldest = lastQueries.first else { return false }
        return now - oldest < Self.queryLimitInterval
    }

    /// Its standing at `now` (see the type's documentation).
    public func status(at now: Double) -> Status {
        if failed >= 2 { return .bad }
        if let response = lastResponse {
            if now - response < Self.goodFor { return .good }
            if let query = lastQuery, now - query < Self.goodFor { return .good }
        }
        return .unknown
    }

    /// The node as an entry of a find or connect response.
    public var entry: DHTNodeEntry { DHTNodeEntry(address: address, publicKeyBin: key.bin) }

    public var description: String { "DHTNode(\(address), id \(id.hex.prefix(8))…)" }
}
