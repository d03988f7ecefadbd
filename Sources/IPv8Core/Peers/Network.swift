/// The peer table shared by the communities of one IPv8 instance (py-ipv8's `Network`, spec §3):
/// verified peers, every known address with the peer that introduced it, the services each peer
/// advertises, the blacklists, and the local overlays per service.
///
/// ## Threading
/// Loop-confined and **not thread-safe by design**: one thread (the loop thread) owns the engine, so there is
/// no lock (py-ipv8's `graph_lock` has no counterpart). The class is deliberately not `Sendable`.
///
/// ## Cost
/// Every relation is indexed and every index is kept exact on every mutation: address → verified peers,
/// introducer → introduced addresses, service → advertising peers, service → verified peers, entry
/// service → addresses, key bin → peer, mid → peer. ``peersForService(_:)`` and
/// ``verifiedPeer(byAddress:)`` cost O(result) or O(1); ``walkableAddresses(service:oldStyle:)`` costs
/// O(addresses introduced by the peers advertising that service), never O(all peers). Maps of at most 32
/// entries scan instead of hashing (`OrderedMap`), and the mid index exists only past 32 verified peers (a
/// mid lookup scans them below that): a node of a swarm keeps a few dozen of each, and the hash tables cost
/// more memory than the scans cost time.
///
/// ## Determinism
/// Every list this class returns is in an order that depends only on the sequence of operations (insertion
/// order, see `OrderedIndex`), never on Swift's per-process hash seed, so a seeded simulation is
/// reproducible.
///
/// ## Deliberate differences from py-ipv8
/// Observable semantics follow py-ipv8 except for these fixes:
/// 1. ``removeByAddress(_:)`` really removes each verified peer at that address: from the verified set *and*
///    the key map and every index. py-ipv8 leaves `verified_by_public_key_bin` stale, so such a peer can
///    never be verified again (spec §14 item 11). Here it can.
/// 2. ``removePeer(_:)`` purges every reverse index; there are no caches to go stale (spec §14 item 12):
///    ``verifiedPeer(byAddress:)`` never returns a removed peer and ``introductions(from:)`` and
///    ``peersForService(_:)`` are always exact (py-ipv8's are LRU/FIFO caches of 500 entries).
/// 3. ``removePeer(_:)`` drops the addresses of the canonical peer object as well as those of the object
///    passed in (py-ipv8: only the passed object's), and notifies observers with the canonical object.
/// 4. ``walkableAddresses(service:oldStyle:)`` does not copy py-ipv8's in-place mutation that adds an
///    address entry's service to its introducer's advertised services (spec §3.6 quirk); it is a pure query.
/// 5. Returned lists have a deterministic order (py-ipv8: set order). ``services(for:)`` returns a copy in
///    discovery order, not the live mutable set. When several verified peers share an address,
///    ``verifiedPeer(byAddress:)`` returns the one indexed there first (py-ipv8: whichever the set scan
///    or its LRU cache yields).
/// 8. A canonical verified peer whose addresses change (``addAddress(_:kind:to:)``, a merge by
///    ``addVerifiedPeer(_:)``) is re-indexed at once, so address lookups follow it; py-ipv8's LRU cache
///    keeps answering for the old address.
/// 6. Peer observers and service providers are held weakly (py-ipv8: strongly), so a community observing
///    the network it holds makes no retain cycle.
/// 7. ``loadSnapshot(_:)`` skips well-formed domain-name entries (type `0x02`), which ``Address`` cannot
///    represent, and continues with the next entry.
public final class Network {
    /// What we know about an address: who introduced it, through which service, in which style.
    package struct Entry: Equatable {
        /// The introducer's key bin; `nil` for py-ipv8's `b""` (added by a verified peer or a snapshot).
        package var introducer: ByteKey?
        /// The service (community) the introduction arrived through, if any.
        package var service: CommunityID?
        /// The introducer flagged the address as supporting new-style introductions.
        package var newStyle: Bool
    }

    // Primary state.
    /// py-ipv8's `_all_addresses`: every known address, walkable or not, in the order they became known.
    package internal(set) var entries = OrderedMap<Address, Entry>()
    /// Verified peers by key bin (canonical objects), in the order they were verified.
    package internal(set) var verified = OrderedMap<ByteKey, Peer>()
    /// Services advertised per key bin, verified or not.
    package internal(set) var servicesPerPeer = OrderedMap<ByteKey, ServiceSet>()

