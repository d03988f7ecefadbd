#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// py-ipv8's DHT overlay (`ipv8/dht/community.py`): a Kademlia DHT of signed or unsigned values up to 170
/// bytes, over the IPv8 wire format, interoperable with py-ipv8 nodes.
///
/// - Nodes are learnt from introduction requests and responses (once our own address is known, since our
///   node id derives from it), kept in a routing table per address family and pinged to learn their RTT.
/// - ``storeValue(_:data:sign:completion:)`` finds the nodes closest to a key and stores the value on them;
///   ``findValues(_:offset:completion:)`` crawls towards the key (at most 4 requests at once, 24 in all)
///   and caches what it found on the closest node that did not have it.
/// - A node may store on us only with a token we gave it in a find response (proof of its address);
///   our token secret changes every 5 minutes and the last two are accepted.
/// - A node querying more than 10 times in 5 s is dropped (counted in ``dhtCounters``).
///
/// Like py-ipv8, the DHT keeps its own ``Network`` (the `network` of its context is not used): its
/// peers are the nodes of its routing tables, which ``PingChurn`` keeps in step.
///
/// Differences from py-ipv8, on purpose:
/// - A lookup returns as soon as its crawl is over; caching the values found on the closest node without
///   them is sent without waiting for its answer (py-ipv8 waits up to 5 s for it).
/// - Node liveness uses the engine clock with "never" for a node that never answered, so simulated time
///   starting at 0 does not make every node good.
/// - Nodes are not added while our address in their family is unspecified (py-ipv8 checks only for
///   `0.0.0.0:0`), since our node id derives from it.
/// - A lookup before any node is known fails ("No nodes found in the routing table"); a family whose
///   routing table is empty is left out of a lookup (py-ipv8 returns nothing when no routing table exists
///   yet, and fails the whole lookup when one is empty).
/// - The values stored for others are capped (``Settings/maxStoredValues``); py-ipv8 stores without bound.
/// - A node lookup returns the nodes that answered (py-ipv8 returns every node asked, so nodes that never
///   answered take places among the closest).
///
/// Loop-confined, like every community.
open class DHTCommunity: Community {
    /// The DHT's community id (py-ipv8's `DHTCommunity.community_id`), shared by ``DHTDiscoveryCommunity``.
    public static let id = CommunityID(hex: "8d0be1845d74d175f178197cad001591d04d73cc")!

    /// The limits and timings in force.
    public let settings: Settings
    /// The routing tables, one per address family seen (`.ipv4`, `.ipv6`).
    public private(set) var routingTables: [AddressKind: DHTRoutingTable] = [:]
    /// The values stored for others, one storage per address family.
    public private(set) var storages: [AddressKind: DHTStorage] = [:]
    /// What the DHT dropped or did.
    public internal(set) var dhtCounters = DHTCounters()
    /// The time our signed values are versioned with, in Unix seconds (the wall clock by default). py-ipv8
    /// versions them with `int(time.time())` and keeps a signer's highest version, so it must be the same
    /// scale as py-ipv8's: the engine clock (monotonic, from boot) would make our values lose to older ones.
    public var unixTime: () -> Double = { Double(time(nil)) }
    /// The tokens nodes gave us, by node id: when, and the token.
    var tokens: [DHTNodeID: (received: Double, token: [UInt8])] = [:]
    /// How many nodes gave us a token (expired ones included until the next token refresh), as py-ipv8's
    /// REST API counts `tokens`.
    public var tokenCount: Int { tokens.count }
    /// Our token secrets, newest last (at most two).
    private var tokenSecrets: [[UInt8]] = []

    /// Creates the DHT with its own network, installs its handlers and starts its maintenance tasks
    /// (tokens every ``Settings/tokenRefreshInterval``, buckets, values).
    /// - Throws: ``EndpointError`` when another listener already has the prefix.
    public convenience init(context: CommunityContext, settings: Settings = Settings()) throws {
        try self.init(communityID: Self.id, context: context, settings: settings)
    }

