import Logging

/// A bootstrap server ("tracker") as py-ipv8's public trackers run it (`scripts/tracker_service.py`):
/// it answers signed introduction requests under **any** community prefix, introduces the requester to a
/// random other peer of the same community (with a puncture request to that peer first), and pings the
/// peers it knows with signed introduction requests, forgetting those that stop answering.
///
/// py-ipv8 nodes use it with the stock `DispersyBootstrapper`, which blacklists its address, so the
/// tracker is never anyone's peer. It signs with its own key (py-ipv8's trackers use a fresh "very-low"
/// EC key; any key works). Memory is bounded per community and in total (``Settings``, `TrackerTable`).
///
/// Sans-IO like the rest of the core: it reads and writes through an ``Endpoint``, takes time from an
/// ``EngineClock`` and timers from a ``TimerScheduler``, so the simulated network drives it in tests and
/// the shell's event loop in `ipv8-node tracker`. Loop-confined.
public final class Tracker: DatagramListener {
    /// The limits and timings the tracker was made with.
    public let settings: Settings
    /// The key the tracker signs with.
    public let key: PrivateKey
    /// The endpoint the tracker receives from and sends through.
    public let endpoint: any Endpoint
    /// Where the tracker takes the time from.
    public let clock: any EngineClock
    /// Where the tracker schedules its churn and ping timeouts.
    public let timers: any TimerScheduler
    /// The random numbers for picking introductions, churn samples and ping identifiers.
    public let random: RandomSource
    /// Where the tracker logs.
    public let logger: Logger
    /// What happened so far.
    public private(set) var counters = Counters()
    package private(set) var table: TrackerTable
    private var lamport: UInt64 = 0
    private var pending: [UInt16: PendingPing] = [:]
    private var churnTimer: (any ScheduledTimer)?

    struct PendingPing {
        let address: Address
        let prefix: CommunityPrefix
        let timer: any ScheduledTimer
    }

    /// A tracker that is not yet listening: call ``start()``.
    public init(key: PrivateKey, endpoint: any Endpoint, clock: any EngineClock, timers: any TimerScheduler,
                random: RandomSource = RandomSource(), settings: Settings = Settings(),
                logger: Logger = Logger(label: "ipv8.tracker", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.key = key
        self.endpoint = endpoint
        self.clock = clock
        self.timers = timers
        self.random = random
        self.settings = settings
        self.logger = logger
        table = TrackerTable(limits: .init(maxPeers: settings.maxPeers, maxCommunities: settings.maxCommunities,
                                           maxPeersPerCommunity: settings.maxPeersPerCommunity,
                                           maxPeersPerHost: settings.maxPeersPerHost))
    }

    /// Takes every datagram of the endpoint (a catch-all listener) and starts churning. Idempotent.
    public func start() {
        endpoint.addCatchAllListener(self)
        guard churnTimer == nil else { return }
        churnTimer = timers.schedule(after: settings.churnInterval, repeating: settings.churnInterval) { [weak self] in
            self?.churn()
        }
    }

    /// Stops listening, churning and waiting for pings. What the tracker remembers is kept.
    public func stop() {
        endpoint.removeListener(self)
        churnTimer?.cancel()
        churnTimer = nil
        for ping in pending.values { ping.timer.cancel() }
        pending.removeAll()
    }

    /// Communities the tracker remembers.
    public var communityCount: Int { table.communityCount }
    /// Peers the tracker remembers.
    public var peerCount: Int { table.peerCount }
    /// The members the tracker remembers for `prefix`'s community.
    public func members(of prefix: CommunityPrefix) -> [Address] { table.communities[prefix]?.elements ?? [] }
    /// Pings waiting for an answer.
    public var pendingPingCount: Int { pending.count }

    // MARK: Receiving

    public func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
        defer { endpoint.router.verificationGate.finishCharge() }
        let id = packet[CommunityPrefix.length]
        switch id {
        case MessageID.introductionRequest, MessageID.newIntroductionRequest:
            handleRequest(packet, from: source, newStyle: id == MessageID.newIntroductionRequest)
        case MessageID.introductionResponse, MessageID.newIntroductionResponse:
            handleResponse(packet, from: source, newStyle: id == MessageID.newIntroductionResponse)
        default:
            counters.ignored &+= 1
        }
    }

