/// The one 22-byte demultiplexer: hands each datagram to the listener registered for its
/// ``CommunityPrefix``, and to every catch-all listener.
///
/// Both shells feed it — the libuv `UDPEndpoint` and the test kit's simulated and embedded endpoints —
/// so one rule holds everywhere: a datagram needs at least 23 bytes (a prefix and a message id) to be
/// routed; shorter ones are counted in ``Counters/droppedTooShort``, ones nobody listens for in
/// ``Counters/droppedUnknownPrefix``.
///
/// The router allocates nothing per datagram: the lookup key is read in place, listeners are called
/// through unmanaged references (the router keeps them alive while they are registered), and its state
/// sits behind a pointer so that the per-datagram path pays no exclusivity checks. A listener may add or
/// remove listeners while it is being called; the change applies from the next datagram on.
///
/// Loop-confined, like every endpoint: use it on the thread that owns the engine.
public final class PrefixRouter {
    /// What the router dropped and delivered.
    public struct Counters: Sendable, Equatable {
        /// Datagrams handed to at least one listener.
        public var routed: UInt64 = 0
        /// Datagrams shorter than 23 bytes.
        public var droppedTooShort: UInt64 = 0
        /// Datagrams whose prefix no listener registered and that no catch-all listener took.
        public var droppedUnknownPrefix: UInt64 = 0

        /// Counters that are all zero.
        public init() {}
    }

    /// The least length of a routed datagram: a prefix and a message id.
    public static let minimumLength = CommunityPrefix.length + 1

    @usableFromInline
    struct State {
        @usableFromInline var counters = Counters()
        @usableFromInline var listeners: [CommunityPrefix: ListenerSlot] = [:]
        @usableFromInline var catchAll: [ListenerSlot] = []
        /// The boxes of the registered listeners (a node has a few: a list, not a dictionary).
        var retained: [ListenerBox] = []
    }

    @usableFromInline let state: UnsafeMutablePointer<State> = .allocate(capacity: 1)

    /// Which signed datagrams get verified, shared by every listener of this router (one node's
    /// communities): fair shares per source under overload, repeats dropped. A gate set here keeps the
    /// endpoint's ``VerificationGate/backlogProbe`` unless it brings its own.
    public var verificationGate = VerificationGate() {
        didSet { verificationGate.backlogProbe = verificationGate.backlogProbe ?? oldValue.backlogProbe }
    }

    /// An empty router.
    public init() {
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// What happened so far.
    public var counters: Counters { state.pointee.counters }

    /// Routes every datagram starting with `prefix` to `listener`. One listener per prefix; registering
    /// the same listener again does nothing.
    /// - Throws: ``EndpointError/prefixInUse(_:)`` when another listener has the prefix.
    public func addListener(_ listener: any DatagramListener, prefix: CommunityPrefix) throws {
        if let existing = state.pointee.listeners[prefix], existing.listener !== listener {
            throw EndpointError.prefixInUse(prefix)
        }
        state.pointee.listeners[prefix] = ListenerSlot(box: .passUnretained(box(for: listener)))
    }

    /// Hands `listener` every routable datagram, whatever its prefix (a sniffer or a tracker). Idempotent.
    public func addCatchAllListener(_ listener: any DatagramListener) {
        guard !state.pointee.catchAll.contains(where: { $0.listener === listener }) else { return }
        state.pointee.catchAll.append(ListenerSlot(box: .passUnretained(box(for: listener))))
    }

    /// Removes `listener` from every prefix and from the catch-all list.
    public func removeListener(_ listener: any DatagramListener) {
        for (prefix, slot) in state.pointee.listeners where slot.listener === listener {
            state.pointee.listeners[prefix] = nil
        }
        state.pointee.catchAll.removeAll { $0.listener === listener }
        state.pointee.retained.removeAll { $0.listener === listener }
    }

    /// Removes every listener.
    public func removeAll() {
        state.pointee.listeners.removeAll()
        state.pointee.catchAll.removeAll()
        state.pointee.retained.removeAll()
    }

    /// Whether some listener has `prefix`.
    public func hasListener(for prefix: CommunityPrefix) -> Bool {
        state.pointee.listeners[prefix] != nil
    }

    private func box(for listener: any DatagramListener) -> ListenerBox {
        if let box = state.pointee.retained.first(where: { $0.listener === listener }) { return box }
        let box = ListenerBox(listener)
        state.pointee.retained.append(box)
        return box
    }

    /// Hands `packet` (valid for the call only) to the listener of its prefix and to every catch-all
    /// listener. - Returns: whether any listener got it.
    @inlinable
    @discardableResult
    public func route(_ packet: UnsafeRawBufferPointer, from source: Address) -> Bool {
        guard packet.count >= Self.minimumLength, let base = packet.baseAddress else {
            state.pointee.counters.droppedTooShort &+= 1
            return false
        }
        let slot = state.pointee.listeners[CommunityPrefix(unsafeBytes: base)]
        if state.pointee.catchAll.isEmpty {
            guard let slot else {
                state.pointee.counters.droppedUnknownPrefix &+= 1
                return false
            }
            state.pointee.counters.routed &+= 1
            slot.deliver(packet, from: source)
            return true
        }
        state.pointee.counters.routed &+= 1
        slot?.deliver(packet, from: source)
        let others = state.pointee.catchAll
        for other in others where other.box.toOpaque() != slot?.box.toOpaque() {
            other.deliver(packet, from: source)
        }
        return true
    }
}

/// Owns one listener for the router.
@usableFromInline
final class ListenerBox {
    @usableFromInline let listener: any DatagramListener
    init(_ listener: any DatagramListener) { self.listener = listener }
}

/// A listener reference the router can call without a retain/release pair: the box is owned by the
/// router's `retained` table for as long as the slot is registered.
@usableFromInline
struct ListenerSlot {
    @usableFromInline let box: Unmanaged<ListenerBox>

    var listener: any DatagramListener { box.takeUnretainedValue().listener }

    @inlinable @inline(__always)
    func deliver(_ packet: UnsafeRawBufferPointer, from source: Address) {
        box._withUnsafeGuaranteedRef { $0.listener.receive(packet, from: source) }
    }
}

@available(*, unavailable)
extension PrefixRouter: Sendable {}
