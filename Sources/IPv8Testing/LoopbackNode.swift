import IPv8

/// One node of a ``LoopbackSwarm``: an `IPv8Service` bound to 127.0.0.1 and one community of the user's
/// type.
public final class LoopbackNode<C: Community> {
    /// The node's service (socket, peer table, scheduler).
    public let service: IPv8Service
    /// The node's community.
    public let community: C

    init(service: IPv8Service, community: C) {
        self.service = service
        self.community = community
    }

    /// The node's real address (127.0.0.1 and the port the system gave).
    public var address: Address { service.endpoint.localAddress }

    /// Whether `other` is a verified peer of this node's community.
    public func knows<D: Community>(_ other: LoopbackNode<D>) -> Bool {
        community.knows(other.community)
    }
}
