/// py-ipv8's `DiscoveryCommunity` (spec §5.11): tells peers which overlays we run (similarity
/// request/response, ids 1/2) and measures round-trip times (ping/pong, ids 3/4).
///
/// Differences from py-ipv8, on purpose:
/// - Pings are matched by their 16-bit wire identifier (py-ipv8 keys its cache by the full global time,
///   so RTT measurement stops once the clock passes 65535, spec §14 item 16). Pending pings expire
///   after ``pingTimeout`` seconds; a later ping with the same identifier replaces an older one.
/// - The 246 override reuses the network's canonical peer for the key, tries the legacy
///   `"Y" ‖ mid` form only when the first byte is `"Y"`, and applies this port's peer-cap policy
///   (see ``Community/maxPeers``). It still always answers old style and skips
///   ``Community/didHandleIntroductionRequest(from:)``, like py-ipv8.
///
/// Loop-confined, like every community.
open class DiscoveryCommunity: Community {
    /// `7e313685c1912a141279f8248fc8db5899c5df5a`.
    public static let id = CommunityID(hex: "7e313685c1912a141279f8248fc8db5899c5df5a")!
    /// Time after which an unanswered ping is forgotten (py-ipv8's `PingRequestCache` timeout): a timer
    /// from ``Community/timers`` removes it.
    public static let pingTimeout: Duration = .seconds(5)

    /// A ping waiting for its pong.
    public struct PendingPing {
        /// Who was pinged.
        public let peer: Peer
        /// When the ping was sent (``Community/clock`` time).
        public let sent: Double
    }

    /// Pings waiting for a pong, by wire identifier.
    public private(set) var pendingPings: [UInt16: PendingPing] = [:]

    /// Creates the community (id ``id``), installs its handlers and replaces the 246 handler.
    /// - Throws: ``EndpointError`` when another listener already has the prefix.
    public init(context: CommunityContext) throws {
        try super.init(communityID: Self.id, context: context)
        handlers.set(Int(MessageID.introductionRequest)) { [unowned self] packet, source in
            try handleDiscoveryIntroductionRequest(packet, from: source)
        }
        try addHandler(for: SimilarityRequestPayload.self) { [unowned self] peer, p in
            handleSimilarityRequest(from: peer, p)
        }
        try addHandler(for: SimilarityResponsePayload.self) { [unowned self] peer, p in
            handleSimilarityResponse(from: peer, p)
        }
        try addUnsignedHandler(for: PingPayload.self) { [unowned self] source, p in
            sendUnsigned(PongPayload(identifier: p.identifier), to: source)
        }
        try addUnsignedHandler(for: PongPayload.self) { [unowned self] _, p in
            handlePong(p)
        }
    }

    /// `RandomChurn` and `PeriodicSimilarity`, by name, for configurations (as in py-ipv8).
    open override var availableStrategies: [String: StrategyFactory] {
        ["RandomChurn": StrategyFactory { overlay, args in
            try args.checkKnown(["sample_size", "ping_interval", "inactive_time", "drop_time"])
            let defaults = RandomChurn.Settings()
            return RandomChurn(overlay: try Self.discovery(overlay, args), settings: RandomChurn.Settings(
                sampleSize: try args.integer("sample_size", default: defaults.sampleSize),
                pingInterval: try args.duration("ping_interval", default: defaults.pingInterval),
                inactiveTime: try args.duration("inactive_time", default: defaults.inactiveTime),
                dropTime: try args.duration("drop_time", default: defaults.dropTime)))
        },
         "PeriodicSimilarity": StrategyFactory { overlay, args in
            try args.checkKnown([])
            return PeriodicSimilarity(overlay: try Self.discovery(overlay, args))
        }]
    }

    private static func discovery(_ overlay: Community, _ args: StrategyArguments) throws -> DiscoveryCommunity {
        guard let d = overlay as? DiscoveryCommunity else {
            throw StrategyArgumentError(path: args.path, problem: "needs a DiscoveryCommunity overlay")
        }
        return d
    }

    /// Sends a similarity request to every responder of our introduction requests.
    open override func didHandleIntroductionResponse(from peer: Peer) {
        sendSimilarityRequest(to: peer.address)
    }

    // MARK: Similarity

    /// Each distinct local key among the network's live service providers, with the ids of the local
    /// overlays using it, in registration order.
    public var localKeyGroups: [(key: PrivateKey, services: [CommunityID])] {
        var groups: [(key: PrivateKey, services: [CommunityID])] = []
        var index: [[UInt8]: Int] = [:]
        for service in network.localServices {
            guard let overlay = network.serviceProvider(for: service) as? Community else { continue }
            let bin = overlay.myPeer.publicKeyBin
            if let at = index[bin] {
                groups[at].services.append(service)
            } else {
                index[bin] = groups.count
                groups.append((overlay.key, [service]))
            }
        }
        return groups
    }

    /// Sends `address` one similarity request per distinct local key, each signed with that key and
    /// listing the local overlays that use it (spec §5.11, §14 item 15).
    public func sendSimilarityRequest(to address: Address) {
        for group in localKeyGroups {
            let gt = claimGlobalTime()
            let payload = SimilarityRequestPayload(identifier: UInt16(truncatingIfNeeded: gt), lanAddress: myEstimatedLAN,
                                                   wanAddress: myEstimatedWAN, preferenceList: group.services)
            endpoint.send(PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: group.key), to: address)
        }
    }

    func handleSimilarityRequest(from peer: Peer, _ payload: SimilarityRequestPayload) {
        network.discoverServices(peer, payload.preferenceList)
        let address = peer.address
        for group in localKeyGroups {
            let gt = claimGlobalTime()
            let response = SimilarityResponsePayload(identifier: payload.identifier, preferenceList: group.services)
            endpoint.send(PacketEncoder.coreSigned(response, prefix: prefix, globalTime: gt, key: group.key), to: address)
        }
    }

    func handleSimilarityResponse(from peer: Peer, _ payload: SimilarityResponsePayload) {
        if isAtPeerLimit && !network.isVerified(peer) { return }
        network.addVerifiedPeer(peer)
        network.discoverServices(peer, payload.preferenceList)
    }

    // MARK: Ping

    /// Pings `peer` (unsigned message 3, identifier = global time mod 65536); the pong adds an RTT sample
    /// to `peer` (``Peer/addPing(_:)``).
    public func sendPing(_ peer: Peer) {
        let now = clock.now
        let gt = claimGlobalTime()
        let identifier = UInt16(truncatingIfNeeded: gt)
        pendingPings[identifier] = PendingPing(peer: peer, sent: now)
        timers.schedule(after: Self.pingTimeout) { [weak self] in
            // Forget this ping unless a newer one took its identifier.
            if let self, self.pendingPings[identifier]?.sent == now { self.pendingPings[identifier] = nil }
        }
        endpoint.send(PacketEncoder.coreUnsigned(PingPayload(identifier: identifier), prefix: prefix, globalTime: gt),
                      to: peer.address)
    }

    func handlePong(_ payload: PongPayload) {
        guard let pending = pendingPings.removeValue(forKey: payload.identifier) else { return }
        pending.peer.addPing(clock.now - pending.sent)
    }
}
