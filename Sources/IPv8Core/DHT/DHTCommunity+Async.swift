/// The DHT's operations for async code. Call them from a task that runs on the community's loop: a
/// body registered with the community's ``Community/tasks`` (`register(_:async:)`), whose executor is the
/// loop; like every community method they must not be called from another thread.
extension DHTCommunity {
    /// Stores `data` under `key` (see ``storeValue(_:data:sign:completion:)``); returns the nodes that stored it.
    @discardableResult
    public func storeValue(_ key: [UInt8], data: [UInt8], sign: Bool = false) async throws(DHTError) -> [DHTNode] {
        try await result { storeValue(key, data: data, sign: sign, completion: $0) }.get()
    }

    /// The values stored under `key` (see ``findValues(_:offset:completion:)``).
    public func findValues(_ key: [UInt8], offset: UInt32 = 0) async throws(DHTError) -> [DHTValue] {
        try await result { findValues(key, offset: offset, completion: $0) }.get()
    }

    /// The nodes closest to `key` that answered (see ``findNodes(_:completion:)``).
    public func findNodes(_ key: [UInt8]) async throws(DHTError) -> [DHTNode] {
        try await result { findNodes(key, completion: $0) }.get()
    }

    /// Waits for a completion-based operation. Its result (nodes, which are loop-confined) crosses into
    /// the task in a ``LoopConfinedBox``: the completion runs on the loop and the task resumes there.
    func result<T>(_ start: (@escaping (Result<T, DHTError>) -> Void) -> Void) async -> Result<T, DHTError> {
        await withCheckedContinuation { (continuation: CheckedContinuation<LoopConfinedBox<Result<T, DHTError>>, Never>) in
            start { continuation.resume(returning: LoopConfinedBox(value: $0)) }
        }.value
    }
}

extension DHTDiscoveryCommunity {
    /// Stores us on the nodes closest to our mid (see ``storePeer(completion:)``); returns those that confirmed.
    @discardableResult
    public func storePeer() async throws(DHTError) -> [DHTNode] {
        try await result { storePeer(completion: $0) }.get()
    }

    /// The nodes of the peer with `mid` (see ``connectPeer(_:peer:completion:)``).
    public func connectPeer(_ mid: [UInt8], peer: Peer? = nil) async throws(DHTError) -> [DHTNode] {
        try await result { connectPeer(mid, peer: peer, completion: $0) }.get()
    }
}
