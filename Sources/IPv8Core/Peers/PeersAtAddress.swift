/// The verified peers at one address, in the order they were indexed there: almost always one, which is stored
/// without an array (a one-element array cost 48 bytes of heap per address, 1 KiB per node of a 1,000-node
/// swarm). The enum is one pointer wide, like the array it replaces.
package enum PeersAtAddress {
    case one(Peer)
    case many([Peer])

    /// The peer indexed first.
    package var first: Peer {
        switch self {
        case .one(let peer): peer
        case .many(let peers): peers[0]
        }
    }

    /// The peers, in order (allocates; for removal and checks, not for lookups).
    package var peers: [Peer] {
        switch self {
        case .one(let peer): [peer]
        case .many(let peers): peers
        }
    }

    /// Whether any peer satisfies `predicate`, without allocating.
    package func contains(where predicate: (Peer) throws -> Bool) rethrows -> Bool {
        switch self {
        case .one(let peer): try predicate(peer)
        case .many(let peers): try peers.contains(where: predicate)
        }
    }

    /// These peers and `peer` after them.
    package func appending(_ peer: Peer) -> PeersAtAddress {
        .many(peers + [peer])
    }

    /// These peers without `peer` (by identity); `nil` when none is left.
    package func removing(_ peer: Peer) -> PeersAtAddress? {
        let rest = peers.filter { $0 !== peer }
        switch rest.count {
        case 0: return nil
        case 1: return .one(rest[0])
        default: return .many(rest)
        }
    }
}
