/// 32 bytes stored inline (no heap allocation); the raw form of one X25519 or Ed25519 public key.
struct Bytes32: Hashable, Sendable {
    var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Copies the first 32 bytes of `raw` (callers check that there are 32).
    init(unchecked raw: UnsafeRawBufferPointer) {
        Swift.withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[raw.startIndex..<raw.startIndex + 32]))
        }
    }

    init() {}

    /// Calls `body` with a view of the 32 bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Calls `body` with a mutable view of the 32 bytes.
    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &storage, body)
    }

    var array: [UInt8] { withUnsafeBytes { Array($0) } }

    static func == (a: Bytes32, b: Bytes32) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1
            && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}
