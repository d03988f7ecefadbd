/// Walks to random walkable addresses of its overlay, or asks a random peer for an introduction
/// (py-ipv8's `RandomWalk`, spec §2.2).
///
/// Each step: forget walks older than `timeout` (and the addresses of those that never answered); stop if
/// `targetInterval` has not passed since the last step or `windowSize` walks are in flight; then, with
/// probability (256 − `resetChance`)/256 and if an address is available, walk to a random walkable address
/// not in flight, else ``Community/getNewIntroduction(from:)``. Randomness comes from the overlay's
/// ``Community/random``, so a seeded run is reproducible.
open class RandomWalk: DiscoveryStrategy {
    /// Seconds after which an unanswered walk stops counting as in flight.
    public let timeout: Double
    /// The most walks in flight at once (0 means no limit).
    public let windowSize: Int
    /// The chance, out of 256, of asking a peer for an introduction instead of walking.
    public let resetChance: Int
    /// The least time between steps in seconds (0 means every scheduled step).
    public let targetInterval: Double

    /// Addresses walked to and when, oldest first (py-ipv8's `intro_timeouts`).
    public private(set) var inFlight: [(address: Address, sent: Double)] = []
    private var lastStep = 0.0

    /// A random walk over `overlay` with py-ipv8's defaults.
    public init(overlay: Community, timeout: Double = 3.0, windowSize: Int = 5, resetChance: Int = 50,
                targetInterval: Double = 0) {
        self.timeout = timeout
        self.windowSize = windowSize
        self.resetChance = resetChance
        self.targetInterval = targetInterval
        super.init(overlay: overlay)
    }

    open override func takeStep() throws {
        withWalkLock { step() }
    }

    private func step() {
        let now = overlay.clock.now
        let network = overlay.network
        let (expired, live) = (inFlight.filter { $0.sent + timeout < now }, inFlight.filter { $0.sent + timeout >= now })
        inFlight = live
        for walk in expired where network.verifiedPeer(byAddress: walk.address) == nil {
            network.removeByAddress(walk.address)
        }
        if targetInterval > 0 && lastStep + targetInterval >= now { return }
        if windowSize > 0 && windowSize <= inFlight.count { return }
        let pending = Set(inFlight.map(\.address))
        let available = overlay.walkableAddresses.filter { !pending.contains($0) }
        if !available.isEmpty && overlay.random.int(in: 0...255) >= resetChance,
           let address = overlay.random.element(of: available) {
            overlay.walkTo(address)
            inFlight.append((address, now))
        } else {
            overlay.getNewIntroduction()
        }
        lastStep = now
    }
}
