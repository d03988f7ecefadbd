import CSodium

/// The random numbers protocol logic draws from, shared by reference so that a community and its
/// strategies consume one stream.
///
/// Seeded, it is a deterministic SplitMix64 generator (a reproducible run); unseeded, it reads the system
/// generator (libsodium's `randombytes_buf`, the kernel's `getrandom`), read 16 numbers at a time.
/// Loop-confined, like the objects that use it.
public final class RandomSource: RandomNumberGenerator {
    private var state: UInt64
    private let seeded: Bool
    /// Unseeded: system random numbers read ahead, used from `poolNext` on. One `getrandom` call per draw
    /// cost a busy tracker about 1 % of its CPU.
    private var pool: [UInt64] = []
    private var poolNext = 0
    static let systemPoolSize = 16

    /// A source; deterministic when `seed` is given, the system generator otherwise.
    public init(seed: UInt64? = nil) {
        state = seed ?? 0
        seeded = seed != nil
    }

    /// The next 64 random bits.
    public func next() -> UInt64 {
        guard seeded else {
            if poolNext == pool.count {
                Sodium.ensureInitialized()
                if pool.isEmpty { pool = [UInt64](repeating: 0, count: Self.systemPoolSize) }
                pool.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
                poolNext = 0
            }
            defer { poolNext += 1 }
            return pool[poolNext]
        }
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (both ends inclusive).
    public func int(in range: ClosedRange<Int>) -> Int {
        var me = self
        return Int.random(in: range, using: &me)
    }

    /// A uniform `Double` in `0..<1`.
    public func unit() -> Double {
        var me = self
        return Double.random(in: 0..<1, using: &me)
    }

    /// A uniform element of `collection`; `nil` when it is empty.
    public func element<C: Collection>(of collection: C) -> C.Element? {
        var me = self
        return collection.randomElement(using: &me)
    }
}
