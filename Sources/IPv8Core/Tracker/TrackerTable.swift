/// What a ``Tracker`` remembers: the peers it heard from (one per source address) and the communities
/// they asked about, within fixed bounds.
///
/// Bounds: at most `maxCommunities` communities, `maxPeersPerCommunity` members in each, `maxPeers`
/// peers in all and `maxPeersPerHost` per source host (so one host cannot take a community over from
/// many ports). A full community makes room by forgetting its oldest member (py-ipv8's tracker keeps
/// its newest peers too). A request that would need a new peer or a new community beyond the totals is
/// still answered, but not remembered until churn frees room: an address flooding fresh identities can
/// therefore not push honest peers out, and every operation stays O(1) (amortised) but the per-community
/// eviction, which is O(`maxPeersPerCommunity`).
package struct TrackerTable {
    package struct Limits: Sendable, Equatable {
        package var maxPeers: Int
        package var maxCommunities: Int
        package var maxPeersPerCommunity: Int
        /// Peers remembered per source host (an IPv4 address, an IPv6 /64), so that one host cannot fill
        /// the table or a community from many ports.
        package var maxPeersPerHost: Int = 32
    }

    /// One remembered peer.
    package struct Entry {
        package var mid: [UInt8]
        /// The LAN address the peer reported (its own view), or its source address when it reported none.
        package var lan: Address
        package var newStyle: Bool
        package var services: [CommunityPrefix]
        package var created: Double
        package var lastResponse: Double
        /// When the tracker last pinged this peer (py-ipv8's churn `_pinged`).
        package var pingedAt: Double?
    }

    /// What ``record(_:mid:lan:newStyle:prefix:now:)`` did.
    package enum Outcome: Equatable {
        case stored
        /// Stored; the community was full and forgot its oldest member.
        case storedEvicting(Address)
        case refusedPeerLimit
        case refusedCommunityLimit
    }

    package let limits: Limits
    package private(set) var peers: [Address: Entry] = [:]
    package private(set) var addresses = SampledSet<Address>()
    package private(set) var communities: [CommunityPrefix: SampledSet<Address>] = [:]
    private var perHost: [Address.Host: Int] = [:]

    package init(limits: Limits) {
        self.limits = limits
    }

    package var peerCount: Int { peers.count }
    package var communityCount: Int { communities.count }
    /// Memberships in all communities together.
    package var membershipCount: Int { communities.values.reduce(0) { $0 + $1.count } }

    /// Records that `address` (with key `mid`) asked about `prefix` at `now`, within the limits. A new
    /// key at a known address replaces the old peer there.
    package mutating func record(_ address: Address, mid: [UInt8], lan: Address, newStyle: Bool,
                                 prefix: CommunityPrefix, now: Double) -> Outcome {
        if let known = peers[address], known.mid != mid { remove(address) }
        if communities[prefix] == nil && communities.count >= limits.maxCommunities {
            if peers[address] != nil { peers[address]!.lastResponse = now }
            return .refusedCommunityLimit
        }
        if peers[address] == nil {
            guard peers.count < limits.maxPeers, perHost[address.hostKey, default: 0] < limits.maxPeersPerHost else {
                return .refusedPeerLimit
            }
            perHost[address.hostKey, default: 0] += 1
            peers[address] = Entry(mid: mid, lan: lan, newStyle: newStyle, services: [], created: now,
                                   lastResponse: now)
            addresses.insert(address)
        }
        peers[address]!.lastResponse = now
        peers[address]!.lan = lan
        if newStyle { peers[address]!.newStyle = true }
        guard !peers[address]!.services.contains(prefix) else { return .stored }
        var evicted: Address?
        if let members = communities[prefix], members.count >= limits.maxPeersPerCommunity,
           let oldest = members.elements.min(by: { peers[$0]!.created < peers[$1]!.created }) {
            dropService(prefix, from: oldest)
            evicted = oldest
        }
        peers[address]!.services.append(prefix)
        communities[prefix, default: SampledSet()].insert(address)
        return evicted.map { .storedEvicting($0) } ?? .stored
    }

    /// A random member of `prefix`'s community other than `address`, of `address`'s family: a requester that
    /// reached us over IPv6 may have no IPv4 socket (py-ipv8's UDPv6Endpoint alone fails walking to an IPv4
    /// address), one over IPv4 no IPv6 route; `nil` when no other member has its family.
    package func introduction(for prefix: CommunityPrefix, excluding address: Address,
                              using random: RandomSource) -> (address: Address, entry: Entry)? {
        guard let members = communities[prefix] else { return nil }
        // A few O(1) picks first (one, as a rule: communities are mostly one family), then the members of
        // the requester's family counted out; uniform over those either way.
        var pick: Address?
        for _ in 0..<4 {
            guard let candidate = members.randomElement(excluding: address, using: random) else { return nil }
            if candidate.isIPv4 == address.isIPv4 { pick = candidate; break }
        }
        if pick == nil {
            pick = random.element(of: members.elements.filter { $0 != address && $0.isIPv4 == address.isIPv4 })
        }
        guard let pick, let entry = peers[pick] else { return nil }
        return (pick, entry)
    }

    /// Forgets that `address` is in `prefix`'s community; forgets the peer when that was its last one
    /// (py-ipv8's `TrackerPing.on_timeout`).
    package mutating func dropService(_ prefix: CommunityPrefix, from address: Address) {
        guard var entry = peers[address] else { return }
        entry.services.removeAll { $0 == prefix }
        leave(prefix, address)
        if entry.services.isEmpty {
            peers[address] = nil
            addresses.remove(address)
            forgetHost(address)
        } else {
            peers[address] = entry
        }
    }

    /// Forgets the peer at `address` and its memberships.
    package mutating func remove(_ address: Address) {
        guard let entry = peers.removeValue(forKey: address) else { return }
        addresses.remove(address)
        forgetHost(address)
        for prefix in entry.services { leave(prefix, address) }
    }

    /// Notes a sign of life from `address` (a verified answer to a ping).
    package mutating func touch(_ address: Address, now: Double) {
        peers[address]?.lastResponse = now
    }

    package mutating func markPinged(_ address: Address, at now: Double?) {
        peers[address]?.pingedAt = now
    }

    private mutating func forgetHost(_ address: Address) {
        let key = address.hostKey
        if let n = perHost[key], n > 1 { perHost[key] = n - 1 } else { perHost[key] = nil }
    }

    private mutating func leave(_ prefix: CommunityPrefix, _ address: Address) {
        communities[prefix]?.remove(address)
        if communities[prefix]?.isEmpty == true { communities[prefix] = nil }
    }
}
