/// What a ``SimulatedNetwork`` did with the datagrams handed to it.
///
/// Every send ends in exactly one bucket once delivered or dropped:
/// `sent == delivered + randomlyDropped + partitionDropped + unknownDestination + noListener + pending`.
public struct SimulatedNetworkCounters: Equatable, Sendable {
    /// Datagrams handed to the network by any endpoint.
    public var sent = 0
    /// Datagrams handed to a listener of the destination.
    public var delivered = 0
    /// Datagrams lost to ``SimulatedNetwork/dropProbability``.
    public var randomlyDropped = 0
    /// Datagrams lost because a partition separates source and destination.
    public var partitionDropped = 0
    /// Datagrams to an address no endpoint is attached at (py-ipv8's MockEndpoint silently loses these too).
    public var unknownDestination = 0
    /// Datagrams that reached an endpoint without a listener for their 22-byte prefix (or shorter than it).
    public var noListener = 0

    /// Counters all at zero.
    public init() {}

    /// Every datagram lost, for whatever reason.
    public var dropped: Int { randomlyDropped + partitionDropped + unknownDestination + noListener }
}