    private func handleRequest(_ packet: UnsafeRawBufferPointer, from source: Address, newStyle: Bool) {
        let view: SignedPacketView
        let destination: Address, sourceLAN: Address, identifier: UInt16
        do {
            view = try SignedPacketView(packet)
            if newStyle {
                let p = try view.decodeCore(NewIntroductionRequestPayload.self).payload
                (destination, sourceLAN, identifier) = (p.destinationAddress, p.sourceLANAddress, p.identifier)
            } else {
                let p = try view.decodeCore(IntroductionRequestPayload.self).payload
                (destination, sourceLAN, identifier) = (p.destinationAddress, p.sourceLANAddress, p.identifier)
            }
        } catch {
            counters.malformed &+= 1
            return
        }
        guard gateVerifies(view, from: source) else { return }
        counters.requests &+= 1
        let prefix = view.prefix
        let mid = SHA1Digest.hash(view.keyBin)
        let lan = sourceLAN.isUnspecified || sourceLAN.port == 0 ? source : sourceLAN
        switch table.record(source, mid: mid, lan: lan, newStyle: newStyle, prefix: prefix, now: clock.now) {
        case .stored: break
        case .storedEvicting: counters.forgotten &+= 1
        case .refusedPeerLimit, .refusedCommunityLimit: counters.refused &+= 1
        }
        answer(prefix: prefix, requester: source, ourAddress: destination, identifier: identifier, newStyle: newStyle)
    }

    /// The puncture request to the introduced peer, then the response (py-ipv8's order).
    private func answer(prefix: CommunityPrefix, requester: Address, ourAddress: Address, identifier: UInt16,
                        newStyle: Bool) {
        var introLAN = Address.zero, introWAN = Address.zero, introNewStyle = false
        if let (address, entry) = table.introduction(for: prefix, excluding: requester, using: random),
           newStyle || address.isIPv4 {
            introLAN = entry.lan.isIPv4 || newStyle ? entry.lan : .zero
            introWAN = address
            introNewStyle = entry.newStyle
            counters.introductions &+= 1
            let gt = claimGlobalTime()
            let request: [UInt8]
            if newStyle || !ourAddress.isIPv4 || !requester.isIPv4 {
                request = PacketEncoder.coreUnsigned(
                    NewPunctureRequestPayload(lanWalkerAddress: ourAddress, wanWalkerAddress: requester, identifier: identifier),
                    prefix: prefix, globalTime: gt)
            } else {
                request = PacketEncoder.coreUnsigned(
                    PunctureRequestPayload(lanWalkerAddress: ourAddress, wanWalkerAddress: requester, identifier: identifier),
                    prefix: prefix, globalTime: gt)
            }
            endpoint.send(request, to: address)
        }
        let (lan, wan) = ownAddresses(seenAs: ourAddress)
        let gt = UInt64(UInt16(truncatingIfNeeded: claimGlobalTime()))
        let response: [UInt8]
        if newStyle {
            response = PacketEncoder.coreSigned(
                NewIntroductionResponsePayload(destinationAddress: requester, sourceLANAddress: lan, sourceWANAddress: wan,
                                               lanIntroductionAddress: introLAN, wanIntroductionAddress: introWAN,
                                               identifier: identifier, introSupportsNewStyle: introNewStyle),
                prefix: prefix, globalTime: gt, key: key)
        } else {
            response = PacketEncoder.coreSigned(
                IntroductionResponsePayload(destinationAddress: requester, sourceLANAddress: lan, sourceWANAddress: wan,
                                            lanIntroductionAddress: introLAN, wanIntroductionAddress: introWAN,
                                            identifier: identifier, introSupportsNewStyle: introNewStyle),
                prefix: prefix, globalTime: gt, key: key)
        }
        endpoint.send(response, to: requester)
    }

    private func handleResponse(_ packet: UnsafeRawBufferPointer, from source: Address, newStyle: Bool) {
        let view: SignedPacketView
        let identifier: UInt16, limitReached: Bool
        do {
            view = try SignedPacketView(packet)
            if newStyle {
                identifier = try view.decodeCore(NewIntroductionResponsePayload.self).payload.identifier
                limitReached = false
            } else {
                let p = try view.decodeCore(IntroductionResponsePayload.self).payload
                (identifier, limitReached) = (p.identifier, p.peerLimitReached)
            }
        } catch {
            counters.malformed &+= 1
            return
        }
        // Only answers to our own pings matter; anything else is ignored before any signature work.
        guard let ping = pending[identifier], ping.address == source else {
            counters.ignored &+= 1
            return
        }
        guard SHA1Digest.hash(view.keyBin) == table.peers[source]?.mid else {   // the pinged peer's own key
            counters.ignored &+= 1
            return
        }
        guard gateVerifies(view, from: source) else { return }
        pending[identifier] = nil
        ping.timer.cancel()
        counters.pongs &+= 1
        table.touch(source, now: clock.now)
        if limitReached { table.dropService(view.prefix, from: source) }
    }

