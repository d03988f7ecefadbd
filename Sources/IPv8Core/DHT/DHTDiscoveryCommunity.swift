/// py-ipv8's `DHTDiscoveryCommunity` (`ipv8/dht/discovery.py`): the DHT, plus finding any peer by its mid.
///
/// Every ``DHTCommunity/Settings/storePeerInterval`` a node asks the nodes closest to its own mid to store
/// it (until half of ``DHTCommunity/Settings/targetNodes`` do), and keeps pinging them. To reach a peer by
/// its mid, ``connectPeer(_:peer:completion:)`` looks up the nodes closest to that mid and asks them to
/// connect us: each sends the peer a puncture request towards us and answers with the peer's addresses.
/// Peers stored for others are forgotten after ``DHTCommunity/Settings/storedPeerLifetime`` without a query.
///
/// It runs under the DHT's community id. Loop-confined.
open class DHTDiscoveryCommunity: DHTCommunity {
    /// The peers we store for others, by their mid.
    public private(set) var store: [[UInt8]: [DHTNode]] = [:]
    /// The nodes that store us, by the key (our mid).
    public private(set) var storeForMe: [[UInt8]: [DHTNode]] = [:]

    /// Creates the community under ``DHTCommunity/id``, installs its handlers and starts its tasks.
    /// - Throws: ``EndpointError`` when another listener already has the prefix.
    public init(context: CommunityContext, settings: Settings = Settings()) throws {
        try super.init(communityID: Self.id, context: context, settings: settings)
        try addHandler(for: DHTStorePeerRequest.self, style: .ez) { [unowned self] peer, p in
            handleStorePeerRequest(from: peer, p)
        }
        try addHandler(for: DHTStorePeerResponse.self, style: .ez) { [unowned self] _, p in
            guard let cache = requestCache.pop(DHTStorePeerCache.self, UInt64(p.identifier)) else {
                dhtCounters.unexpectedResponses += 1
                return
            }
            if !(storeForMe[cache.key] ?? []).contains(where: { $0.mid == cache.node.mid }) {
                storeForMe[cache.key, default: []].append(cache.node)
            }
            cache.answered(.peerStored)
        }
        try addHandler(for: DHTConnectPeerRequest.self, style: .ez) { [unowned self] peer, p in
            let nodes = Array((store[p.target] ?? []).prefix(settings.maxNodesInFind))
            for node in nodes {
                endpoint.send(createPunctureRequest(lanWalker: p.lanAddress, wanWalker: peer.address,
                                                    identifier: UInt16(truncatingIfNeeded: p.identifier)),
                              to: node.address)
            }
            ezSend(peer, DHTConnectPeerResponse(identifier: p.identifier, nodes: nodes.map(\.entry)))
        }
        try addHandler(for: DHTConnectPeerResponse.self, style: .ez) { [unowned self] _, p in
            guard requestCache.has(DHTConnectPeerCache.self, UInt64(p.identifier)) else {
                dhtCounters.unexpectedResponses += 1
                return
            }
            guard let nodes = dhtNodes(p.nodes) else { return }
            requestCache.pop(DHTConnectPeerCache.self, UInt64(p.identifier))?.answered(.connected(nodes))
        }
        try tasks.register("store_peer", interval: settings.storePeerInterval) { [unowned self] in
            storePeer()
        }
        try tasks.register("ping_all", interval: settings.pingAllInterval) { [unowned self] in
            pingAll()
        }
    }

    open override func didReceivePing(from peer: Peer) {
        node(withKey: peer.key, in: store)?.recordQuery(at: clock.now)
    }

    open override func didReceivePong(from peer: Peer) {
        node(withKey: peer.key, in: storeForMe)?.lastResponse = clock.now
    }

    private func node(withKey key: PublicKey, in table: [[UInt8]: [DHTNode]]) -> DHTNode? {
        for nodes in table.values { if let node = nodes.first(where: { $0.key == key }) { return node } }
        return nil
    }

    // MARK: Storing ourselves

    /// Asks the nodes closest to our mid to store us, unless half of ``DHTCommunity/Settings/targetNodes``
    /// already do (py-ipv8's `store_peer`). `completion` gets the nodes that confirmed.
    public func storePeer(completion: @escaping (Result<[DHTNode], DHTError>) -> Void = { _ in }) {
        let key = myPeer.mid
        guard (storeForMe[key]?.count ?? 0) < settings.targetNodes / 2 else { return completion(.success([])) }
        findNodes(key) { [unowned self] found in
            guard case .success(let nodes) = found else { return completion(found) }
            sendStorePeerRequest(key, to: Array(nodes.prefix(settings.targetNodes)), completion: completion)
        }
    }

