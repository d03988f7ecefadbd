/// py-ipv8's `PingChurn`: the DHT's maintenance step. Each step (once the DHT has a routing table) drops
/// bad nodes from the routing tables and the DHT's network, drops peers there is no room for in the
/// routing tables, adds the routing tables' nodes as the DHT's peers, and pings each node every
/// ``Settings/pingInterval``. Configure it with `peers: -1`, as py-ipv8's default configuration does.
public final class PingChurn: DiscoveryStrategy {
    /// PingChurn's settings.
    public struct Settings: Sendable, Equatable {
        /// How often each node is pinged (default: the DHT's ``DHTCommunity/Settings/pingInterval``).
        public var pingInterval: Duration

        /// Settings with py-ipv8's defaults.
        public init(pingInterval: Duration = DHTCommunity.Settings().pingInterval) {
            self.pingInterval = pingInterval
        }
    }

    /// The settings in force.
    public let settings: Settings
    private let dht: DHTCommunity

    /// A PingChurn step for `overlay`.
    public init(overlay: DHTCommunity, settings: Settings = Settings()) {
        self.settings = settings
        self.dht = overlay
        super.init(overlay: overlay)
    }

    public override func step() throws {
        guard !dht.routingTables.isEmpty else { return }
        let now = dht.clock.now
        let network = dht.network
        let tables = [AddressKind.ipv4, .ipv6].compactMap { dht.routingTables[$0] }
        for table in tables {
            for node in table.removeBadNodes(now: now) {
                if let peer = network.verifiedPeer(byPublicKeyBin: node.key.bin) { network.removePeer(peer) }
            }
        }
        for peer in dht.peers where !network.isBlacklisted(peer.address) {
            let node = DHTNode(key: peer.key, address: peer.address)
            let table = dht.routingTable(for: peer.address.isIPv4 ? .ipv4 : .ipv6)
            if !table.has(node.id) && table.add(node, now: now) == nil { network.removePeer(peer) }
        }
        for table in tables {
            for node in table.nodes where !network.advertises(peerWithKey: node.key.bin, dht.communityID) {
                let peer = Peer(key: node.key, address: node.address, now: now)
                network.addVerifiedPeer(peer)
                network.discoverServices(peer, [dht.communityID])
            }
        }
        let interval = settings.pingInterval.seconds
        for table in tables {
            for node in table.nodes where (node.lastPingSent.map { $0 + interval <= now } ?? true) {
                dht.ping(node)
            }
        }
    }
}

extension Network {
    /// Whether the verified peer with this key bin advertises `service`.
    func advertises(peerWithKey bin: [UInt8], _ service: CommunityID) -> Bool {
        guard let peer = verifiedPeer(byPublicKeyBin: bin) else { return false }
        return advertises(peer, service)
    }
}
