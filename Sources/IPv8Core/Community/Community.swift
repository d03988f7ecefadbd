import Logging

/// A py-ipv8 community (overlay): one 20-byte community id, one prefix on the shared endpoint, a
/// 256-slot handler table and the introduction protocol (spec §5).
///
/// Subclass it, pass the community id to `super.init`, and register handlers for your messages:
/// ```swift
/// final class MyCommunity: Community {
///     static let id = CommunityID(hex: "…40 hex digits…")!
///     init(context: CommunityContext) throws {
///         try super.init(communityID: Self.id, context: context)
///         try addHandler(for: Hello.self) { [unowned self] peer, hello in self.greet(peer, hello) }
///     }
/// }
/// ```
/// The community id is an initialiser argument (not an overridable class property) so that a
/// subclass cannot forget it: the compiler asks for it.
///
/// ## Dispatch
/// A datagram's byte 22 picks the slot. Datagrams shorter than 23 bytes, that do not decode, or whose
/// signature fails are counted (``counters``) and dropped; unknown ids are counted and dropped; deprecated
/// ids 235–255 (except 245/246/249/250) are reserved, logged at debug level and dropped. A handler that
/// throws is logged and its datagram dropped. Each signature is verified once, after the payload decoded.
/// Nothing ever answers garbage.
///
/// ## Threading
/// Loop-confined: constructed, called and fed datagrams on the loop thread only. Not `Sendable`.
open class Community: DatagramListener {
    /// py-ipv8's `DEFAULT_MAX_PEERS`.
    public static let defaultMaxPeers = 30

    /// The 20-byte community id.
    public let communityID: CommunityID
    /// `0x00 ‖ version ‖ communityID`.
    public let prefix: CommunityPrefix
    /// Our private key in this community.
    public let key: PrivateKey
    /// Our own peer (shared with the other communities using the same key, and so is its Lamport clock).
    public let myPeer: Peer
    /// The endpoint we receive from and send through.
    public let endpoint: any Endpoint
    /// The peer table shared by every community of the node.
    public let network: Network
    /// The time.
    public let clock: any EngineClock
    /// Where the community asks for timers; simulated time drives them in tests.
    public let timers: any TimerScheduler
    /// The random source this community and its strategies draw from.
    public let random: RandomSource
    /// Where the community logs.
    public let logger: Logger
    /// The community's named tasks (py-ipv8's `register_task` and friends), on ``timers``; all cancelled
    /// by ``unload()``. Made on first use (one object per community for the community's life; a community that
    /// runs no task, like most of a swarm's, keeps none).
    public var tasks: TaskManager {
        madeOnFirstUse(&madeTasks, TaskManager(timers: timers, logger: logger), shutDown: { $0.shutdown() })
    }
    private var madeTasks: TaskManager?
    /// Which puncture requests the community acts on (reflection bound).
    public let reflectionGuard = ReflectionGuard()
    /// Who asked us for an introduction lately: the first choice of whom to introduce.
    var recentRequesters = RecentRequesters()
    private var askCursor = 0
    /// The community's request caches (py-ipv8's `RequestCache`); all cleared by ``unload()``. Made on first
    /// use, like ``tasks``.
    public var requestCache: RequestCache {
        madeOnFirstUse(&madeRequestCache, RequestCache(timers: timers, logger: logger), shutDown: { $0.shutdown() })
    }
    private var madeRequestCache: RequestCache?

    /// `stored`, made now from `make` if it was not yet; one made after ``unload()`` starts shut down.
    private func madeOnFirstUse<T: AnyObject>(_ stored: inout T?, _ make: @autoclosure () -> T,
                                              shutDown: (T) -> Void) -> T {
        if let stored { return stored }
        let made = make()
        if !isLoaded { shutDown(made) }
        stored = made
        return made
    }
    /// Bootstrappers consulted by ``bootstrap()``.
    public var bootstrappers: [any Bootstrapper]

