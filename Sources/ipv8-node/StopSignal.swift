import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT / SIGTERM as a flag the node's loop polls (setting an atomic is async-signal-safe).
enum StopSignal {
    static let requested = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT, stopSignalHandler)
        signal(SIGTERM, stopSignalHandler)
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}

nonisolated func stopSignalHandler(_ signal: Int32) {
    StopSignal.requested.store(true, ordering: .relaxed)
}
