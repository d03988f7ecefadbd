extension Network {
    /// The verified peers (canonical objects) in the order they were verified.
    public var verifiedPeers: [Peer] { verified.values }

    /// The number of verified peers. O(1).
    public var verifiedPeerCount: Int { verified.count }

    /// Whether a peer with `peer`'s key is verified.
    public func isVerified(_ peer: Peer) -> Bool {
        verified.contains(peer.keyBin)
    }

    /// The number of known addresses (walkable or not). O(1).
    public var knownAddressCount: Int { entries.count }

    /// Every known address (py-ipv8's `_all_addresses` keys), in the order they became known.
    public var knownAddresses: [Address] { entries.keys }

    /// Whether `address` is known (walkable or not).
    public func isKnown(_ address: Address) -> Bool {
        entries.contains(address)
    }

    /// The verified peers that advertise `service` (py-ipv8's `get_peers_for_service`), in the order they
    /// became verified-and-advertising. O(result); always exact (no cache).
    public func peersForService(_ service: CommunityID) -> [Peer] {
        verifiedByService[service]?.elements ?? []
    }

    /// The number of verified peers that advertise `service`. O(1).
    public func peerCount(forService service: CommunityID) -> Int {
        verifiedByService[service]?.count ?? 0
    }

    /// The addresses worth walking to (spec §3.6).
    ///
    /// Without `service`: every known address that is not an address of a verified peer (`oldStyle` is
    /// ignored, as in py-ipv8), in the order the addresses became known; O(known addresses).
    ///
    /// With `service`: the known addresses whose introducer advertises `service` or whose introduction
    /// arrived through `service`; minus the addresses of verified peers that advertise `service`; minus, when
    /// `oldStyle` is true, the addresses flagged new-style. Addresses with no introducer (added by
    /// ``addVerifiedPeer(_:)`` or ``loadSnapshot(_:)``) are therefore never walkable for a service.
    /// Order: by advertiser (in advertising order), then by introduction order; then the addresses that
    /// only the entry's service qualifies. O(addresses of that service).
    public func walkableAddresses(service: CommunityID? = nil, oldStyle: Bool = false) -> [Address] {
        guard let service else {
            return entries.compactMap { verifiedByAddress[$0.key] == nil ? $0.key : nil }
        }
        var out: [Address] = []
        let serviceAdvertisers = advertisers[service]
        if let serviceAdvertisers {
            for introducer in serviceAdvertisers {
                guard let introduced = introducedBy[introducer] else { continue }
                for address in introduced where isWalkable(address, service: service, oldStyle: oldStyle) {
                    out.append(address)
                }
            }
        }
        if let viaService = addressesByEntryService[service] {
            for address in viaService {
                // Already listed above when its introducer advertises the service.
                if let introducer = entries[address]?.introducer, serviceAdvertisers?.contains(introducer) == true {
                    continue
                }
                if isWalkable(address, service: service, oldStyle: oldStyle) { out.append(address) }
            }
        }
        return out
    }

    private func isWalkable(_ address: Address, service: CommunityID, oldStyle: Bool) -> Bool {
        if oldStyle, entries[address]?.newStyle == true { return false }
        guard let peers = verifiedByAddress[address] else { return true }
        return !peers.contains { servicesPerPeer[$0.keyBin]?.contains(service) == true }
    }

    /// The verified peer with `address` among its addresses. When several share it, the one verified
    /// first. O(1); never a removed peer.
    public func verifiedPeer(byAddress address: Address) -> Peer? {
        verifiedByAddress[address]?.first
    }

    /// The verified peer with this public key bin.
    public func verifiedPeer(byPublicKeyBin bin: [UInt8]) -> Peer? {
        verified[ByteKey(bin)]
    }

    /// The verified peer with this mid.
    public func verifiedPeer(byMid mid: [UInt8]) -> Peer? {
        guard let key = MidKey(mid) else { return nil }
        guard verified.isHashed else { return verified.first { $0.value.midKey == key }?.value }
        return verifiedByMid[key]
    }

    /// The known addresses whose recorded introducer is `peer`'s key, in introduction order. Exact.
    public func introductions(from peer: Peer) -> [Address] {
        introducedBy[peer.keyBin]?.elements ?? []
    }

    /// The services `peer`'s key advertised, in discovery order (a copy). Empty when unknown.
    public func services(for peer: Peer) -> [CommunityID] {
        servicesPerPeer[peer.keyBin]?.elements ?? []
    }

    /// Whether `peer`'s key advertised `service`.
    public func advertises(_ peer: Peer, _ service: CommunityID) -> Bool {
        servicesPerPeer[peer.keyBin]?.contains(service) == true
    }

    /// Whether `address` is known and was flagged as supporting new-style introductions.
    public func isNewStyle(_ address: Address) -> Bool {
        entries[address]?.newStyle ?? false
    }
}