    /// The peer cap (default 30; negative means unlimited).
    ///
    /// **Differs from py-ipv8 on purpose.** py-ipv8 silently drops an introduction request once the
    /// community has *more* than `maxPeers` peers, so in a swarm that all walks to one bootstrap node only
    /// `maxPeers + 1` nodes ever get in. Here, once the community has `maxPeers` peers or more, an
    /// introduction request is still **answered** (with `peer_limit_reached` set in old-style responses and
    /// a random peer introduced), but the requester is **not** added as a verified peer unless it already
    /// is one. The requester thus learns of someone else to walk to, and our peer count stays at the cap.
    public var maxPeers: Int

    /// The IP time to live of the punctures we send (`nil`: the system's default, as py-ipv8).
    ///
    /// **Differs from py-ipv8 on purpose.** A puncture exists to open our own NAT's mapping towards a peer
    /// that is about to contact us. Sent with the default TTL it also reaches the peer's NAT before the
    /// peer's own first datagram has left it; Linux's conntrack (what most home routers run) then keeps an
    /// unreplied entry for it that takes the very port pair the peer's mapping needs, masquerade gives the
    /// peer's datagrams to us another source port, and our NAT drops them: two nodes behind two such NATs
    /// never connect (measured in network namespaces: 0 of 13 runs; py-ipv8 0 of 3). With a TTL of 2 the
    /// puncture passes our NAT and expires at the next router: 10 of 10. The handler of a puncture does
    /// nothing, so nothing is lost when it never arrives. Raise it behind several NATs (carrier-grade NAT).
    public var punctureTTL: UInt8? = Community.defaultPunctureTTL

    /// The default ``punctureTTL``: 2 (our NAT, then the first router past it).
    public static let defaultPunctureTTL: UInt8? = 2

    /// Our LAN address as we estimate it: the endpoint's bound address, or for a socket bound to `0.0.0.0`
    /// or `[::]` the machine's first IPv4 interface address at our port (`Endpoint/estimatedLANAddress`).
    public var myEstimatedLAN: Address
    /// Our WAN address as we estimate it: our LAN estimate at first, then what introduction responses say
    /// (spec §5.8).
    public var myEstimatedWAN: Address
    /// Where the latest responders outside our LAN saw us; ``connectionEstimate`` reads them.
    public internal(set) var wanReports = WANReports()

    /// Whether an introduction response that names addresses we have no peer at makes us send each a
    /// puncture at once, with ``punctureTTL`` (nothing is sent while it is `nil`). Default true.
    ///
    /// **Not in py-ipv8.** When a py-ipv8 node is asked to puncture towards us, its puncture leaves at the
    /// system's TTL and reaches our NAT; if our own first datagram to it has not left yet, Linux conntrack
    /// keeps an unreplied entry that takes the port pair our mapping needs (see ``punctureTTL``). Our own
    /// low-TTL puncture, sent as soon as the introducer names the peer, opens our mapping first: the
    /// introducer's puncture request to the peer and its response to us leave at the same moment, and the
    /// peer's puncture has two more links to cross. A puncture is ignored by its receiver (py-ipv8 too).
    public var puncturesIntroduced = true
    /// Whether a puncture request from one of our peers makes the walker it names walkable for us (default
    /// true; **not in py-ipv8**, which only punctures). See `discoverWalker(lanWalker:wanWalker:from:newStyle:)`:
    /// one introduction then feeds two walkers, and a swarm converges sooner.
    public var learnsWalkersFromPunctureRequests = true

    /// What happened to the datagrams routed here.
    public internal(set) var counters = CommunityCounters()

    typealias Handler = HandlerTable.Handler
    var handlers = HandlerTable(Community.coreHandlers)
    private var isLoaded = true

    /// Creates the community, registers it on the endpoint under its prefix and in the network as the
    /// provider of `communityID`, blacklists our own mid, and installs the core and deprecated handlers.
    /// - Throws: ``EndpointError`` when another listener already has the prefix.
    public init(communityID: CommunityID, version: UInt8 = 0x02, context: CommunityContext) throws {
        self.communityID = communityID
        self.prefix = CommunityPrefix(communityID: communityID, version: version)
        self.key = context.key
        self.myPeer = context.myPeer
        self.endpoint = context.endpoint
        self.network = context.network
        self.clock = context.clock
        self.timers = context.timers
        self.random = context.random
        self.logger = context.logger
        self.maxPeers = context.maxPeers
        self.bootstrappers = context.bootstrappers
        self.myEstimatedLAN = context.endpoint.estimatedLANAddress
        self.myEstimatedWAN = context.endpoint.estimatedLANAddress
        try endpoint.addListener(self, prefix: prefix)
        network.registerServiceProvider(communityID, overlay: self)
        network.addToBlacklist(mid: myPeer.mid)
    }

