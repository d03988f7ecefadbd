import Synchronization

/// A unit of periodic network work for one overlay, stepped by the ``StrategyScheduler`` (py-ipv8's
/// `DiscoveryStrategy`).
///
/// Subclass it and override ``step()``; the default ``takeStep()`` runs it holding ``walkLock``:
/// ```swift
/// final class MyDiscoveryStrategy: DiscoveryStrategy {
///     override func step() {
///         if let peer = overlay.peers.randomElement() { overlay.walkTo(peer.address) }
///     }
/// }
/// scheduler.addStrategy(MyDiscoveryStrategy(overlay: community), targetPeers: -1)
/// ```
///
/// The scheduler calls ``takeStep()`` on the loop thread. ``walkLock`` is a real (non-recursive) mutex so
/// that a host thread that steps a strategy by hand cannot race a scheduled step; taking it on the loop
/// thread costs one uncontended lock.
///
/// The strategy holds its overlay strongly: a community never references its strategies, so there is no
/// cycle, and ``overlay`` can never dangle.
open class DiscoveryStrategy {
    /// The community this strategy works for.
    public let overlay: Community
    /// Guards a step against a concurrent manual step from another thread (py-ipv8's `walk_lock`).
    public let walkLock = Mutex<Void>(())

    /// A strategy for `overlay`.
    public init(overlay: Community) {
        self.overlay = overlay
    }

    /// Runs `body` holding ``DiscoveryStrategy/walkLock``. Not re-entrant: do not nest.
    public func withWalkLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        var outcome: Result<R, E>?
        walkLock.withLock { _ in
            outcome = Result(catching: body)
        }
        return try outcome!.get()
    }

    /// One step. The default runs ``DiscoveryStrategy/step()`` holding ``DiscoveryStrategy/walkLock`` (py-ipv8's `take_step` under `walk_lock`),
    /// so most strategies override ``DiscoveryStrategy/step()`` only. A subclass may override this instead, as py-ipv8's
    /// examples do, and then takes ``DiscoveryStrategy/walkLock`` itself (``DiscoveryStrategy/withWalkLock(_:)``). A thrown error is logged by the
    /// scheduler, which goes on with the next strategy.
    open func takeStep() throws {
        try withWalkLock { () throws -> Void in try step() }
    }

    /// The work of one step, run by the default ``DiscoveryStrategy/takeStep()`` holding ``DiscoveryStrategy/walkLock``. The default does
    /// nothing; subclasses override it.
    open func step() throws {}

    /// The number of peers of ``overlay`` (py-ipv8's `get_peer_count`), in O(1).
    open var peerCount: Int { overlay.peerCount }
}
