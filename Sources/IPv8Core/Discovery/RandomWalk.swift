/// Walks to random walkable addresses of its overlay, or asks a random peer for an introduction
/// (py-ipv8's `RandomWalk`, spec §2.2).
///
/// Each step: forget walks older than ``Settings/timeout`` (and the addresses of those that never answered)
/// and walks that were answered (their address is now a verified peer's); stop if ``Settings/targetInterval`` has not passed since the last step or ``Settings/windowSize`` walks
/// are in flight; then, with probability (256 − ``Settings/resetChance``)/256 and if an address is
/// available, walk to a random walkable address not in flight, else ``Community/getNewIntroduction(from:)``.
/// Randomness comes from the overlay's ``Community/random``, so a seeded run is reproducible.
///
/// Differs from py-ipv8 on purpose: py-ipv8 counts an answered walk against ``Settings/windowSize`` until its
/// timeout passes, so a node on a fast network idles one step in six once five walks were answered within
/// three seconds (measured: 8.5 % of all steps in a 1,000-node swarm). Here the window holds what its name
/// says, walks still unanswered.
open class RandomWalk: DiscoveryStrategy {
    /// How a random walk paces itself; the defaults are py-ipv8's (and the configuration loader's).
    public struct Settings: Sendable, Equatable {
        /// After this an unanswered walk stops counting as in flight. Default 3 s.
        public var timeout: Duration
        /// The most walks in flight at once (0 means no limit). Default 5.
        public var windowSize: Int
        /// The chance, out of 256, of asking a peer for an introduction instead of walking. Default 50.
        public var resetChance: Int
        /// The least time between steps (zero means every scheduled step). Default 0.
        public var targetInterval: Duration

        /// Settings; every argument left out takes py-ipv8's default.
        public init(timeout: Duration = .seconds(3), windowSize: Int = 5, resetChance: Int = 50,
                    targetInterval: Duration = .zero) {
            self.timeout = timeout
            self.windowSize = windowSize
            self.resetChance = resetChance
            self.targetInterval = targetInterval
        }
    }

    /// The settings this walk was made with.
    public let settings: Settings
    private let timeout: Double
    private let targetInterval: Double

    /// Addresses walked to and not answered yet, and when, oldest first (py-ipv8's `intro_timeouts`).
    public private(set) var inFlight: [(address: Address, sent: Double)] = []
    private var lastStep = 0.0

    /// A random walk over `overlay` (py-ipv8's defaults unless `settings` says otherwise).
    public init(overlay: Community, settings: Settings = Settings()) {
        self.settings = settings
        self.timeout = settings.timeout.seconds
        self.targetInterval = settings.targetInterval.seconds
        super.init(overlay: overlay)
    }

    open override func step() {
        let windowSize = settings.windowSize, resetChance = settings.resetChance
        let now = overlay.clock.now
        let network = overlay.network
        let (expired, live) = (inFlight.filter { $0.sent + timeout < now }, inFlight.filter { $0.sent + timeout >= now })
        inFlight = live
        for walk in expired where network.verifiedPeer(byAddress: walk.address) == nil {
            network.removeByAddress(walk.address)
        }
        inFlight.removeAll { network.verifiedPeer(byAddress: $0.address) != nil }   // answered
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
