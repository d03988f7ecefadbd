extension Network {
    /// Records `peer` as verified: we got a validly signed message from it (spec §3.2).
    ///
    /// - A peer whose mid is blacklisted is ignored.
    /// - If a peer with the same key is already verified, only its addresses are updated: `peer`'s addresses
    ///   are merged into the canonical object class by class, and `peer` itself is not stored.
    /// - Otherwise, if one of `peer`'s addresses is already known, `peer` becomes verified.
    /// - Otherwise, unless one of its addresses is blacklisted, its addresses become known (with no
    ///   introducer) and it becomes verified. A peer at a blacklisted address (a tracker) is not added.
    ///
    /// Observers hear ``PeerObserver/onPeerAdded(_:)`` when the peer becomes verified.
    public func addVerifiedPeer(_ peer: Peer) {
        guard !blacklistMidIndex.contains(peer.midKey) else { return }
        if let known = verified[peer.keyBin] {
            if known !== peer { changeAddresses(of: known) { $0.mergeAddresses(peer.addresses) } }
            return
        }
        let addresses = peer.addressList
        if addresses.contains(where: { entries.contains($0) }) {
            insertVerified(peer)
        } else if !addresses.contains(where: { blacklistIndex.contains($0) }) {
            for address in addresses where !entries.contains(address) {
                setEntry(address, Entry(introducer: nil, service: nil, newStyle: false))
            }
            insertVerified(peer)
        }
    }

    /// Records that `peer` introduced us to `address` (spec §3.3), through `service` if given, and whether
    /// the address supports new-style introductions.
    ///
    /// The introducer is then passed to ``addVerifiedPeer(_:)``, also when `address` is blacklisted (which
    /// is otherwise ignored). A known address keeps its first introducer unless that introducer is no longer
    /// verified (or it had none), in which case `peer` adopts it.
    public func discoverAddress(_ peer: Peer, _ address: Address, service: CommunityID? = nil, newStyle: Bool = false) {
        if blacklistIndex.contains(address) {
            addVerifiedPeer(peer)
            return
        }
        let adopt: Bool
        if let entry = entries[address] {
            adopt = entry.introducer.map { !verified.contains($0) } ?? true
        } else {
            adopt = true
        }
        if adopt {
            setEntry(address, Entry(introducer: peer.keyBin, service: service, newStyle: newStyle))
        }
        addVerifiedPeer(peer)
    }

    /// Records that `peer` advertises `services` (spec §3.4), merged into what it advertised before.
    /// Works for unverified peers too; they count for ``peersForService(_:)`` once verified.
    public func discoverServices<Services: Sequence>(_ peer: Peer, _ services: Services)
    where Services.Element == CommunityID {
        let key = peer.keyBin
        let verifiedPeer = verified[key]
        for service in services {
            if let added = servicesPerPeer[key]?.insert(service) {
                guard added else { continue }
            } else {
                servicesPerPeer[key] = ServiceSet(service)
            }
            Network.add(key, to: &advertisers, at: service)
            if let verifiedPeer {
                Network.add(verifiedPeer, to: &verifiedByService, at: service)
            }
        }
    }

    // MARK: Index maintenance

    /// Creates or replaces the entry for `address`, keeping the introducer and entry-service indices exact.
    func setEntry(_ address: Address, _ entry: Entry) {
        if let old = entries.updateValue(entry, forKey: address) {
            unindexEntry(address, old)
        }
        if let introducer = entry.introducer {
            Network.add(address, to: &introducedBy, at: introducer)
        }
        if let service = entry.service {
            Network.add(address, to: &addressesByEntryService, at: service)
        }
    }

    /// Forgets `address` (if known), keeping the indices exact.
    func removeEntry(_ address: Address) {
        guard let old = entries.removeValue(forKey: address) else { return }
        unindexEntry(address, old)
    }

    private func unindexEntry(_ address: Address, _ entry: Entry) {
        if let introducer = entry.introducer {
            Network.remove(address, from: &introducedBy, at: introducer)
        }
        if let service = entry.service {
            Network.remove(address, from: &addressesByEntryService, at: service)
        }
    }

    /// Makes `peer` the canonical verified peer for its key. Notifies observers.
    func insertVerified(_ peer: Peer) {
        verified[peer.keyBin] = peer
        indexMid(peer)
        for address in peer.distinctAddresses {
            indexVerified(peer, at: address)
        }
        if let services = servicesPerPeer[peer.keyBin] {
            for service in services {
                Network.add(peer, to: &verifiedByService, at: service)
            }
        }
        notifyAdded(peer)
    }

    /// Removes the canonical verified `peer` from the verified set and every index, and forgets its
    /// services. Does not notify (callers notify once the state is consistent).
    func removeVerified(_ peer: Peer) {
        verified[peer.keyBin] = nil
        unindexMid(peer)
        for address in peer.distinctAddresses {
            unindexVerified(peer, at: address)
        }
        forgetServices(of: peer.keyBin, verified: peer)
    }

    /// Drops everything advertised by `key` (py-ipv8 pops `services_per_peer[key]`), including `verified`
    /// (the peer with that key, if it was verified) from the per-service verified index.
    func forgetServices(of key: ByteKey, verified: Peer?) {
        guard let services = servicesPerPeer.removeValue(forKey: key) else { return }
        for service in services {
            Network.remove(key, from: &advertisers, at: service)
            if let verified {
                Network.remove(verified, from: &verifiedByService, at: service)
            }
        }
    }

    /// Adds `peer`, just verified, to the mid index; builds the index when ``verified`` has just become hashed.
    private func indexMid(_ peer: Peer) {
        guard verified.isHashed else { return }
        if verifiedByMid.isEmpty {
            for (_, each) in verified { verifiedByMid[each.midKey] = each }
        } else {
            verifiedByMid[peer.midKey] = peer
        }
    }

    /// Drops `peer`, just removed from ``verified``, from the mid index; drops the index once ``verified`` is
    /// scanned again.
    private func unindexMid(_ peer: Peer) {
        guard verified.isHashed else {
            if !verifiedByMid.isEmpty { verifiedByMid = [:] }
            return
        }
        if verifiedByMid[peer.midKey] === peer { verifiedByMid[peer.midKey] = nil }
    }

    private func indexVerified(_ peer: Peer, at address: Address) {
        verifiedByAddress[address] = verifiedByAddress[address]?.appending(peer) ?? .one(peer)
    }

    private func unindexVerified(_ peer: Peer, at address: Address) {
        guard let peers = verifiedByAddress[address] else { return }
        verifiedByAddress[address] = peers.removing(peer)
    }

    /// Records `address` as `peer`'s address of class `kind` (default: by host), replacing the previous one
    /// of that class, and re-indexes `peer` by address when it is this network's canonical verified peer.
    /// Does nothing while the peer's ``Peer/addressFrozen`` is true. Address changes of peers go through
    /// here so that ``verifiedPeer(byAddress:)`` follows them.
    /// - Parameters:
    ///   - address: the peer's new address.
    ///   - kind: its class (LAN, WAN, IPv6 …); nil: decided by the host.
    ///   - peer: the peer.
    public func addAddress(_ address: Address, kind: AddressKind? = nil, to peer: Peer) {
        // The common case on the receive path: the address is known already, so nothing changes.
        guard !peer.addressFrozen, peer.address(of: kind ?? .default(for: address)) != address else { return }
        changeAddresses(of: peer) { $0.addAddress(address, kind: kind) }
    }

    /// Forgets `peer`'s address of class `kind`, and re-indexes it (see ``addAddress(_:kind:to:)``).
    public func removeAddress(kind: AddressKind, from peer: Peer) {
        guard !peer.addressFrozen, peer.address(of: kind) != nil else { return }
        changeAddresses(of: peer) { $0.removeAddress(kind: kind) }
    }

    /// Applies `change` to `peer`'s addresses and re-indexes a canonical verified peer by address.
    func changeAddresses(of peer: Peer, _ change: (Peer) -> Void) {
        guard verified[peer.keyBin] === peer else {
            change(peer)
            return
        }
        let before = peer.distinctAddresses
        change(peer)
        let after = peer.distinctAddresses
        guard before != after else { return }
        for address in before where !after.contains(address) {
            unindexVerified(peer, at: address)
        }
        for address in after where !before.contains(address) {
            indexVerified(peer, at: address)
        }
    }

    /// Adds `element` to the set of `key` in `index` (creating it), in place.
    static func add<Key: Hashable, Element: Hashable>(
        _ element: Element, to index: inout OrderedMap<Key, OrderedIndex<Element>>, at key: Key
    ) {
        index.modify(key, default: OrderedIndex()) { _ = $0.append(element) }
    }

    /// Removes `element` from the set of `key` in `index`, and the set once it is empty.
    static func remove<Key: Hashable, Element: Hashable>(
        _ element: Element, from index: inout OrderedMap<Key, OrderedIndex<Element>>, at key: Key
    ) {
        guard let emptied = index.modifyIfPresent(key, { $0.remove(element) && $0.isEmpty }) else { return }
        if emptied { index.removeValue(forKey: key) }
    }
}
