import IPv8

extension PrivateKey {
    /// A key derived from `seed` alone: the same seed always gives the same key, on every machine.
    ///
    /// For tests and simulations only — the secret is as guessable as the seed.
    public static func deterministic(seed: UInt64) -> PrivateKey {
        let random = RandomSource(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for _ in 0..<8 {
            let word = random.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        // Both halves are exactly 32 bytes, so the failable initialiser cannot fail.
        return PrivateKey(x25519SecretKey: Array(bytes[0..<32]), ed25519Seed: Array(bytes[32..<64]))!
    }
}
