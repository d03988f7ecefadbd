#if canImport(Glibc)
import Glibc
#endif

/// A value behind a `pthread_mutex_t`, for the loop's few cross-thread members.
///
/// The standard library's `Mutex` would do, but on Linux it waits on a futex that ThreadSanitizer does not
/// see, so every access under it is reported as a race; with a pthread mutex TSan sees the ordering and
/// `make sanitize` stays meaningful.
final class PThreadMutex<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only while `mutex` is held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
