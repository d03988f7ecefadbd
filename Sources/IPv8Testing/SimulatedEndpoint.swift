import IPv8Core

/// An `Endpoint` attached to a ``SimulatedNetwork`` (py-ipv8's `MockEndpoint`): sends are queued on the
/// network and delivered later, on ``SimulatedNetwork/deliverMessages(maxRounds:)`` or when its time
/// advances. Nothing touches a socket.
///
/// Loop-confined like every endpoint: use it from the thread that drives the simulation.
public final class SimulatedEndpoint: Endpoint {
    /// The fake address this endpoint is attached at.
    public let localAddress: Address
    /// The network it sends through; weak, the network owns its endpoints.
    public private(set) weak var network: SimulatedNetwork?
    /// Routes delivered datagrams to the communities, by the same rules as the UDP endpoint.
    /// Its router; signature checks are unmetered (`VerificationGate/Settings/unmetered`), as CPU time is
    /// not part of the simulation and runs must repeat.
    public let router: PrefixRouter = {
        let router = PrefixRouter()
        router.verificationGate = VerificationGate(settings: .unmetered)
        return router
    }()

    init(address: Address, network: SimulatedNetwork) {
        localAddress = address
        self.network = network
    }

    /// Queues `bytes` for `address`.
    public func send(_ bytes: [UInt8], to address: Address) {
        network?.enqueue(bytes, from: localAddress, to: address)
    }

    /// Queues a copy of `bytes` for `address`.
    public func send(_ bytes: UnsafeRawBufferPointer, to address: Address) {
        network?.enqueue(Array(bytes), from: localAddress, to: address)
    }

    /// Hands one datagram to the router; false when no listener took it.
    func deliver(_ bytes: [UInt8], from source: Address) -> Bool {
        bytes.withUnsafeBytes { router.route($0, from: source) }
    }
}