    /// Stops receiving: removes the community from the endpoint and drops every handler (which breaks the
    /// reference cycles handlers capturing `self` create). Idempotent. Subclasses overriding it must call
    /// `super.unload()`.
    open func unload() {
        guard isLoaded else { return }
        isLoaded = false
        endpoint.removeListener(self)
        handlers = HandlerTable(.none)
        recentRequesters.removeAll()
        bootstrappers.removeAll()
        madeTasks?.shutdown()
        madeRequestCache?.shutdown()
    }

    // MARK: Configuration hooks (overridable)

    /// The discovery strategies this community makes available by name, on top of the built-in ones
    /// (py-ipv8's `get_available_strategies()`). A configuration's walker names are looked up here.
    ///
    /// ```swift
    /// override var availableStrategies: [String: StrategyFactory] {
    ///     ["MyDiscoveryStrategy": StrategyFactory { overlay, _ in MyDiscoveryStrategy(overlay: overlay) }]
    /// }
    /// ```
    open var availableStrategies: [String: StrategyFactory] { [:] }

    /// Runs one configuration `on_start` entry: `method` with its `arguments`. Swift cannot call a method
    /// by its name, so a community that accepts `on_start` entries overrides this and dispatches itself.
    /// - Throws: by default, that the community has no such method.
    open func onStart(_ method: String, arguments: [JSONValue]) throws {
        throw StrategyArgumentError(path: "on_start", problem: "\(type(of: self)) has no on_start method \"\(method)\"")
    }

    // MARK: Walking (overridable)

    /// Sends an introduction request to `address` (py-ipv8's `walk_to`): new style when the network knows
    /// the address as new-style, or for IPv6.
    open func walkTo(_ address: Address) {
        let newStyle = network.isNewStyle(address) || address.isIPv6
        endpoint.send(createIntroductionRequest(to: address, newStyle: newStyle), to: address)
    }

    /// Asks `peer` (default: the next of ``peers`` in turn) for an introduction; with no peers at all,
    /// ``bootstrap()`` instead. Without a given peer, one call in ``trackerKeepAliveShare`` walks to the
    /// bootstrappers' keep-alive trackers instead when they name any (py-ipv8's `keep_alive`).
    open func getNewIntroduction(from peer: Peer? = nil) {
        if let peer {
            sendIntroductionRequest(to: peer)
        } else if let chosen = nextPeerToAsk() {
            if !bootstrappers.isEmpty, random.unit() < Self.trackerKeepAliveShare {
                let trackers = bootstrappers.compactMap { $0.keepAliveAddress(for: self) }
                if !trackers.isEmpty {
                    for address in trackers { walkTo(address) }
                    return
                }
            }
            sendIntroductionRequest(to: chosen)
        } else {
            bootstrap()
        }
    }

    /// The peers in turn, in the order they became peers, for ``getNewIntroduction(from:)``: asking the same
    /// peer twice in a row mostly brings the same introduction back (py-ipv8 picks at random; in turn, the
    /// simulated 1,000-node swarm converged 0.6 s sooner over 8 seeds).
    private func nextPeerToAsk() -> Peer? {
        let all = peers
        guard !all.isEmpty else { return nil }
        askCursor = askCursor % all.count
        defer { askCursor += 1 }
        return all[askCursor]
    }

    /// The share of walks that go to a tracker although the community has peers (py-ipv8: 5 %).
    public static let trackerKeepAliveShare = 0.05

    /// Walks to the addresses the ``bootstrappers`` give (at most ``maxPeers`` of each when it is
    /// positive), skipping our own address. Synchronous, unlike py-ipv8's background task.
    open func bootstrap() {
        for bootstrapper in bootstrappers {
            var addresses = bootstrapper.bootstrapAddresses(for: self).filter {
                $0 != endpoint.localAddress && $0 != myEstimatedLAN
            }
            if maxPeers > 0 { addresses = Array(addresses.prefix(maxPeers)) }
            for address in addresses { walkTo(address) }
        }
    }

