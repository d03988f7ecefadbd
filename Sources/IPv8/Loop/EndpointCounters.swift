import IPv8Core
/// What a `UDPEndpoint` has seen and done since it was opened (the drops come from its `PrefixRouter`).
public struct EndpointCounters: Sendable, Equatable {
    /// Datagrams received (every one, dropped or not).
    public var packetsIn: UInt64 = 0
    /// Bytes received.
    public var bytesIn: UInt64 = 0
    /// Datagrams handed to the kernel (sent at once or from the queue).
    public var packetsOut: UInt64 = 0
    /// Bytes handed to the kernel.
    public var bytesOut: UInt64 = 0
    /// Datagrams whose prefix no listener registered and that no catch-all listener took.
    public var droppedUnknownPrefix: UInt64 = 0
    /// Datagrams shorter than 23 bytes (a prefix and a message id).
    public var droppedTooShort: UInt64 = 0
    /// Sends the kernel or libuv refused (unreachable, wrong family, closed socket …).
    public var sendErrors: UInt64 = 0
    /// Sends refused because the address is off loopback while `sendsOnlyToLoopback` is set.
    public var sendsRefusedOffLoopback: UInt64 = 0
    /// Low-TTL datagrams (punctures) dropped because the socket could not send them at once.
    public var lowTTLSendsDropped: UInt64 = 0
    /// Receive errors reported by libuv.
    public var receiveErrors: UInt64 = 0
    /// Sends that could not go out at once and were queued with a copy of their bytes.
    public var queuedSends: UInt64 = 0
    /// Datagrams sent from inside a receive batch and handed to the kernel together, with one `sendmmsg`
    /// when the batch ended (also counted in ``packetsOut``).
    public var batchedSends: UInt64 = 0

    /// Creates counters that are all zero.
    public init() {}
}