    private func sendStorePeerRequest(_ key: [UInt8], to nodes: [DHTNode],
                                      completion: @escaping (Result<[DHTNode], DHTError>) -> Void) {
        let storing = storeForMe[key] ?? []
        // Fresh objects: liveness of the nodes storing us is kept apart from the routing table's.
        let candidates = nodes.filter { node in !storing.contains { $0.mid == node.mid } }
            .map { DHTNode(key: $0.key, address: $0.address) }
        guard !candidates.isEmpty else { return completion(.failure(DHTError("No nodes found for storing peer"))) }
        let withTokens = candidates.compactMap { node in tokens[node.id].map { (node, $0.token) } }
        guard !withTokens.isEmpty else { return completion(.failure(DHTError("Peer was not stored"))) }
        let gather = Gather<DHTNode>(count: withTokens.count) { completion(.success($0)) }
        for (node, token) in withTokens {
            request(DHTStorePeerCache.self, to: node, completion: { gather.add($0 == nil ? nil : node) },
                    configure: { $0.key = key }) {
                DHTStorePeerRequest(identifier: $0, token: token, target: key)
            }
        }
    }

    private func handleStorePeerRequest(from peer: Peer, _ p: DHTStorePeerRequest) {
        let node = DHTNode(key: peer.key, address: peer.address)
        node.recordQuery(at: clock.now)
        guard checkToken(p.token, from: node) else {
            dhtCounters.badToken += 1
            return
        }
        guard p.target == peer.mid else {
            dhtCounters.foreignStorePeer += 1
            return
        }
        if !(store[p.target] ?? []).contains(where: { $0.mid == node.mid }) {
            store[p.target, default: []].append(node)
        }
        ezSend(peer, DHTStorePeerResponse(identifier: p.identifier))
    }

    // MARK: Connecting

    /// Finds the peer with `mid` (py-ipv8's `connect_peer`): from the peers we store ourselves; else by
    /// pinging `peer` when given; else by asking the nodes closest to `mid` to connect us (they puncture
    /// towards us). `completion` gets the peer's nodes (one per address it is known at), or an error.
    public func connectPeer(_ mid: [UInt8], peer: Peer? = nil,
                            completion: @escaping (Result<[DHTNode], DHTError>) -> Void) {
        if let stored = store[mid], !stored.isEmpty { return completion(.success(stored)) }
        let lookup = { [unowned self] in
            findNodes(mid) { [unowned self] found in
                guard case .success(let nodes) = found else { return completion(found) }
                sendConnectPeerRequest(mid, to: Array(nodes.prefix(settings.targetNodes)), completion: completion)
            }
        }
        guard let peer else { return lookup() }
        let node = DHTNode(key: peer.key, address: peer.address)
        ping(node) { answered in answered ? completion(.success([node])) : lookup() }
    }

    private func sendConnectPeerRequest(_ mid: [UInt8], to nodes: [DHTNode],
                                        completion: @escaping (Result<[DHTNode], DHTError>) -> Void) {
        guard !nodes.isEmpty else { return completion(.failure(DHTError("No nodes found for connecting to peer"))) }
        let lan = myEstimatedLAN
        let gather = Gather<[DHTNode]>(count: nodes.count) { lists in
            var seen = Set<DHTNodeID>()
            let found = lists.joined().filter { seen.insert($0.id).inserted }
            completion(found.isEmpty ? .failure(DHTError("Failed to connect peer")) : .success(found))
        }
        for node in nodes.map({ DHTNode(key: $0.key, address: $0.address) }) {
            request(DHTConnectPeerCache.self, to: node, completion: { answer in
                if case .connected(let found)? = answer { gather.add(found) } else { gather.add(nil) }
            }) { DHTConnectPeerRequest(identifier: $0, lanAddress: lan, target: mid) }
        }
    }

    // MARK: Upkeep

    /// Drops bad nodes among those storing us and pings the others when due; forgets the peers we store
    /// that stopped querying us (py-ipv8's `ping_all`).
    func pingAll() {
        let now = clock.now
        for key in Array(storeForMe.keys) {
            storeForMe[key]?.removeAll { $0.status(at: now) == .bad }
            for node in storeForMe[key] ?? [] where (node.lastPingSent.map { $0 + settings.pingInterval.seconds <= now } ?? true) {
                ping(node)
            }
        }
        for key in Array(store.keys) {
            store[key]?.removeAll { now > ($0.lastQuery ?? -.infinity) + settings.storedPeerLifetime.seconds }
            if store[key]?.isEmpty == true { store[key] = nil }
        }
    }
}
