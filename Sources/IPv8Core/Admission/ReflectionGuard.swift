/// Bounds what an unsigned puncture request can make a node send (a signed puncture, about four times its
/// size, to an address the request names): act on one only when it comes from a verified peer or from an
/// address we sent an introduction request to lately (the introducers that legitimately send them), or
/// else within a small rate. Memory is bounded. Loop-confined.
public final class ReflectionGuard {
    /// How long an address we walked to stays trusted. Default 60 s.
    public var contactLifetime: Double = 60
    /// Addresses remembered. Default 1,024 (the oldest gives way).
    public let capacity: Int
    /// Puncture requests per second accepted from anyone else, with a burst of twice that. Default 5.
    public var strangerRate: Double = 5

    /// Contacted address → when, oldest contact first (one scanned array while small: a dictionary plus a
    /// separate ring of addresses cost 1.3 KiB per node of a 1,000-node swarm).
    private var contacts = OrderedMap<Address, Double>()
    private var tokens = 0.0
    private var lastRefill: Double?

    /// A guard remembering at most `capacity` contacted addresses (default 1,024; at least 1).
    public init(capacity: Int = 1_024) {
        self.capacity = max(capacity, 1)
    }

    /// Notes that we sent an introduction request to `address` at `now`.
    public func contacted(_ address: Address, now: Double) {
        if contacts.updateValue(now, forKey: address) != nil { return }
        if contacts.count > capacity, let oldest = contacts.firstKey {
            contacts.removeValue(forKey: oldest)
        }
    }

    /// Whether to answer a puncture request from `source` at `now`; `isPeer` says whether it is a verified peer.
    public func allows(from source: Address, isPeer: Bool, now: Double) -> Bool {
        if isPeer { return true }
        if let at = contacts[source], now - at <= contactLifetime { return true }
        let burst = 2 * strangerRate
        if let lastRefill { tokens = min(burst, tokens + (now - lastRefill) * strangerRate) } else { tokens = burst }
        lastRefill = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

@available(*, unavailable)
extension ReflectionGuard: Sendable {}
