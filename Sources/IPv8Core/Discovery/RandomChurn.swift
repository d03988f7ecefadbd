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
        /// The least time between two introduction requests to addresses of removed peers (our addition:
        /// py-ipv8 forgets them, so once both sides of a split longer than ``dropTime`` are at their
        /// targets nothing crosses again). Each address is tried again after 5, 10, 20, … s, for at most
        /// ``lostTime``, and forgotten when it answers. nil: never. Default 5 s.
        public var reprobeInterval: Duration? = .seconds(5)
        /// Removed peers' addresses remembered for ``reprobeInterval``. Default 32 (the oldest gives way).
        public var lostMemory = 32
        /// How long a removed peer's address is tried again. Default 10 minutes.
        public var lostTime: Duration = .seconds(600)

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

    /// A removed peer's address, tried again now and then.
    public struct LostAddress: Sendable, Equatable {
        /// The removed peer's address.
        public var address: Address
        /// When the peer was removed, on the overlay's clock (seconds).
        public var lostAt: Double
        /// When the address is due to be tried again, on the overlay's clock (seconds).
        public var nextProbe: Double
        /// Introduction requests sent to the address since it was lost; each doubles the wait before the next.
        public var probes: Int
    }
    /// Addresses of peers removed for silence, oldest first (at most ``Settings/lostMemory``).
    public private(set) var lost: [LostAddress] = []
    private var nextReprobe = 0.0

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
        reprobe(now: now)
        let all = network.verifiedPeers
        let k = min(all.count, sampleSize)
        guard k > 0 else { return }
        for peer in sample(all, k) {
            let address = peer.address
            let silentSince = peer.lastResponse
            if silentSince != 0 && now > silentSince + dropTime && pinged[address] != nil {
                network.removePeer(peer)
                pinged[address] = nil
                remember(address, now: now)
            } else if (silentSince != 0 && now > silentSince + inactiveTime) || peer.pings.count < Peer.maxPings {
                if let at = pinged[address], now > at + pingInterval { pinged[address] = nil }
                if pinged[address] == nil {
                    pinged[address] = now
                    discovery.sendPing(peer)
                }
            }
        }
    }

    private func remember(_ address: Address, now: Double) {
        guard let interval = settings.reprobeInterval?.seconds, settings.lostMemory > 0 else { return }
        lost.removeAll { $0.address == address }
        if lost.count >= settings.lostMemory { lost.removeFirst() }
        lost.append(LostAddress(address: address, lostAt: now, nextProbe: now + interval, probes: 0))
    }

    /// At most one introduction request per ``Settings/reprobeInterval``, to the removed peer's address
    /// due first; an address that is a verified peer again, or lost too long ago, is forgotten.
    private func reprobe(now: Double) {
        guard !lost.isEmpty, let interval = settings.reprobeInterval?.seconds else { return }
        let network = overlay.network
        let lostTime = settings.lostTime.seconds
        lost.removeAll { now > $0.lostAt + lostTime || network.verifiedPeer(byAddress: $0.address) != nil }
        guard now >= nextReprobe else { return }
        guard let i = lost.indices.min(by: { lost[$0].nextProbe < lost[$1].nextProbe }), lost[i].nextProbe <= now
        else { return }
        nextReprobe = now + interval
        lost[i].probes += 1
        lost[i].nextProbe = now + interval * Double(1 << min(lost[i].probes, 20))
        overlay.walkTo(lost[i].address)
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
