import IPv8Core

/// An endpoint with no network behind it, for protocol tests (swift-nio's `EmbeddedChannel`): what the
/// protocol sends is recorded and read back with ``readOutbound()``; datagrams are injected with
/// ``writeInbound(_:from:)`` and routed by the same `PrefixRouter` rules as the UDP endpoint. Pair it with
/// a ``ManualTimerScheduler`` to move time by hand.
///
/// ```swift
/// let endpoint = EmbeddedEndpoint(at: Address(127, 0, 0, 1, port: 9000))
/// let community = try MyCommunity(context: …endpoint…)
/// endpoint.writeInbound(request, from: peerAddress)
/// let reply = endpoint.readOutbound()
/// ```
///
/// Not thread-safe: use it from the test's thread, like a loop.
public final class EmbeddedEndpoint: Endpoint {
    /// A datagram the protocol sent.
    public struct Datagram: Equatable, Sendable {
        /// The bytes sent.
        public var bytes: [UInt8]
        /// Where they were sent.
        public var destination: Address
        /// The IP time to live asked for (``send(_:to:ttl:)``); `nil`: the system's default.
        public var ttl: UInt8? = nil
    }

    /// The address the endpoint claims to be bound to.
    public let localAddress: Address
    /// Routes injected datagrams to the communities.
    /// Its router; signature checks are unmetered (`VerificationGate/Settings/unmetered`), as CPU time is
    /// not part of the simulation and runs must repeat.
    public let router: PrefixRouter = {
        let router = PrefixRouter()
        router.verificationGate = VerificationGate(settings: .unmetered)
        return router
    }()
    /// Sent datagrams not yet read, oldest first.
    public private(set) var outbound: [Datagram] = []

    /// The address families it claims to serve.
    public let families: AddressFamilies

    /// The machine's own addresses it claims (`Endpoint.interfaceHosts`), for a test of a node bound to an
    /// unspecified address.
    public let interfaceHosts: [Address.Host]

    /// An endpoint that says it is bound to `address` and serves `families` (default: what a socket bound
    /// there serves, so `[::]:p` is dual-stack), on a machine whose own addresses are `interfaceHosts`.
    public init(at address: Address, families: AddressFamilies? = nil, interfaceHosts: [Address.Host] = []) {
        localAddress = address
        self.families = families ?? .served(byBinding: address)
        self.interfaceHosts = interfaceHosts
    }

    public func send(_ bytes: [UInt8], to address: Address) {
        outbound.append(Datagram(bytes: bytes, destination: address))
    }

    public func send(_ bytes: UnsafeRawBufferPointer, to address: Address) {
        outbound.append(Datagram(bytes: Array(bytes), destination: address))
    }

    /// Records the datagram with its `ttl`.
    public func send(_ bytes: [UInt8], to address: Address, ttl: UInt8) {
        outbound.append(Datagram(bytes: bytes, destination: address, ttl: ttl))
    }

    /// Hands `bytes` to the listener of their prefix, as if they had arrived from `source`.
    /// - Returns: whether a listener took them (false: too short or unknown prefix, counted by ``router``).
    @discardableResult
    public func writeInbound(_ bytes: [UInt8], from source: Address) -> Bool {
        bytes.withUnsafeBytes { router.route($0, from: source) }
    }

    /// The oldest sent datagram not yet read, removed from ``outbound``; `nil` when there is none.
    public func readOutbound() -> Datagram? {
        outbound.isEmpty ? nil : outbound.removeFirst()
    }

    /// Forgets every sent datagram.
    public func clearOutbound() {
        outbound.removeAll()
    }
}