    // MARK: Churn (py-ipv8's RandomChurn as TrackerChurn uses it)

    /// One churn round: of a random sample, forget peers pinged and silent past ``Settings/dropTime``;
    /// ping the others unless pinged within ``Settings/pingInterval``.
    public func churn() {
        let now = clock.now
        let dropTime = settings.dropTime.seconds, pingInterval = settings.pingInterval.seconds
        for address in table.addresses.sample(settings.sampleSize, using: random) {
            guard let entry = table.peers[address] else { continue }
            if now > entry.lastResponse + dropTime, entry.pingedAt != nil {
                table.remove(address)
                counters.forgotten &+= 1
                for (identifier, ping) in pending where ping.address == address {
                    ping.timer.cancel()
                    pending[identifier] = nil
                }
            } else if entry.pingedAt.map({ now > $0 + pingInterval }) ?? true {
                table.markPinged(address, at: now)
                ping(address, entry)
            }
        }
    }

    private func ping(_ address: Address, _ entry: TrackerTable.Entry) {
        guard let prefix = random.element(of: entry.services) else { return }
        // A random identifier no pending ping has (not the Lamport time, which requests move and anyone can guess).
        var identifier = UInt16(truncatingIfNeeded: random.next())
        while pending[identifier] != nil { identifier &+= 1 }
        _ = claimGlobalTime()
        let (lan, wan) = ownAddresses(seenAs: .zero)
        let packet: [UInt8]
        if entry.newStyle || !address.isIPv4 {
            packet = PacketEncoder.coreSigned(
                NewIntroductionRequestPayload(destinationAddress: address, sourceLANAddress: lan, sourceWANAddress: wan,
                                              identifier: identifier),
                prefix: prefix, globalTime: UInt64(identifier), key: key)
        } else {
            packet = PacketEncoder.coreSigned(
                IntroductionRequestPayload(destinationAddress: address, sourceLANAddress: lan, sourceWANAddress: wan,
                                           identifier: identifier, supportsNewStyle: false),
                prefix: prefix, globalTime: UInt64(identifier), key: key)
        }
        pending[identifier]?.timer.cancel()
        let timer = timers.schedule(after: settings.pingTimeout) { [weak self] in
            self?.pingTimedOut(identifier)
        }
        pending[identifier] = PendingPing(address: address, prefix: prefix, timer: timer)
        counters.pings &+= 1
        endpoint.send(packet, to: address)
    }

    /// py-ipv8's `TrackerPing.on_timeout`: the peer leaves the pinged community (and the table when that
    /// was its last one).
    private func pingTimedOut(_ identifier: UInt16) {
        guard let ping = pending.removeValue(forKey: identifier) else { return }
        counters.pingTimeouts &+= 1
        table.dropService(ping.prefix, from: ping.address)
        if table.peers[ping.address] == nil { counters.forgotten &+= 1 }
    }

    // MARK: Helpers

    /// The endpoint's ``VerificationGate`` decides; counts what it refused.
    private func gateVerifies(_ view: SignedPacketView, from source: Address) -> Bool {
        switch endpoint.router.verificationGate.check(view, from: source) {
        case .valid: return true
        case .invalid: counters.badSignature &+= 1
        case .shed: counters.shed &+= 1
        case .duplicate: counters.duplicates &+= 1
        }
        return false
    }

    private func claimGlobalTime() -> UInt64 {
        lamport &+= 1
        return lamport
    }

    /// Our LAN address (the bound one, or how the requester saw us when bound to a wildcard) and our WAN
    /// address (how the requester saw us).
    private func ownAddresses(seenAs seen: Address) -> (lan: Address, wan: Address) {
        let bound = endpoint.localAddress
        let lan = bound.isUnspecified ? seen : bound
        let wan = seen.isUnspecified || seen.port == 0 ? bound : seen
        return (lan, wan)
    }
}

@available(*, unavailable)
extension Tracker: Sendable {}
