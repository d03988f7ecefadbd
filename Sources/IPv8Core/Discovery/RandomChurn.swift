/// Pings a random sample of the network's verified peers and removes those that stay silent (py-ipv8's
/// `RandomChurn`, spec §2.4).
///
/// Each step samples `min(sampleSize, verified peers)` peers of the **whole** network (without
/// replacement, from the overlay's ``Community/random``). A sampled peer silent for longer than
/// ``Settings/dropTime`` that was pinged is removed (``Network/removePeer(_:)``). One silent for longer than
/// ``Settings/inactiveTime``, or with fewer than ``Peer/maxPings`` RTT samples, is pinged unless it was
/// pinged less than ``Settings/pingInterval`` ago. A peer that never answered (`lastResponse == 0`) is never
/// dropped.
open class RandomChurn: DiscoveryStrategy {
    /// How churn samples and pings; the defaults are py-ipv8's (and the configuration loader's).
    public struct Settings: Sendable, Equatable {
        /// The most peers looked at per step. Default 8.
        public var sampleSize: Int
        /// The least time between two pings to one address. Default 10 s.
        public var pingInterval: Duration
        /// Silence (time since ``Peer/lastResponse``) after which a peer is pinged again. Default 27.5 s.
        public var inactiveTime: Duration
        /// Silence after which a pinged peer is removed. Default 57.5 s.
        public var dropTime: Duration

        /// Settings; every argument left out takes py-ipv8's default.
        public init(sampleSize: Int = 8, pingInterval: Duration = .seconds(10),
                    inactiveTime: Duration = .milliseconds(27_500), dropTime: Duration = .milliseconds(57_500)) {
            self.sampleSize = sampleSize
            self.pingInterval = pingInterval
            self.inactiveTime = inactiveTime
            self.dropTime = dropTime
        }
    }

    /// The discovery community that sends the pings.
    public let discovery: DiscoveryCommunity
    /// The settings this strategy was made with.
    public let settings: Settings
    private let pingInterval: Double
    private let inactiveTime: Double
    private let dropTime: Double

    /// When each address was last pinged (py-ipv8's `_pinged`).
    public private(set) var pinged: [Address: Double] = [:]

    /// A churn strategy over `overlay` (py-ipv8's defaults unless `settings` says otherwise).
    public init(overlay: DiscoveryCommunity, settings: Settings = Settings()) {
        self.discovery = overlay
        self.settings = settings
        self.pingInterval = settings.pingInterval.seconds
        self.inactiveTime = settings.inactiveTime.seconds
        self.dropTime = settings.dropTime.seconds
        super.init(overlay: overlay)
    }

    open override func step() {
        let sampleSize = settings.sampleSize
        let now = overlay.clock.now
        let network = overlay.network
        let all = network.verifiedPeers
        let k = min(all.count, sampleSize)
        guard k > 0 else { return }
        for peer in sample(all, k) {
            let address = peer.address
            let silentSince = peer.lastResponse
            if silentSince != 0 && now > silentSince + dropTime && pinged[address] != nil {
                network.removePeer(peer)
                pinged[address] = nil
            } else if (silentSince != 0 && now > silentSince + inactiveTime) || peer.pings.count < Peer.maxPings {
                if let at = pinged[address], now > at + pingInterval { pinged[address] = nil }
                if pinged[address] == nil {
                    pinged[address] = now
                    discovery.sendPing(peer)
                }
            }
        }
    }

    /// `k` distinct elements of `peers` (a partial Fisher–Yates shuffle).
    private func sample(_ peers: [Peer], _ k: Int) -> ArraySlice<Peer> {
        var pool = peers
        for i in 0..<k {
            let j = overlay.random.int(in: i...(pool.count - 1))
            pool.swapAt(i, j)
        }
        return pool.prefix(k)
    }
}
