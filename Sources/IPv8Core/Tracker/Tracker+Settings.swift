extension Tracker {
    /// How a ``Tracker`` churns and how much it remembers. Times and counts default to py-ipv8's
    /// `TrackerChurn`/`TrackerPing` (`scripts/tracker_service.py`); the totals are this port's bounds.
    public struct Settings: Sendable, Equatable {
        /// Time between churn rounds. Default 10 s.
        public var churnInterval: Duration
        /// Peers looked at per churn round. Default 8.
        public var sampleSize: Int
        /// The least time between two pings of one peer. Default 10 s.
        public var pingInterval: Duration
        /// How long a ping may go unanswered before the peer leaves the pinged community. Default 5 s.
        public var pingTimeout: Duration
        /// Silence after which a pinged peer is forgotten. Default 57.5 s.
        public var dropTime: Duration
        /// Members remembered per community; a full community forgets its oldest. Default 100.
        public var maxPeersPerCommunity: Int
        /// Communities remembered. Default 1,000.
        public var maxCommunities: Int
        /// Peers remembered in all. Default 20,000.
        public var maxPeers: Int
        /// Peers remembered per source host (an IPv4 address or an IPv6 /64), so that one host cannot fill
        /// the table or take a community over from many ports. Default 32 (room for a NAT with many users).
        public var maxPeersPerHost: Int

        /// Settings; every argument left out takes its default.
        public init(churnInterval: Duration = .seconds(10), sampleSize: Int = 8, pingInterval: Duration = .seconds(10),
                    pingTimeout: Duration = .seconds(5), dropTime: Duration = .milliseconds(57_500),
                    maxPeersPerCommunity: Int = 100, maxCommunities: Int = 1_000, maxPeers: Int = 20_000,
                    maxPeersPerHost: Int = 32) {
            self.maxPeersPerHost = maxPeersPerHost
            self.churnInterval = churnInterval
            self.sampleSize = sampleSize
            self.pingInterval = pingInterval
            self.pingTimeout = pingTimeout
            self.dropTime = dropTime
            self.maxPeersPerCommunity = maxPeersPerCommunity
            self.maxCommunities = maxCommunities
            self.maxPeers = maxPeers
        }
    }

    /// What the tracker did with the datagrams it saw.
    public struct Counters: Sendable, Equatable {
        /// Verified introduction requests (answered, each with one response).
        public var requests: UInt64 = 0
        /// Responses that introduced a peer (each preceded by a puncture request to that peer).
        public var introductions: UInt64 = 0
        /// Pings sent (signed introduction requests to known peers).
        public var pings: UInt64 = 0
        /// Verified answers to pending pings.
        public var pongs: UInt64 = 0
        /// Pings that went unanswered within ``Settings/pingTimeout``.
        public var pingTimeouts: UInt64 = 0
        /// Peers forgotten by churn (silent past ``Settings/dropTime``) or by a full community.
        public var forgotten: UInt64 = 0
        /// Requests answered but not remembered because a total limit was reached.
        public var refused: UInt64 = 0
        /// Datagrams whose framing or payload did not decode.
        public var malformed: UInt64 = 0
        /// Signed datagrams whose signature did not verify.
        public var badSignature: UInt64 = 0
        /// Signed datagrams shed unverified (their source had used its share) or dropped as repeats.
        public var shed: UInt64 = 0
        /// Exact repeats of a signed datagram verified lately, dropped unverified.
        public var duplicates: UInt64 = 0
        /// Datagrams that are neither introduction requests nor responses (a tracker ignores them).
        public var ignored: UInt64 = 0

        /// Counters that are all zero.
        public init() {}
    }
}
