/// A remote node: a public key plus what we know about it (addresses per class, liveness, clock, RTT).
///
/// `Peer` is a class because identity matters: the ``Network`` hands out one canonical object per public key,
/// and code that holds it sees address updates merged into it. Equality, however, is by public key bin only
/// (the addresses are ignored), and the hash is the first 8 bytes of the mid as a big-endian `UInt64`,
/// like py-ipv8.
///
/// Loop-confined: like everything in the engine, a `Peer` is touched only on the loop thread, so it is
/// deliberately not `Sendable`.
public final class Peer: Hashable, CustomStringConvertible {
    /// The maximum number of RTT samples kept in ``pings``.
    public static let maxPings = 5

    /// The peer's public key, rebuilt on each call from the key bin for a curve25519 key (two 32-byte copies).
    public var key: PublicKey {
        if let ec = identity.ec { return PublicKey(ec: ec) }
        return identity.bin.bytes.withUnsafeBytes { PublicKey(curve25519Bin: $0) }
    }
    /// The key bin, the mid and the parsed EC key, shared by every peer object with this key in the process
    /// (``PeerIdentity/interned(_:)``): a peer object stores one reference instead of a copy of each.
    package let identity: PeerIdentity
    /// `key.bin` as a fast dictionary key.
    package var keyBin: ByteKey { identity.bin }
    /// The mid, computed once per key.
    package var midKey: MidKey { identity.mid }
    /// The first 8 bytes of the mid as a big-endian integer (py-ipv8's `__hash__`).
    public var midPrefix: UInt64 { identity.mid.high }

    /// One address per address class. Change it through ``Network/addAddress(_:kind:to:)`` and
    /// ``Network/removeAddress(kind:from:)``, which keep the network's address index exact.
    public var addresses: [AddressKind: Address] {
        var out: [AddressKind: Address] = [:]
        for kind in AddressKind.allCases { out[kind] = slots[kind] }
        return out
    }
    /// The addresses, one slot per class: no hashing on the hot paths (``address`` is read for every peer an
    /// introduction considers) and no dictionary storage per peer.
    private var slots = AddressSlots()

    /// This peer's address of class `kind`, if it has one (``addresses`` without building a dictionary).
    public func address(of kind: AddressKind) -> Address? { slots[kind] }
    /// The address given to the initialiser; the preferred address falls back to it.
    public let initialAddress: Address?
    // The two flags are declared here, right after the last (20-byte) address, so that they fill its 4 bytes of
    // padding (Swift lays stored properties out in declaration order): a peer object then fits in 160 bytes of heap.
    /// While true, address changes (``Network/addAddress(_:kind:to:)``, ``Network/removeAddress(kind:from:)``)
    /// do nothing.
    /// (A Network merging a newer copy of this peer still updates the addresses, like py-ipv8's `dict.update`.)
    public var addressFrozen = false
    /// True once the peer showed that it supports new-style introductions (spec §5.6, §5.8).
    public var newStyleIntro = false

    /// When the peer object was created (the `now` given to the initialiser).
    public let creationTime: Double
    /// When we last heard from the peer: 0 for a peer that was introduced to us and never answered.
    public var lastResponse: Double
    /// The Lamport clock: the highest global time seen from this peer. Never decreases.
    public private(set) var lamportTimestamp: UInt64 = 0
    /// The last ``maxPings`` round-trip-time samples in seconds, oldest first.
    public private(set) var pings: [Double] = []

    /// Creates a peer.
    /// - Parameters:
    ///   - key: the public key.
    ///   - address: an initial address, stored under `kind`.
    ///   - kind: the class `address` is stored under; nil: ``AddressKind/default(for:)``.
    ///   - intro: true (the default) when the peer was introduced to us: ``lastResponse`` starts at 0.
    ///     False when it contacted us: ``lastResponse`` starts at `now`.
    ///   - now: the current time in seconds (the caller's clock); becomes ``creationTime``.
    public init(key: PublicKey, address: Address? = nil, kind: AddressKind? = nil, intro: Bool = true, now: Double = 0) {
        self.identity = PeerIdentity.interned(key)
        self.initialAddress = address
        if let address {
            slots[kind ?? .default(for: address)] = address
        }
        self.creationTime = now
        self.lastResponse = intro ? 0 : now
    }

