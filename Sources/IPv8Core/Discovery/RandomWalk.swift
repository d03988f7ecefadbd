/// Walks to random walkable addresses of its overlay, or asks a random peer for an introduction
/// (py-ipv8's `RandomWalk`, spec §2.2).
///
/// Each step: forget walks older than ``Settings/timeout`` (and the addresses of those that never answered)
/// and walks that were answered (their address is now a verified peer's); stop if ``Settings/targetInterval`` has not passed since the last step or ``Settings/windowSize`` walks
/// are in flight; then, if an address is available, walk to a random walkable address not in flight, except
/// with probability ``Settings/resetChance``/256 while the latest walk that ended was not answered (or none
/// has ended yet); else ``Community/getNewIntroduction(from:)``.
/// Randomness comes from the overlay's ``Community/random``, so a seeded run is reproducible.
///
/// Differs from py-ipv8 on purpose: py-ipv8 counts an answered walk against ``Settings/windowSize`` until its
/// timeout passes, so a node on a fast network idles one step in six once five walks were answered within
/// three seconds (measured: 8.5 % of all steps in a 1,000-node swarm). Here the window holds what its name
/// says, walks still unanswered. And py-ipv8 applies the reset chance to every step; here it applies only
/// until a walk is answered and again after one expires unanswered: while the walkable addresses answer,
/// each walk gains a peer and an introduction, where a reset gains the introduction only (measured on the
/// simulated 1,000-node swarm: 15.5 % of all steps, 20–25 % of the slowest nodes' steps were resets).
open class RandomWalk: DiscoveryStrategy {
    /// How a random walk paces itself; the defaults are py-ipv8's (and the configuration loader's).
    public struct Settings: Sendable, Equatable {
        /// After this an unanswered walk stops counting as in flight. Default 3 s.
        public var timeout: Duration
        /// The most walks in flight at once (0 means no limit). Default 5.
        public var windowSize: Int
        /// The chance, out of 256, of asking a peer for an introduction instead of walking, while the latest
        /// walk that ended was not answered. Default 50.
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

    /// What the steps of a walk did, counted since it was made: where the steps go (and which are wasted).
    public struct Tally: Sendable, Equatable {
        /// Steps that walked to a walkable address.
        public var walked = 0
        /// Steps that asked a peer for an introduction because no address was walkable.
        public var askedNothingWalkable = 0
        /// Steps that asked a peer for an introduction by the reset chance although an address was walkable.
        public var askedByReset = 0
        /// Steps that did nothing because ``Settings/windowSize`` walks were in flight.
        public var idledWindowFull = 0
        /// Steps that did nothing because ``Settings/targetInterval`` had not passed.
        public var idledInterval = 0
        /// Walks answered: their address became a verified peer's.
        public var answered = 0
        /// Walks never answered within ``Settings/timeout``.
        public var expired = 0

        /// Nothing counted.
        public init() {}

        /// Every step counted: walked, asked or idled.
        public var steps: Int { walked + askedNothingWalkable + askedByReset + idledWindowFull + idledInterval }

        /// The sum of two tallies, field by field.
        public static func + (a: Tally, b: Tally) -> Tally {
            var t = a
            t.walked += b.walked
            t.askedNothingWalkable += b.askedNothingWalkable
            t.askedByReset += b.askedByReset
            t.idledWindowFull += b.idledWindowFull
            t.idledInterval += b.idledInterval
            t.answered += b.answered
            t.expired += b.expired
            return t
        }
    }

    /// The settings this walk was made with.
    public let settings: Settings
    /// Where this walk's steps went so far.
    public private(set) var tally = Tally()
    private let timeout: Double
    private let targetInterval: Double

    /// Addresses walked to and not answered yet, and when, oldest first (py-ipv8's `intro_timeouts`).
    public private(set) var inFlight: [(address: Address, sent: Double)] = []
    private var lastStep = 0.0
    /// Whether the latest walk that ended was answered (no walk yet: false); the reset chance applies only
    /// while it is false.
    private var lastWalkAnswered = false

    /// A random walk over `overlay` (py-ipv8's defaults unless `settings` says otherwise).
    public init(overlay: Community, settings: Settings = Settings()) {
        self.settings = settings
        self.timeout = settings.timeout.seconds
        self.targetInterval = settings.targetInterval.seconds
        super.init(overlay: overlay)
    }

    open override func step() {
        let windowSize = settings.windowSize, resetChance = lastWalkAnswered ? 0 : settings.resetChance
        let now = overlay.clock.now
        let network = overlay.network
        let (expired, live) = (inFlight.filter { $0.sent + timeout < now }, inFlight.filter { $0.sent + timeout >= now })
        inFlight = live
        for walk in expired {
            if network.verifiedPeer(byAddress: walk.address) == nil {
                network.removeByAddress(walk.address)
                tally.expired += 1
                lastWalkAnswered = false
            } else {
                tally.answered += 1
                lastWalkAnswered = true
            }
        }
        let before = inFlight.count
        inFlight.removeAll { network.verifiedPeer(byAddress: $0.address) != nil }   // answered
        if inFlight.count < before {
            tally.answered += before - inFlight.count
            lastWalkAnswered = true
        }
        if targetInterval > 0 && lastStep + targetInterval >= now {
            tally.idledInterval += 1
            return
        }
        if windowSize > 0 && windowSize <= inFlight.count {
            tally.idledWindowFull += 1
            return
        }
        let pending = Set(inFlight.map(\.address))
        let available = overlay.walkableAddresses.filter { !pending.contains($0) }
        if !available.isEmpty && overlay.random.int(in: 0...255) >= resetChance,
           let address = overlay.random.element(of: available) {
            overlay.walkTo(address)
            inFlight.append((address, now))
            tally.walked += 1
        } else {
            if available.isEmpty { tally.askedNothingWalkable += 1 } else { tally.askedByReset += 1 }
            overlay.getNewIntroduction()
        }
        lastStep = now
    }
}
