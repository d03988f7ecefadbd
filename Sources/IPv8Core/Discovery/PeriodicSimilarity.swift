/// Sends a similarity request to one random verified peer of the whole network, at most once per second
/// (py-ipv8's `PeriodicSimilarity`, spec §2.5). The first step always sends (when there is a peer).
open class PeriodicSimilarity: DiscoveryStrategy {
    /// The discovery community that sends the requests.
    public let discovery: DiscoveryCommunity
    /// The least time between two requests, in seconds.
    public static let interval = 1.0
    private var lastStep: Double?

    /// The strategy for `overlay`.
    public init(overlay: DiscoveryCommunity) {
        self.discovery = overlay
        super.init(overlay: overlay)
    }

    open override func step() {
        let now = overlay.clock.now
        if let lastStep, now - lastStep < Self.interval { return }
        let peers = overlay.network.verifiedPeers
        guard !peers.isEmpty else { return }
        lastStep = now
        if let peer = overlay.random.element(of: peers) { discovery.sendSimilarityRequest(to: peer.address) }
    }
}
