extension Network {
    /// Forgets `address` and removes every verified peer that has it among its addresses (spec §3.8).
    ///
    /// Unlike py-ipv8, a removed peer is really gone: it leaves the verified set, the key map and every
    /// index, and loses its advertised services, so a later ``addVerifiedPeer(_:)`` verifies it again
    /// (spec §14 item 11). Its other addresses stay known, as in py-ipv8. Observers hear
    /// ``PeerObserver/onPeerRemoved(_:)`` once per removed peer, after all removals.
    public func removeByAddress(_ address: Address) {
        removeEntry(address)
        let removed = verifiedByAddress[address]?.peers ?? []
        for peer in removed {
            removeVerified(peer)
        }
        for peer in removed {
            notifyRemoved(peer)
        }
    }

    /// Removes `peer` (spec §3.8): forgets all its addresses, removes it from the verified set and every
    /// index, and forgets its advertised services. `peer` may be any object with the peer's key; the
    /// addresses of both that object and the canonical verified object are forgotten. Observers hear
    /// ``PeerObserver/onPeerRemoved(_:)`` with the canonical object if the peer was verified.
    ///
    /// Addresses this peer introduced stay known; another peer may adopt them (``discoverAddress(_:_:service:newStyle:)``).
    public func removePeer(_ peer: Peer) {
        let canonical = verified[peer.keyBin]
        for address in peer.distinctAddresses {
            removeEntry(address)
        }
        if let canonical {
            for address in canonical.distinctAddresses {
                removeEntry(address)
            }
            removeVerified(canonical)
            notifyRemoved(canonical)
        } else {
            forgetServices(of: peer.keyBin, verified: nil)
        }
    }
}
