import Synchronization

/// The EC public keys parsed lately, by key bin, so that a peer's packets pay the DER parse (and the
/// on-curve check libcrypto does with it) once rather than per packet. Bounded: when full, the oldest
/// entry gives way. Shared by all loops (a mutex; its cost is nothing beside one ECDSA verification).
enum ECPublicKeyCache {
    /// Entries kept.
    static let capacity = 1_024

    private struct State: ~Copyable {
        var keys: [[UInt8]: ECPublicKey] = [:]
        var order: [[UInt8]] = []
        var next = 0
    }

    private static let state = Mutex(State())

    /// The parsed key for `bin`, from the cache or parsed now (and then cached).
    static func key(for bin: UnsafeRawBufferPointer) throws(KeyError) -> ECPublicKey {
        let bytes = Array(bin)
        if let cached = state.withLock({ $0.keys[bytes] }) { return cached }
        let key = try ECPublicKey(bin: bytes)
        state.withLock { state in
            guard state.keys[bytes] == nil else { return }
            if state.order.count < capacity {
                state.order.append(bytes)
            } else {
                state.keys[state.order[state.next]] = nil
                state.order[state.next] = bytes
                state.next = (state.next + 1) % capacity
            }
            state.keys[bytes] = key
        }
        return key
    }
}