    /// Creates a DHT under another community id (subclasses; the DHT's own is ``id``).
    public init(communityID: CommunityID, context: CommunityContext, settings: Settings) throws {
        self.settings = settings
        var own = context
        own.network = Network()
        try super.init(communityID: communityID, context: own)
        refreshTokenSecret()
        try installDHTHandlers()
        try tasks.register("token_maintenance", interval: settings.tokenRefreshInterval) { [unowned self] in
            refreshTokenSecret()
        }
        try tasks.register("node_maintenance", interval: settings.nodeMaintenanceInterval) { [unowned self] in
            refreshStaleBuckets()
        }
        try tasks.register("value_maintenance", interval: settings.valueMaintenanceInterval) { [unowned self] in
            for storage in storages.values { storage.clean(now: clock.now) }
        }
    }

    /// `PingChurn`, by name, for configurations (as in py-ipv8).
    open override var availableStrategies: [String: StrategyFactory] {
        ["PingChurn": StrategyFactory { overlay, args in
            try args.checkKnown(["ping_interval"])
            guard let dht = overlay as? DHTCommunity else {
                throw StrategyArgumentError(path: args.path, problem: "PingChurn needs a DHTCommunity, not \(type(of: overlay))")
            }
            let defaults = PingChurn.Settings()
            return PingChurn(overlay: dht, settings: PingChurn.Settings(
                pingInterval: try args.duration("ping_interval", default: defaults.pingInterval)))
        }]
    }

    private func installDHTHandlers() throws {
        try addHandler(for: DHTPingRequest.self, style: .ez) { [unowned self] peer, p in
            if requestingNode(peer) != nil { ezSend(peer, DHTPingResponse(identifier: p.identifier)) }
            didReceivePing(from: peer)
        }
        try addHandler(for: DHTPingResponse.self, style: .ez) { [unowned self] peer, p in
            didReceivePong(from: peer)
            answer(DHTPingCache.self, p.identifier, .pong)
        }
        try addHandler(for: DHTStoreRequest.self, style: .ez) { [unowned self] peer, p in
            handleStoreRequest(from: peer, p)
        }
        try addHandler(for: DHTStoreResponse.self, style: .ez) { [unowned self] _, p in
            answer(DHTStoreCache.self, p.identifier, .stored)
        }
        try addHandler(for: DHTFindRequest.self, style: .ez) { [unowned self] peer, p in
            handleFindRequest(from: peer, p)
        }
        try addHandler(for: DHTFindResponse.self, style: .ez) { [unowned self] _, p in
            handleFindResponse(p)
        }
    }

    /// Called when a ping arrives from `peer`, after it was answered or dropped (``DHTDiscoveryCommunity``
    /// updates the peers it stores). Does nothing by default.
    open func didReceivePing(from peer: Peer) {}

    /// Called when a pong arrives from `peer`, before its request is matched (``DHTDiscoveryCommunity``
    /// updates the nodes that store us). Does nothing by default.
    open func didReceivePong(from peer: Peer) {}

    // MARK: Tables

    /// The family a node's address belongs to (`.ipv4` or `.ipv6`).
    func family(_ address: Address) -> AddressKind { address.isIPv4 ? .ipv4 : .ipv6 }

    /// Our own address in `family`: what introduction responses told us, else our WAN estimate.
    public func myAddress(in family: AddressKind) -> Address {
        myPeer.address(of: family) ?? myEstimatedWAN
    }

    /// Our node id as a node of `family` sees it (py-ipv8's `get_my_node_id`).
    public func myNodeID(in family: AddressKind) -> DHTNodeID {
        DHTNodeID(address: myAddress(in: family), mid: myPeer.mid)
    }

    /// The routing table of `family`, made on first use with our node id in it.
    public func routingTable(for family: AddressKind) -> DHTRoutingTable {
        if let table = routingTables[family] { return table }
        let table = DHTRoutingTable(myNodeID: myNodeID(in: family), bucketSize: settings.bucketSize)
        routingTables[family] = table
        return table
    }

    /// The storage of `family`, made on first use.
    public func storage(for family: AddressKind) -> DHTStorage {
        if let storage = storages[family] { return storage }
        let storage = DHTStorage()
        storages[family] = storage
        return storage
    }

    /// The routing table's node for a querying peer, added if there is room, with the query recorded;
    /// `nil` (and the query dropped, counted) when the node queries too often.
    func requestingNode(_ peer: Peer) -> DHTNode? {
        let now = clock.now
        let table = routingTable(for: family(peer.address))
        let fresh = DHTNode(key: peer.key, address: peer.address)
        if let known = table.node(withID: fresh.id), known.isBlocked(at: now) {
            dhtCounters.rateLimited += 1
            return nil
        }
        let node = table.add(fresh, now: now) ?? fresh
        node.recordQuery(at: now)
        return node
    }

