// The protocol objects live on one loop thread and are never shared across threads: say so to the
// compiler, so that handing one to another isolation domain is a compile error rather than a data race.
// To reach one from another thread, go through the loop (`EventLoop.execute`) holding a `LoopBound` box.

@available(*, unavailable, message: "a Community is confined to its loop thread")
extension Community: Sendable {}

@available(*, unavailable, message: "a Network is confined to its loop thread")
extension Network: Sendable {}

@available(*, unavailable, message: "a Peer is confined to its loop thread")
extension Peer: Sendable {}

@available(*, unavailable, message: "a DiscoveryStrategy is confined to its loop thread")
extension DiscoveryStrategy: Sendable {}