    /// Called after an introduction request was handled and answered (py-ipv8's
    /// `introduction_request_callback`). Does nothing by default.
    open func didHandleIntroductionRequest(from peer: Peer) {}

    /// Called after an introduction response was handled (py-ipv8's `introduction_response_callback`).
    /// Does nothing by default.
    open func didHandleIntroductionResponse(from peer: Peer) {}

    // MARK: Peers

    /// The verified peers that advertise this community (py-ipv8's `get_peers`).
    public var peers: [Peer] { network.peersForService(communityID) }

    /// The number of ``peers``, in O(1).
    public var peerCount: Int { network.peerCount(forService: communityID) }

    /// The addresses worth walking to for this community (spec §3.6).
    public var walkableAddresses: [Address] { network.walkableAddresses(service: communityID) }

    /// Claims the next Lamport time of ``myPeer`` (py-ipv8's `claim_global_time`): adds one and returns it.
    @discardableResult
    public func claimGlobalTime() -> UInt64 {
        let next = myPeer.lamportTimestamp + 1
        myPeer.updateClock(next, now: clock.now)
        return next
    }

    /// The current Lamport time of ``myPeer``.
    public var globalTime: UInt64 { myPeer.lamportTimestamp }

    // MARK: Receiving

    /// Dispatches one datagram (called by the endpoint on the loop thread).
    public func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
        counters.received += 1
        if let known = network.verifiedPeer(byAddress: source) { known.lastResponse = clock.now }
        guard packet.count > CommunityPrefix.length else {
            counters.malformed += 1
            return
        }
        let id = packet[CommunityPrefix.length]
        let handler = handlers[Int(id)]
        if case .none = handler {
            counters.unknownMessage += 1
            logger.debug("dropping unknown message \(id) from \(source)")
            return
        }
        defer { endpoint.router.verificationGate.finishCharge() }
        do {
            switch handler {
            case .shared(let handle): try handle(self, packet, source)
            case .own(let handle): try handle(packet, source)
            case .none: break
            }
            counters.handled += 1
            counters.countHandled(id)
        } catch let failure as HandlerFailure {
            counters.handlerErrors += 1
            logger.error("handler for message \(id) from \(source) threw: \(failure.underlying); packet dropped")
        } catch is NotVerified {
            // counted by admitAndVerify
        } catch WireError.badSignature {
            counters.badSignature += 1
            logger.debug("dropping message \(id) from \(source): bad signature")
        } catch is DeprecatedMessage {
            // counted and logged by the slot
        } catch {
            counters.malformed += 1
            logger.debug("dropping malformed message \(id) from \(source): \(error)")
        }
    }

    /// Passes `view` through the endpoint's ``VerificationGate`` before anything is decoded; throws when
    /// the gate sheds it or it repeats a datagram verified lately (both counted).
    func admit(_ view: SignedPacketView, from source: Address) throws {
        switch endpoint.router.verificationGate.admit(view, from: source) {
        case .admitted: return
        case .shed:
            counters.shed += 1
            throw NotVerified()
        case .duplicate:
            counters.duplicates += 1
            throw NotVerified()
        }
    }

    /// Verifies an admitted datagram's signature through the gate (which then remembers it).
    func verify(_ view: SignedPacketView) throws {
        guard endpoint.router.verificationGate.verify(view) else { throw WireError.badSignature }
    }

    /// The canonical peer for a verified packet's key, or a fresh unregistered one (py-ipv8's `lazy_wrapper`).
    func sender(of view: SignedPacketView, at source: Address) throws -> Peer {
        if let known = network.verifiedPeer(byPublicKeyBin: Array(view.keyBin)) {
            network.addAddress(source, to: known)
            return known
        }
        return Peer(key: try view.publicKey(), address: source, intro: false, now: clock.now)
    }
}

/// Thrown by deprecated-id slots so that they are not counted as handled.
struct DeprecatedMessage: Error {}

/// A signed datagram the gate did not let through to verification (shed or a repeat).
struct NotVerified: Error {}