    // MARK: Discovering nodes

    open override func didHandleIntroductionRequest(from peer: Peer) {
        nodeDiscovered(peer.key, at: peer.address)
    }

    open override func didHandleIntroductionResponse(from peer: Peer) {
        nodeDiscovered(peer.key, at: peer.address)
    }

    /// Adds a node we heard from to its routing table and pings it when it is new (py-ipv8's
    /// `on_node_discovered`). Nothing happens for a blacklisted address (a tracker), an IPv6 node while we
    /// have no IPv6 address, or while our own address in the family is unspecified.
    public func nodeDiscovered(_ key: PublicKey, at address: Address) {
        let family = family(address)
        if family == .ipv6 && myPeer.address(of: .ipv6) == nil { return }
        guard !myAddress(in: family).isUnspecified, !network.isBlacklisted(address) else { return }
        let table = routingTable(for: family)
        let node = DHTNode(key: key, address: address)
        let existed = table.has(node.id)
        if let added = table.add(node, now: clock.now), !existed {
            ping(added)
        }
    }

    // MARK: Requests

    /// Sends `payload` to `node` under a fresh cache of `Cache`, calling `completion` with the answer, or
    /// `nil` on timeout.
    @discardableResult
    func request<Cache: DHTRequestCache>(_ type: Cache.Type, to node: DHTNode, timeout: Duration? = nil,
                                         completion: @escaping (DHTRequestCache.Answer?) -> Void,
                                         configure: (Cache) -> Void = { _ in },
                                         payload: (UInt32) -> some Payload) -> Cache? {
        // py-ipv8 draws request numbers below 2^16 and copies them into 16-bit puncture fields.
        let number = requestCache.freeNumber(for: type, below: 1 << 16)
        let cache = Cache(number: number, node: node, timeout: timeout ?? settings.requestTimeout, clock: clock,
                          completion: completion)
        configure(cache)
        guard (try? requestCache.add(cache)) != nil else {
            completion(nil)
            return nil
        }
        ezSend(payload(UInt32(number)), to: node.address)
        return cache
    }

    /// Matches an answer to its request; an answer nobody waits for is counted and dropped.
    func answer<Cache: DHTRequestCache>(_ type: Cache.Type, _ identifier: UInt32, _ answer: DHTRequestCache.Answer) {
        guard let cache = requestCache.pop(type, UInt64(identifier)) else {
            dhtCounters.unexpectedResponses += 1
            return
        }
        cache.answered(answer)
    }

    /// Pings `node` (py-ipv8's `ping`); `completion` gets whether it answered.
    public func ping(_ node: DHTNode, completion: @escaping (Bool) -> Void = { _ in }) {
        node.lastPingSent = clock.now
        request(DHTPingCache.self, to: node, completion: { completion($0 != nil) }) { DHTPingRequest(identifier: $0) }
    }

    // MARK: Tokens

