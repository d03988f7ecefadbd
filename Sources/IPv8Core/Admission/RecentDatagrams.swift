/// The signed datagrams a ``VerificationGate`` verified lately, by key (a hash of source host and signature),
/// each with when it was verified, oldest first: where a repeat is found.
///
/// A ring of key and time pairs (16 bytes each) that doubles as it fills, up to ``capacity``, searched in place
/// while it holds at most ``indexedFrom`` keys and through a dictionary past that. A node of a swarm remembers
/// the few dozen datagrams of the last duplicate window and keeps no dictionary (a dictionary and a queue of
/// keys took about 0.7 KiB per node of a 1,000-node swarm); a flooded node keeps both, at most about 300 KiB
/// for the default capacity of 8,192. Loop-confined, like its gate.
struct RecentDatagrams {
    /// Keys remembered at most; the oldest gives way.
    let capacity: Int
    /// Past this many keys, a dictionary indexes them; at half of it, the dictionary goes.
    static let indexedFrom = 32

    private struct Entry {
        var key: UInt64
        var at: UInt64
    }

    /// A power of two long (or empty); the entries are `count` slots from `head` on, wrapping.
    private var ring: [Entry] = []
    private var head = 0
    /// Keys remembered now.
    private(set) var count = 0
    /// key → when verified, while more than ``indexedFrom`` keys are remembered.
    private var index: [UInt64: UInt64]?

    /// An empty memory of at most `capacity` keys (at least 1).
    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// When `key` was verified, if it is remembered.
    func verifiedAt(_ key: UInt64) -> UInt64? {
        if let index { return index[key] }
        return position(of: key).map { ring[$0].at }
    }

    /// Remembers `key` as verified at `now`, first forgetting the oldest when full and whatever is older than
    /// `window` (a repeat of it is handled again anyway). A key remembered already gets the new time and keeps
    /// its place.
    mutating func remember(_ key: UInt64, at now: UInt64, window: UInt64) {
        while count > 0 {
            let oldest = ring[head]
            guard count >= capacity || now &- oldest.at >= window else { break }
            index?[oldest.key] = nil
            head = (head + 1) & (ring.count - 1)
            count -= 1
        }
        if index != nil && count <= Self.indexedFrom / 2 { index = nil }
        let maybeKnown = index.map { $0[key] != nil } ?? true   // with an index, only a key it has is searched for
        if maybeKnown, let slot = position(of: key) {
            ring[slot].at = now
            index?[key] = now
            return
        }
        if count == ring.count { grow() }
        ring[(head + count) & (ring.count - 1)] = Entry(key: key, at: now)
        count += 1
        if index != nil {
            index?[key] = now
        } else if count > Self.indexedFrom {
            var built = [UInt64: UInt64](minimumCapacity: count)
            for i in 0..<count {
                let entry = ring[(head + i) & (ring.count - 1)]
                built[entry.key] = entry.at
            }
            index = built
        }
    }

    /// The ring slot of `key`, searched from the oldest.
    private func position(of key: UInt64) -> Int? {
        var slot = head
        for _ in 0..<count {
            if ring[slot].key == key { return slot }
            slot = (slot + 1) & (ring.count - 1)
        }
        return nil
    }

    /// Doubles the ring (4 slots at first), the oldest entry first.
    private mutating func grow() {
        var larger = [Entry](repeating: Entry(key: 0, at: 0), count: max(4, ring.count * 2))
        for i in 0..<count { larger[i] = ring[(head + i) & (ring.count - 1)] }
        ring = larger
        head = 0
    }
}
