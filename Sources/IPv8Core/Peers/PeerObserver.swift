/// Receives a ``Network``'s verified-peer additions and removals (py-ipv8's `PeerObserver`).
///
/// Callbacks run on the loop thread, after the Network's state is consistent, so an observer may query or
/// mutate the Network from inside them.
public protocol PeerObserver: AnyObject {
    /// `peer` (the canonical object) just became a verified peer.
    func onPeerAdded(_ peer: Peer)
    /// `peer` (the canonical object) just stopped being a verified peer.
    func onPeerRemoved(_ peer: Peer)
}

/// A weak reference to an observer.
package struct WeakPeerObserver {
    package weak var observer: (any PeerObserver)?
}

/// A weak reference to a local overlay registered as a service provider.
package struct WeakServiceProvider {
    package weak var overlay: AnyObject?
}
