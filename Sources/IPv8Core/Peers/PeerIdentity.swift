import Synchronization

/// What defines a peer: its public key bin, the mid (SHA-1 of the bin) and, for a legacy EC key, the parsed key.
///
/// Every ``Peer`` object with the same key in the process holds the same identity (``interned(_:)``), so the 74-byte
/// bin and the mid are stored once per key, not once per peer object: the nodes of a swarm or a simulation in one
/// process, or the several IPv8 instances of one host, each keep a peer object for the same keys, without a copy of
/// its bin. Immutable, hence shared by every loop.
package final class PeerIdentity: Sendable {
    /// The public key bin, as a dictionary key.
    package let bin: ByteKey
    /// The mid, computed once per key.
    package let mid: MidKey
    /// The parsed legacy EC key; nil for a curve25519 key (rebuilt from ``bin`` when needed).
    package let ec: ECPublicKey?

    private init(key: PublicKey, bin: ByteKey) {
        self.bin = bin
        self.mid = MidKey(key.mid)!   // SHA-1 digests are 20 bytes
        self.ec = key.ec
    }

    /// The identity of `key`: the one already held by a live peer object, or a new one (then remembered).
    ///
    /// Costs a lock and a hash of the bin; a new key also costs its SHA-1, outside the lock. Identities no peer
    /// object holds any more are forgotten when the table has doubled since its last sweep, so the table holds at
    /// most twice the keys alive at its last sweep, or ``sweepThreshold`` if that is more (like a dictionary's
    /// capacity, it does not shrink after a burst of keys until it grows again).
    package static func interned(_ key: PublicKey) -> PeerIdentity {
        let bin = ByteKey(key.bin)
        if let known = table.withLock({ $0.identities[bin] }) { return known }
        let made = PeerIdentity(key: key, bin: bin)
        return table.withLock { table in
            if let raced = table.identities[bin] { return raced }
            if table.identities.count >= table.sweepAt { table.sweep() }
            table.identities[bin] = made
            return made
        }
    }

    /// The table is swept once it holds this many identities (or twice as many as after the last sweep).
    package static let sweepThreshold = 1_024

    /// The identities the table holds now, live or not yet swept (for tests).
    package static var internedCount: Int { table.withLock { $0.identities.count } }

    /// The number of identities at which the table next sweeps itself (for tests).
    package static var nextSweepAt: Int { table.withLock { $0.sweepAt } }

    /// Forgets now the identities no peer object holds, as the table does by itself when it has doubled (for tests).
    package static func sweepUnheld() { table.withLock { $0.sweep() } }

    private struct Table: ~Copyable {
        var identities: [ByteKey: PeerIdentity] = [:]
        var sweepAt = PeerIdentity.sweepThreshold

        /// Forgets the identities only the table holds. A reference leaves the table only under the lock, so an
        /// identity the table alone holds cannot gain a holder while the lock is held. The loop walks indices by
        /// hand: iterating `values.indices` would hold a copy of the dictionary, and the in-place access would
        /// then copy its storage (retaining every identity, so that none would look unheld).
        mutating func sweep() {
            var unheld: [ByteKey] = []
            var index = identities.startIndex
            while index != identities.endIndex {
                if isKnownUniquelyReferenced(&identities.values[index]) { unheld.append(identities.keys[index]) }
                identities.formIndex(after: &index)
            }
            for bin in unheld { identities[bin] = nil }
            sweepAt = max(PeerIdentity.sweepThreshold, 2 * identities.count)
        }
    }

    private static let table = Mutex(Table())
}