    // Indices, all derived from the primary state.
    /// Address → the verified peers having it among their addresses (usually one).
    package internal(set) var verifiedByAddress = OrderedMap<Address, PeersAtAddress>()
    /// Mid → verified peer, kept only while ``verified`` is hashed (more peers than `OrderedMap.linearLimit`);
    /// below that, a mid is found by scanning ``verified`` (see ``verifiedPeer(byMid:)``).
    package internal(set) var verifiedByMid: [MidKey: Peer] = [:]
    /// Introducer key bin → the addresses whose entry names it.
    package internal(set) var introducedBy = OrderedMap<ByteKey, OrderedIndex<Address>>()
    /// Service → the addresses whose entry names it.
    package internal(set) var addressesByEntryService = OrderedMap<CommunityID, OrderedIndex<Address>>()
    /// Service → key bins advertising it (verified or not).
    package internal(set) var advertisers = OrderedMap<CommunityID, OrderedIndex<ByteKey>>()
    /// Service → verified peers advertising it.
    package internal(set) var verifiedByService = OrderedMap<CommunityID, OrderedIndex<Peer>>()

    // Configuration.
    package internal(set) var blacklistIndex = OrderedIndex<Address>()
    package internal(set) var blacklistMidIndex = OrderedIndex<MidKey>()
    package internal(set) var serviceProviders: [CommunityID: WeakServiceProvider] = [:]
    package internal(set) var serviceProviderOrder = OrderedIndex<CommunityID>()
    package internal(set) var observers: [WeakPeerObserver] = []

    /// Creates an empty network.
    public init() {}

    // MARK: Blacklists

    /// Addresses that never become verified peers (bootstrap trackers), in insertion order.
    public var blacklist: [Address] { blacklistIndex.elements }

    /// Adds `address` to the blacklist unless present (py-ipv8's `ensure_blacklisted`). Not retroactive:
    /// a peer already verified at that address stays verified.
    public func addToBlacklist(_ address: Address) {
        blacklistIndex.append(address)
    }

    /// Removes `address` from the blacklist.
    public func removeFromBlacklist(_ address: Address) {
        blacklistIndex.remove(address)
    }

    /// Whether `address` is blacklisted.
    public func isBlacklisted(_ address: Address) -> Bool {
        blacklistIndex.contains(address)
    }

    /// Mids that are never added as verified peers (every community adds its own), in insertion order.
    public var blacklistMids: [[UInt8]] { blacklistMidIndex.elements.map(\.bytes) }

    /// Adds `mid` to the mid blacklist unless present. Not retroactive. A `mid` that is not 20 bytes names no
    /// peer and is ignored.
    public func addToBlacklist(mid: [UInt8]) {
        guard let key = MidKey(mid) else { return }
        blacklistMidIndex.append(key)
    }

    /// Whether `mid` is blacklisted.
    public func isBlacklisted(mid: [UInt8]) -> Bool {
        MidKey(mid).map { blacklistMidIndex.contains($0) } ?? false
    }

    // MARK: Service providers

    /// Registers the local overlay that provides `service` (held weakly), replacing any earlier one.
    public func registerServiceProvider(_ service: CommunityID, overlay: AnyObject) {
        serviceProviders[service] = WeakServiceProvider(overlay: overlay)
        serviceProviderOrder.append(service)
    }

    /// The local overlay registered for `service`, while it is alive.
    public func serviceProvider(for service: CommunityID) -> AnyObject? {
        serviceProviders[service]?.overlay
    }

    /// The services with a live local overlay, in registration order.
    public var localServices: [CommunityID] {
        serviceProviderOrder.filter { serviceProviders[$0]?.overlay != nil }
    }

    // MARK: Observers

    /// Starts notifying `observer` (held weakly) of verified-peer additions and removals. Idempotent.
    public func addPeerObserver(_ observer: any PeerObserver) {
        observers.removeAll { $0.observer == nil }
        guard !observers.contains(where: { $0.observer === observer }) else { return }
        observers.append(WeakPeerObserver(observer: observer))
    }

    /// Stops notifying `observer`.
    public func removePeerObserver(_ observer: any PeerObserver) {
        observers.removeAll { $0.observer == nil || $0.observer === observer }
    }

    /// The live observers, in registration order.
    public var peerObservers: [any PeerObserver] {
        observers.compactMap(\.observer)
    }

    func notifyAdded(_ peer: Peer) {
        for observer in peerObservers { observer.onPeerAdded(peer) }
    }

    func notifyRemoved(_ peer: Peer) {
        for observer in peerObservers { observer.onPeerRemoved(peer) }
    }
}
