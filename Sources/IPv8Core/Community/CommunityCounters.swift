/// What a ``Community`` did with the datagrams routed to it. Read on the loop thread.
public struct CommunityCounters: Sendable, Equatable {
    /// Datagrams routed to the community.
    public var received = 0
    /// Datagrams a handler accepted (decoded, verified where signed, handler returned).
    public var handled = 0
    /// Datagrams shorter than 23 bytes, or whose framing or payload did not decode.
    public var malformed = 0
    /// Signed datagrams whose signature did not verify.
    public var badSignature = 0
    /// Signed datagrams not verified because their source had used its share (``VerificationGate``).
    public var shed = 0
    /// Exact repeats of a signed datagram verified lately, dropped unverified.
    public var duplicates = 0
    /// Puncture requests not acted on: from a stranger beyond the ``ReflectionGuard``'s rate.
    public var punctureRequestsRefused = 0
    /// Puncture requests answered with no puncture because the responders see us at our own address
    /// (``Community/connectionEstimate`` is `public`): we have no NAT mapping to open.
    public var puncturesNotNeeded = 0
    /// Punctures sent unasked to addresses an introduction response named (``Community/puncturesIntroduced``).
    public var puncturesIntroduced = 0
    /// Introduction responses dropped at the peer cap: from a peer not already ours (``Community/maxPeers``).
    public var responsesOverPeerLimit = 0
    /// Introduction requests answered at the peer cap without taking the requester as a peer.
    public var requestsOverPeerLimit = 0
    /// Introduction responses (handled) that introduced nobody.
    public var introductionsEmpty = 0
    /// Introduction responses that introduced an address of a peer we had already.
    public var introductionsOfPeers = 0
    /// Introduction responses that introduced an address we knew (walkable) but had no peer at.
    public var introductionsKnown = 0
    /// Introduction responses that introduced an address new to us.
    public var introductionsNew = 0
    /// Introduction responses whose source WAN address, in the other address family, was discovered
    /// (spec §5.8 interface switching).
    public var interfaceSwitches = 0
    /// Datagrams with a message id nobody handles.
    public var unknownMessage = 0
    /// Datagrams with a deprecated (reserved) message id.
    public var deprecatedMessage = 0
    /// Datagrams whose handler threw.
    public var handlerErrors = 0
    /// Handled datagrams per message id: 256 entries, indexed by id.
    public var handledByID: [Int] {
        get {
            var out = [Int](repeating: 0, count: 256)
            for (id, n) in zip(handledIDs, handledCounts) { out[Int(id)] = n }
            return out
        }
        set {
            handledIDs = []
            handledCounts = []
            for (id, n) in newValue.prefix(256).enumerated() where n != 0 {
                handledIDs.append(UInt8(id))
                handledCounts.append(n)
            }
        }
    }

    /// Handled datagrams of message `id`.
    public func handled(id: UInt8) -> Int {
        handledIDs.firstIndex(of: id).map { handledCounts[$0] } ?? 0
    }

    /// The ids handled so far, ascending, and their counts: a community handles a few kinds of message, so a
    /// 256-entry table (2 KiB per community) would be mostly zeros.
    private var handledIDs: [UInt8] = []
    private var handledCounts: [Int] = []

    /// Counts one handled datagram of message `id`.
    mutating func countHandled(_ id: UInt8) {
        if let i = handledIDs.firstIndex(of: id) {
            handledCounts[i] += 1
            return
        }
        let at = handledIDs.firstIndex { $0 > id } ?? handledIDs.count
        handledIDs.insert(id, at: at)
        handledCounts.insert(1, at: at)
    }

    /// Counters that are all zero.
    public init() {}
}