    private func refreshTokenSecret() {
        tokenSecrets.append((0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        if tokenSecrets.count > 2 { tokenSecrets.removeFirst() }
        let now = clock.now
        tokens = tokens.filter { now <= $0.value.received + settings.tokenLifetime.seconds }
    }

    private func token(for node: DHTNode, secret: [UInt8]) -> [UInt8] {
        var packer = Packer(capacity: 64)
        packer.ipAddress(node.address)
        packer.raw(node.key.mid)
        packer.raw(secret)
        return SHA1Digest.hash(packer.bytes)
    }

    /// The token `node` presents to store on us (bound to its address and key).
    func generateToken(for node: DHTNode) -> [UInt8] { token(for: node, secret: tokenSecrets.last!) }

    /// Whether `token` is one we gave `node` with one of our last two secrets.
    func checkToken(_ token: [UInt8], from node: DHTNode) -> Bool {
        tokenSecrets.contains { self.token(for: node, secret: $0) == token }
    }

    /// A usable token `node` gave us, if any.
    func storedToken(for node: DHTNode) -> [UInt8]? {
        guard let entry = tokens[node.id], entry.received + settings.tokenLifetime.seconds > clock.now else { return nil }
        return entry.token
    }

    // MARK: Store

    /// Serializes `data` (signed with our key when `sign`, versioned with ``unixTime``'s whole seconds) and
    /// stores it under `key` on the nodes closest to it. `completion` gets the nodes that stored it, or
    /// why it failed (too long, no nodes, none stored).
    public func storeValue(_ key: [UInt8], data: [UInt8], sign: Bool = false,
                           completion: @escaping (Result<[DHTNode], DHTError>) -> Void = { _ in }) {
        let value = sign ? DHTValue.serializeSigned(data, version: UInt32(clamping: Int64(unixTime())), key: self.key)
                         : DHTValue.serializeUnsigned(data)
        guard value.count <= settings.maxEntrySize else {
            completion(.failure(DHTError("Maximum length exceeded")))
            return
        }
        findNodes(key) { [unowned self] found in
            guard case .success(let nodes) = found else { return completion(found) }
            storeOnNodes(key, values: [value], nodes: Array(nodes.prefix(settings.targetNodes))) { stored in
                if case .success(let nodes) = stored, nodes.isEmpty {
                    return completion(.failure(DHTError("Failed to store value on DHT")))
                }
                completion(stored)
            }
        }
    }

    /// Sends store requests for `values` under `key` to those of `nodes` that gave us a token, and keeps
    /// the values ourselves when we are among the closest (py-ipv8's `store_on_nodes`). `completion` gets
    /// the nodes that confirmed.
    public func storeOnNodes(_ key: [UInt8], values: [[UInt8]], nodes: [DHTNode],
                             completion: @escaping (Result<[DHTNode], DHTError>) -> Void = { _ in }) {
        guard let first = nodes.first, let target = DHTNodeID(bytes: key) else {
            return completion(.failure(DHTError("No nodes found for storing the key-value pairs")))
        }
        let values = Array(values.prefix(settings.maxValuesInStore))
        let farthest = nodes.map(\.id).max { target.isCloser($0, than: $1) }!
        let myID = myNodeID(in: family(first.address))
        if nodes.count < settings.targetNodes || target.isCloser(myID, than: farthest) {
            let storage = storage(for: family(first.address))
            for value in values.reversed() { addValue(key, value, to: storage, maxAge: settings.maxEntryAge.seconds) }
        }
        let withTokens = nodes.compactMap { node in storedToken(for: node).map { (node, $0) } }
        guard !withTokens.isEmpty else { return completion(.failure(DHTError("Value was not stored"))) }
        let gather = Gather<DHTNode>(count: withTokens.count) { completion(.success($0)) }
        for (node, token) in withTokens {
            request(DHTStoreCache.self, to: node, completion: { gather.add($0 == nil ? nil : node) }) {
                DHTStoreRequest(identifier: $0, token: token, target: key, values: values)
            }
        }
    }

    /// Stores one serialized value (dropped when it does not parse or its signature is wrong).
    func addValue(_ key: [UInt8], _ value: [UInt8], to storage: DHTStorage, maxAge: Double) {
        guard let parsed = DHTValue(serialized: value) else {
            logger.debug("not storing an unparsable DHT value under \(hexString(key))")
            return
        }
        storage.put(key, data: value, id: DHTValue.storageID(publicKey: parsed.publicKey, serialized: value),
                    maxAge: maxAge, version: parsed.version, now: clock.now)
    }

    private func handleStoreRequest(from peer: Peer, _ p: DHTStoreRequest) {
        guard let node = requestingNode(peer) else { return }
        guard p.values.count <= settings.maxValuesInStore, p.values.allSatisfy({ $0.count <= settings.maxEntrySize }) else {
            dhtCounters.oversizedStores += 1
            return
        }
        guard checkToken(p.token, from: node) else {
            dhtCounters.badToken += 1
            return
        }
        let storage = storage(for: family(node.address))
        guard storage.count + p.values.count <= settings.maxStoredValues else {
            dhtCounters.storageFull += 1
            return
        }
        let target = DHTNodeID(bytes: p.target)!
        let now = clock.now
        let myID = myNodeID(in: family(node.address))
        let closer = routingTable(for: family(node.address)).closestNodes(to: target, max: 20, now: now)
            .filter { target.isCloser($0.id, than: myID) }.count
        // Fewer copies far from the key: the lifetime halves for each closer node beyond the target count.
        let halvings = max(0, closer - settings.targetNodes + 1)
        let maxAge = (settings.maxEntryAge.seconds / Double(1 << min(halvings, 62))).rounded(.down)
        for value in p.values {
            addValue(p.target, value, to: storage, maxAge: maxAge)
            dhtCounters.valuesStored += 1
        }
        ezSend(peer, DHTStoreResponse(identifier: p.identifier))
    }

    // MARK: Find

    /// Finds the values stored under `key` (py-ipv8's `find_values`): signed values one per signer (its
    /// highest version), then unsigned ones. Fails when no routing table has nodes.
    public func findValues(_ key: [UInt8], offset: UInt32 = 0,
                           completion: @escaping (Result<[DHTValue], DHTError>) -> Void) {
        find(key, forceNodes: false, offset: offset) { completion($0.map(\.values)) }
    }

    /// Finds the nodes closest to `key` (py-ipv8's `find_nodes`), closest first.
    public func findNodes(_ key: [UInt8], completion: @escaping (Result<[DHTNode], DHTError>) -> Void) {
        find(key, forceNodes: true, offset: 0) { completion($0.map(\.nodes)) }
    }

    /// A lookup, with what its crawls saw (py-ipv8's `find(…, debug=True)`).
    public func find(_ key: [UInt8], forceNodes: Bool, offset: UInt32,
                     completion: @escaping (Result<DHTLookup, DHTError>) -> Void) {
        guard let target = DHTNodeID(bytes: key) else { return completion(.failure(DHTError("A key has 20 bytes"))) }
        let tables = [AddressKind.ipv4, .ipv6].compactMap { routingTables[$0] }
        // A family whose table is empty is left out (py-ipv8 fails the whole lookup on it).
        let crawls = tables.compactMap { table -> DHTCrawl? in
            let start = table.closestNodes(to: target, max: settings.maxCrawlNodes, now: clock.now)
            guard !start.isEmpty else { return nil }
            return DHTCrawl(target: target, table: table, start: start, forceNodes: forceNodes, offset: offset,
                            settings: settings)
        }
        guard !crawls.isEmpty else { return completion(.failure(DHTError("No nodes found in the routing table"))) }
        let gather = Gather<DHTCrawl>(count: crawls.count) { [unowned self] done in
            dhtCounters.lookups += 1
            let values = done.flatMap(\.values)
            if !forceNodes {
                for crawl in done where !crawl.values.isEmpty {
                    if let candidate = crawl.cacheCandidate {
                        storeOnNodes(key, values: crawl.values, nodes: [candidate])
                    }
                }
            }
            completion(.success(DHTLookup(values: Self.postProcess(values), nodes: done.flatMap(\.nodesByDistance),
                                          crawls: done.map(\.summary))))
        }
        for crawl in crawls { run(crawl) { gather.add(crawl) } }
    }

    /// One signed value per signer (its highest version; the first of equal ones), in order of first
    /// appearance, then every unsigned value (py-ipv8's `post_process_values`).
    public static func postProcess(_ values: [[UInt8]]) -> [DHTValue] {
        var signers: [[UInt8]] = []
        var best: [[UInt8]: DHTValue] = [:]
        var unsigned: [DHTValue] = []
        for serialized in values {
            guard let value = DHTValue(serialized: serialized) else { continue }
            guard let key = value.publicKey else {
                unsigned.append(value)
                continue
            }
            if let current = best[key] {
                if value.version > current.version { best[key] = value }
            } else {
                signers.append(key)
                best[key] = value
            }
        }
        return signers.map { best[$0]! } + unsigned
    }

    private func run(_ crawl: DHTCrawl, done: @escaping () -> Void) {
        while !crawl.isDone, crawl.inFlight < settings.maxCrawlTasks, let next = crawl.popNext() {
            contact(next, in: crawl) { [unowned self] in run(crawl, done: done) }
        }
        if crawl.inFlight == 0 && (crawl.isDone || crawl.todo.isEmpty) && !crawl.finished {
            crawl.finished = true
            done()
        }
    }

    private func contact(_ step: DHTCrawl.Step, in crawl: DHTCrawl, then: @escaping () -> Void) {
        let ask = { [unowned self] in
            sendFindRequest(to: step.node, target: crawl.target.bytes, forceNodes: crawl.forceNodes,
                            offset: crawl.offset) { [unowned self] answer in
                if case .found(let values, let nodes)? = answer {
                    crawl.table.add(step.node, now: clock.now)
                    crawl.addResponse(from: step, values: values, nodes: nodes)
                }
                crawl.inFlight -= 1
                then()
            }
        }
        guard let via = step.puncture else { return ask() }
        // Ask the node that told us of this one to have it puncture towards us first.
        sendFindRequest(to: via, target: step.node.id.bytes, forceNodes: crawl.forceNodes, offset: 0) { _ in ask() }
    }

    private func sendFindRequest(to node: DHTNode, target: [UInt8], forceNodes: Bool, offset: UInt32,
                                 completion: @escaping (DHTRequestCache.Answer?) -> Void) {
        let lan = myEstimatedLAN
        request(DHTFindCache.self, to: node, timeout: settings.findTimeout, completion: completion,
                configure: { $0.forceNodes = forceNodes }) {
            DHTFindRequest(identifier: $0, lanAddress: lan, target: target, offset: offset, forceNodes: forceNodes)
        }
    }

    private func handleFindRequest(from peer: Peer, _ p: DHTFindRequest) {
        guard let node = requestingNode(peer) else { return }
        let target = DHTNodeID(bytes: p.target)!
        let values = p.forceNodes ? [] : storage(for: family(node.address))
            .get(p.target, start: Int(p.offset), limit: settings.maxValuesInFind)
        var nodes: [DHTNode] = []
        if p.forceNodes || values.isEmpty {
            nodes = routingTable(for: family(node.address)).closestNodes(to: target, max: settings.maxNodesInFind,
                                                                        excluding: node.id, now: clock.now)
            if let closest = nodes.first {
                endpoint.send(createPunctureRequest(lanWalker: p.lanAddress, wanWalker: peer.address,
                                                    identifier: UInt16(truncatingIfNeeded: p.identifier)),
                              to: closest.address)
            }
        }
        ezSend(peer, DHTFindResponse(identifier: p.identifier, token: generateToken(for: node), values: values,
                                     nodes: nodes.map(\.entry)))
    }

    private func handleFindResponse(_ p: DHTFindResponse) {
        guard let cache = requestCache.get(DHTFindCache.self, UInt64(p.identifier)) else {
            dhtCounters.unexpectedResponses += 1
            return
        }
        guard let nodes = dhtNodes(p.nodes) else { return }
        requestCache.pop(DHTFindCache.self, UInt64(p.identifier))
        tokens[cache.node.id] = (clock.now, p.token)
        if cache.forceNodes || p.values.isEmpty {
            cache.answered(.found(values: [], nodes: nodes))
        } else {
            cache.answered(.found(values: p.values, nodes: []))
        }
    }

    /// Nodes from a response's entries, ourselves left out (a third party may list us); `nil` (counted)
    /// when a key does not parse.
    func dhtNodes(_ entries: [DHTNodeEntry]) -> [DHTNode]? {
        var nodes: [DHTNode] = []
        for entry in entries {
            guard let key = try? PublicKey(bin: entry.publicKeyBin) else {
                dhtCounters.badNodeEntries += 1
                return nil
            }
            if key != myPeer.key { nodes.append(DHTNode(key: key, address: entry.address)) }
        }
        return nodes
    }

    // MARK: Maintenance

    /// Looks up a random id in every bucket unchanged for ``Settings/bucketRefreshAge`` (py-ipv8's
    /// `node_maintenance`).
    func refreshStaleBuckets() {
        let now = clock.now
        var seen = Set<String>()
        for family in [AddressKind.ipv4, .ipv6] {
            guard let table = routingTables[family] else { continue }
            for bucket in table.buckets where now - bucket.lastChanged > settings.bucketRefreshAge.seconds {
                if seen.insert(bucket.prefixBits).inserted {
                    findValues(bucket.randomID(random).bytes) { _ in }
                }
                bucket.lastChanged = now
            }
        }
    }
}

/// Collects `count` results (a `nil` is a failure, left out) and calls `done` with them once all came.
final class Gather<T> {
    private var remaining: Int
    private var results: [T] = []
    private var done: (([T]) -> Void)?

    init(count: Int, done: @escaping ([T]) -> Void) {
        remaining = count
        self.done = done
        if count == 0 { finish() }
    }

    func add(_ result: T?) {
        if let result { results.append(result) }
        remaining -= 1
        if remaining == 0 { finish() }
    }

    private func finish() {
        let call = done
        done = nil
        call?(results)
    }
}
