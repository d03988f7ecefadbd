/// Pings a random sample of the network's verified peers and removes those that stay silent (py-ipv8's
/// `RandomChurn`, spec §2.4).
///
/// Each step samples `min(sampleSize, verified peers)` peers of the **whole** network (without
/// replacement, from the overlay's ``Community/random``). A sampled peer silent for more than `dropTime`
/// seconds that was pinged is removed (``Network/removePeer(_:)``). One silent for more than
/// `inactiveTime`, or with fewer than ``Peer/maxPings`` RTT samples, is pinged unless it was pinged less
/// than `pingInterval` seconds ago. A peer that never answered (`lastResponse == 0`) is never dropped.
open class RandomChurn: DiscoveryStrategy {
    /// The discovery community that sends the pings.
    public let discovery: DiscoveryCommunity
    /// The most peers looked at per step.
    public let sampleSize: Int
    /// The least time between two pings to one address, in seconds.
    public let pingInterval: Double
    /// Silence (seconds since ``Peer/lastResponse``) after which a peer is pinged again.
    public let inactiveTime: Double
    /// Silence after which a pinged peer is removed.
    public let dropTime: Double

    /// When each address was last pinged (py-ipv8's `_pinged`).
    public private(set) var pinged: [Address: Double] = [:]

    /// A churn strategy over `overlay` with py-ipv8's defaults.
    public init(overlay: DiscoveryCommunity, sampleSize: Int = 8, pingInterval: Double = 10.0,
                inactiveTime: Double = 27.5, dropTime: Double = 57.5) {
        self.discovery = overlay
        self.sampleSize = sampleSize
        self.pingInterval = pingInterval
        self.inactiveTime = inactiveTime
        self.dropTime = dropTime
        super.init(overlay: overlay)
    }

    open override func takeStep() throws {
        withWalkLock { step() }
    }

    private func step() {
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
