/// What protocol logic (communities, strategies) sends through and registers its listeners on.
///
/// The libuv ``UDPEndpoint`` is one implementation; a simulated network is another. Implementations are
/// loop-confined: every call happens on the thread that owns the engine.
public protocol Endpoint: AnyObject {
    /// The address the endpoint is bound to (with the real port when port 0 was asked for).
    var localAddress: Address { get }
    /// Sends one datagram. Never throws: send failures are counted by the endpoint.
    func send(_ bytes: [UInt8], to address: Address)
    /// Sends one datagram from a borrowed buffer (valid only for the call).
    func send(_ bytes: UnsafeRawBufferPointer, to address: Address)
    /// Routes every datagram starting with `prefix` to `listener`. One listener per prefix.
    /// - Throws: when another listener already has the prefix.
    func addListener(_ listener: any DatagramListener, prefix: PacketPrefix) throws
    /// Stops routing datagrams to `listener`.
    func removeListener(_ listener: any DatagramListener)
}

extension UDPEndpoint: Endpoint {}