    /// The 20-byte mid (SHA-1 of the public key bin).
    public var mid: [UInt8] { midKey.bytes }

    /// The public key bin, which defines the peer's identity.
    public var publicKeyBin: [UInt8] { key.bin }

    /// The preferred address: IPv6 if known, else IPv4, else the initial address, else `0.0.0.0:0`.
    /// A LAN address is never preferred (unless it was the initial address and nothing better is known).
    /// Setting it (internal) is ``Network/addAddress(_:kind:to:)`` with the default kind for the host.
    public internal(set) var address: Address {
        get { slots.ipv6 ?? slots.ipv4 ?? initialAddress ?? .zero }
        set { addAddress(newValue) }
    }

    /// The addresses in a fixed order (IPv6, IPv4, IPv4 LAN): never a dictionary's random order.
    public var addressList: [Address] {
        AddressKind.iterationOrder.compactMap { slots[$0] }
    }

    /// ``addressList`` without repeats (the same address may be stored under two classes).
    package var distinctAddresses: [Address] {
        var out: [Address] = []
        for address in addressList where !out.contains(address) { out.append(address) }
        return out
    }

    /// Records `address` as this peer's address of class `kind` (default: by host), replacing the previous
    /// one of that class. Does nothing while ``addressFrozen`` is true. Internal: the public way is
    /// ``Network/addAddress(_:kind:to:)``, which keeps the network's address index exact.
    func addAddress(_ address: Address, kind: AddressKind? = nil) {
        guard !addressFrozen else { return }
        slots[kind ?? .default(for: address)] = address
    }

    /// Forgets this peer's address of class `kind`. Does nothing while ``addressFrozen`` is true. Internal:
    /// see ``Network/removeAddress(kind:from:)``.
    func removeAddress(kind: AddressKind) {
        guard !addressFrozen else { return }
        slots[kind] = nil
    }

    /// Merges `other` into the addresses, class by class (py-ipv8's `addresses.update`); ignores the freeze.
    func mergeAddresses(_ other: [AddressKind: Address]) {
        for (kind, address) in other { slots[kind] = address }
    }

    /// Raises the Lamport clock to `timestamp` if it is higher (it never decreases) and sets
    /// ``lastResponse`` to `now`.
    public func updateClock(_ timestamp: UInt64, now: Double) {
        lamportTimestamp = max(lamportTimestamp, timestamp)
        lastResponse = now
    }

    /// Adds an RTT sample (seconds), dropping the oldest beyond ``maxPings``.
    public func addPing(_ rtt: Double) {
        pings.append(rtt)
        if pings.count > Peer.maxPings { pings.removeFirst(pings.count - Peer.maxPings) }
    }

    /// The median RTT sample (the mean of the two middle samples for an even count); `nil` without samples.
    public var medianPing: Double? {
        guard !pings.isEmpty else { return nil }
        let sorted = pings.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid]
    }

    /// The mean RTT sample; `nil` without samples.
    public var averagePing: Double? {
        guard !pings.isEmpty else { return nil }
        return pings.reduce(0, +) / Double(pings.count)
    }

    /// `Peer<ip:port, base64(mid)>`, like py-ipv8.
    public var description: String {
        let a = address
        return "Peer<\(a.ip):\(a.port), \(Base64.encode(mid))>"
    }

    /// Same public key bin.
    public static func == (lhs: Peer, rhs: Peer) -> Bool {
        lhs === rhs || lhs.identity === rhs.identity || lhs.keyBin == rhs.keyBin
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(midPrefix)
    }
}

/// A peer's addresses, one optional slot per ``AddressKind``.
private struct AddressSlots {
    var ipv4: Address?
    var ipv4LAN: Address?
    var ipv6: Address?

    subscript(kind: AddressKind) -> Address? {
        get {
            switch kind {
            case .ipv4: ipv4
            case .ipv4LAN: ipv4LAN
            case .ipv6: ipv6
            }
        }
        set {
            switch kind {
            case .ipv4: ipv4 = newValue
            case .ipv4LAN: ipv4LAN = newValue
            case .ipv6: ipv6 = newValue
            }
        }
    }
}
