import IPv8

/// An ``Endpoint`` attached to a ``SimulatedNetwork`` (py-ipv8's `MockEndpoint`): sends are queued on the
/// network and delivered later, on ``SimulatedNetwork/deliverMessages(maxRounds:)`` or when its time
/// advances. Nothing touches a socket.
///
/// Loop-confined like every endpoint: use it from the thread that drives the simulation.
public final class SimulatedEndpoint: Endpoint {
    /// The fake address this endpoint is attached at.
    public let localAddress: Address
    /// The network it sends through; weak, the network owns its endpoints.
    public private(set) weak var network: SimulatedNetwork?
    private var listeners: [PacketPrefix: any DatagramListener] = [:]

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

    /// Routes datagrams starting with `prefix` to `listener`.
    /// - Throws: ``SimulatedEndpointError/prefixInUse(_:)`` when another listener has the prefix.
    public func addListener(_ listener: any DatagramListener, prefix: PacketPrefix) throws {
        if let existing = listeners[prefix], existing !== listener {
            throw SimulatedEndpointError.prefixInUse(prefix)
        }
        listeners[prefix] = listener
    }

    /// Stops routing datagrams to `listener`.
    public func removeListener(_ listener: any DatagramListener) {
        // Iteration order does not matter here: every matching entry goes.
        for (prefix, existing) in listeners where existing === listener {
            listeners[prefix] = nil
        }
    }

    /// Hands one datagram to the listener of its prefix; false when there is none.
    func deliver(_ bytes: [UInt8], from source: Address) -> Bool {
        guard bytes.count >= PacketPrefix.length else { return false }
        let prefix = bytes.withUnsafeBytes { PacketPrefix(unsafeBytes: $0.baseAddress!) }
        guard let listener = listeners[prefix] else { return false }
        bytes.withUnsafeBytes { listener.receive($0, from: source) }
        return true
    }
}

/// Why a ``SimulatedEndpoint`` refused a call.
public enum SimulatedEndpointError: Error, Equatable {
    /// Another listener already has this prefix.
    case prefixInUse(PacketPrefix)
}
