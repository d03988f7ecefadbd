import CSodium

/// libsodium initialisation, done once per process.
enum Sodium {
    /// Runs `sodium_init()` on first access. Swift's lazy `static let` is thread-safe and runs once.
    private static let initialized: Bool = sodium_init() >= 0

    /// Makes sure libsodium is initialised; traps only if libsodium itself cannot start (no usable
    /// random source), in which case no key can be made safely.
    @inline(__always)
    static func ensureInitialized() {
        precondition(initialized, "sodium_init() failed: libsodium cannot be used")
    }
}
