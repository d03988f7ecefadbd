extension DHTCommunity {
    /// The DHT's limits and timings, with py-ipv8's values (`ipv8/dht/community.py`) as defaults.
    public struct Settings: Sendable, Equatable {
        /// Longest serialized value stored or accepted, in bytes (`MAX_ENTRY_SIZE`).
        public var maxEntrySize = 170
        /// How long a stored value lives at most (`MAX_ENTRY_AGE`); halved for each node closer to the key
        /// than us beyond ``targetNodes``.
        public var maxEntryAge: Duration = .seconds(3600)
        /// Nodes a store aims for (`TARGET_NODES`).
        public var targetNodes = 8
        /// Values accepted in one store request (`MAX_VALUES_IN_STORE`).
        public var maxValuesInStore = 8
        /// Values returned in one find response (`MAX_VALUES_IN_FIND`).
        public var maxValuesInFind = 8
        /// Nodes returned in one find response (`MAX_NODES_IN_FIND`).
        public var maxNodesInFind = 8
        /// Nodes a lookup starts with (`MAX_CRAWL_NODES`).
        public var maxCrawlNodes = 8
        /// Find requests one lookup may send, punctures excluded (`MAX_CRAWL_REQUESTS`).
        public var maxCrawlRequests = 24
        /// Find requests one lookup has outstanding at once (`MAX_CRAWL_TASKS`).
        public var maxCrawlTasks = 4
        /// How long a ping, store or connect request waits for its answer.
        public var requestTimeout: Duration = .seconds(5)
        /// How long a find request waits for its answer.
        public var findTimeout: Duration = .seconds(2)
        /// How long a token we were given stays usable (`TOKEN_EXPIRATION_TIME`).
        public var tokenLifetime: Duration = .seconds(600)
        /// How often our token secret changes (the two newest are accepted).
        public var tokenRefreshInterval: Duration = .seconds(300)
        /// How often buckets are checked for refreshing.
        public var nodeMaintenanceInterval: Duration = .seconds(60)
        /// A bucket unchanged for this long is refreshed with a lookup of a random id in it.
        public var bucketRefreshAge: Duration = .seconds(15 * 60)
        /// How often expired values are dropped.
        public var valueMaintenanceInterval: Duration = .seconds(3600)
        /// Values stored for others, per address family, at most; store requests beyond it are dropped
        /// (counted in ``DHTCounters/storageFull``). py-ipv8 has no bound; 20,000 values of at most 170 bytes
        /// take under 4 MB.
        public var maxStoredValues = 20_000
        /// Nodes per bucket (`MAX_BUCKET_SIZE`).
        public var bucketSize = 8
        /// How often a node is pinged (`PING_INTERVAL`): by ``PingChurn`` (its default) and, for the nodes
        /// that store us, by ``DHTDiscoveryCommunity``.
        public var pingInterval: Duration = .seconds(25)
        /// How often ``DHTDiscoveryCommunity`` stores itself under its mid, while fewer than half of
        /// ``targetNodes`` store it.
        public var storePeerInterval: Duration = .seconds(30)
        /// How often ``DHTDiscoveryCommunity`` pings the nodes storing it and forgets the peers it stores
        /// that went quiet.
        public var pingAllInterval: Duration = .seconds(10)
        /// How long ``DHTDiscoveryCommunity`` keeps a peer it stores after the peer's last query.
        public var storedPeerLifetime: Duration = .seconds(60)

        /// py-ipv8's settings.
        public init() {}
    }
}

/// What a ``DHTCommunity`` dropped or did, beyond the community's own ``CommunityCounters``.
public struct DHTCounters: Sendable, Equatable {
    /// Requests dropped because their sender queried too often (``DHTNode/isBlocked(at:)``).
    public var rateLimited = 0
    /// Store and store-peer requests dropped for a token we did not give.
    public var badToken = 0
    /// Store requests dropped for a value over ``DHTCommunity/Settings/maxEntrySize`` or too many values.
    public var oversizedStores = 0
    /// Answers whose identifier matched no request of ours (late, replayed or unasked).
    public var unexpectedResponses = 0
    /// Find and connect responses dropped for a node entry whose key does not parse.
    public var badNodeEntries = 0
    /// Store-peer requests dropped because the key was not the sender's mid.
    public var foreignStorePeer = 0
    /// Values stored for others.
    public var valuesStored = 0
    /// Store requests dropped because the storage holds ``DHTCommunity/Settings/maxStoredValues`` values.
    public var storageFull = 0
    /// Lookups finished (value and node lookups).
    public var lookups = 0

    /// All zero.
    public init() {}
}

/// Why a DHT operation failed (py-ipv8's `DHTError`).
public struct DHTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, in py-ipv8's words where it has them.
    public let message: String
    /// An error with this message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
