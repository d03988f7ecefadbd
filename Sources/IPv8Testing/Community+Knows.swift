import IPv8Core

extension Community {
    /// Whether the node behind `other` (its `Community/myPeer` identity) is a peer of this community:
    /// the condition most discovery tests wait for.
    public func knows(_ other: Community) -> Bool {
        knows(mid: other.myPeer.mid)
    }

    /// Whether the peer with member id `mid` is a peer of this community.
    public func knows(mid: [UInt8]) -> Bool {
        peers.contains { $0.mid == mid }
    }
}
