import Logging

/// State kept while waiting for an answer (py-ipv8's `NumberCache`): found again by its ``prefix`` and
/// ``number`` (typically the identifier echoed in the answer), and timed out after ``timeoutDelay``.
///
/// Subclass it, name the kind of cache with ``name`` (py-ipv8's `NumberCacheWithName.name`) and override
/// ``onTimeout()``:
/// ```swift
/// final class PendingRequest: NumberCache {
///     override class var name: String { "my-request" }
///     override var timeoutDelay: Duration { .seconds(3) }
///     let value: UInt32
///     init(number: UInt64, value: UInt32) { self.value = value; super.init(number: number) }
///     override func onTimeout() { print("no answer") }
/// }
/// ```
open class NumberCache {
    /// The kind of cache; the prefix of caches made with ``init(number:)``. Default: the class name.
    open class var name: String { String(describing: self) }

    /// The kind of this cache.
    public let prefix: String
    /// The number that tells it from the other caches of its kind.
    public let number: UInt64
    fileprivate var timer: (any ScheduledTimer)?
    fileprivate var observers: [(Outcome) -> Void] = []
    /// How the cache left its request cache; `nil` while it is pending (or was never added).
    public private(set) var outcome: Outcome?

    /// How a cache left its ``RequestCache``.
    public enum Outcome: Equatable, Sendable {
        /// Taken with ``RequestCache/pop(_:_:)`` (its answer came).
        case popped
        /// Its ``timeoutDelay`` passed (after ``onTimeout()`` ran).
        case timedOut
        /// Dropped by ``RequestCache/clear()`` or ``RequestCache/shutdown()``.
        case cleared
    }

    /// A cache of kind `type(of: self).name` with `number`.
    public init(number: UInt64) {
        self.prefix = Self.name
        self.number = number
    }

    /// A cache with an explicit `prefix`.
    public init(prefix: String, number: UInt64) {
        self.prefix = prefix
        self.number = number
    }

    /// How long the cache waits before it times out. Default 10 s (py-ipv8's).
    open var timeoutDelay: Duration { .seconds(10) }

    /// Called once when ``timeoutDelay`` passes before the cache is popped. Does nothing by default.
    open func onTimeout() {}

    /// Calls `observer` once, when the cache leaves its request cache, with how it left: the way to wait
    /// for a cache's result.
    public func whenFinished(_ observer: @escaping (Outcome) -> Void) {
        if let outcome { return observer(outcome) }   // already finished: at once
        observers.append(observer)
    }

    /// Waits, in an async task body (``TaskManager/register(_:delay:interval:async:)``, which runs on the
    /// loop), until the cache leaves its request cache, and says how.
    public func finished() async -> Outcome {
        await withCheckedContinuation { continuation in
            whenFinished { continuation.resume(returning: $0) }
        }
    }

    fileprivate func finish(_ outcome: Outcome) {
        self.outcome = outcome
        timer?.cancel()
        timer = nil
        let pending = observers
        observers.removeAll()
        for observer in pending { observer(outcome) }
    }
}

/// The caches a community waits on (py-ipv8's `RequestCache`), keyed by prefix and number, each timing
/// out on the ``TimerScheduler`` it was made with (so simulated time drives timeouts in tests).
/// Every ``Community`` has one (``Community/requestCache``), cleared when it unloads. Loop-confined.
public final class RequestCache {
    /// Adding a cache whose prefix and number are taken, or adding after ``shutdown()``.
    public enum CacheError: Error, Equatable, CustomStringConvertible {
        /// A cache with this prefix and number is already pending.
        case duplicate(prefix: String, number: UInt64)
        /// The request cache was shut down, so the cache with this prefix and number was not added.
        case shutDown(prefix: String, number: UInt64)

        public var description: String {
            switch self {
            case let .duplicate(prefix, number): return "a cache \(prefix):\(number) is already pending"
            case let .shutDown(prefix, number): return "not adding cache \(prefix):\(number): the request cache is shut down"
            }
        }
    }

    private struct Key: Hashable {
        let prefix: String
        let number: UInt64
    }

    private let timers: any TimerScheduler
    private let logger: Logger
    private let random = RandomSource()
    private var caches: [Key: NumberCache] = [:]
    /// Waiting for a cache to be added; called with `nil` when the request cache is cleared first.
    private var waiters: [Key: [(NumberCache?) -> Void]] = [:]
    private var isShutDown = false
    private var passingThrough = 0

    /// A request cache whose timeouts `timers` runs.
    public init(timers: any TimerScheduler,
                logger: Logger = Logger(label: "ipv8.requestcache", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.timers = timers
        self.logger = logger
    }

    /// Caches pending.
    public var count: Int { caches.count }

    /// Adds `cache`; it times out after its ``NumberCache/timeoutDelay`` unless popped first.
    /// - Throws: ``CacheError/duplicate(prefix:number:)`` when one with its prefix and number is pending
    ///   (a replayed request), ``CacheError/shutDown(prefix:number:)`` after ``shutdown()``.
    @discardableResult
    public func add<C: NumberCache>(_ cache: C) throws(CacheError) -> C {
        let key = Key(prefix: cache.prefix, number: cache.number)
        guard !isShutDown else { throw .shutDown(prefix: cache.prefix, number: cache.number) }
        guard caches[key] == nil else { throw .duplicate(prefix: cache.prefix, number: cache.number) }
        caches[key] = cache
        cache.timer = timers.schedule(after: passingThrough > 0 ? .zero : cache.timeoutDelay) { [weak self, weak cache] in
            guard let self, let cache else { return }
            self.timeOut(cache, key)
        }
        if let waiting = waiters.removeValue(forKey: key) { for waiter in waiting { waiter(cache) } }
        return cache
    }

    /// A number no pending cache of `prefix` has, in `0 ..< bound` (default 2^31). py-ipv8's
    /// `RandomNumberCache` draws below 2^16: pass `1 << 16` for numbers that py-ipv8 peers put into 16-bit
    /// fields (the DHT's puncture requests do).
    public func freeNumber(for prefix: String, below bound: UInt64 = 1 << 31) -> UInt64 {
        while true {
            let candidate = random.next() % bound
            if caches[Key(prefix: prefix, number: candidate)] == nil { return candidate }
        }
    }

    /// A number no pending cache of kind `type` has.
    public func freeNumber<C: NumberCache>(for type: C.Type, below bound: UInt64 = 1 << 31) -> UInt64 {
        freeNumber(for: type.name, below: bound)
    }

    /// Whether a cache of `prefix` with `number` is pending.
    public func has(_ prefix: String, _ number: UInt64) -> Bool { caches[Key(prefix: prefix, number: number)] != nil }

    /// Whether a cache of kind `type` with `number` is pending.
    public func has<C: NumberCache>(_ type: C.Type, _ number: UInt64) -> Bool { has(type.name, number) }

    /// The pending cache of kind `type` with `number`, left in place.
    public func get<C: NumberCache>(_ type: C.Type, _ number: UInt64) -> C? {
        caches[Key(prefix: type.name, number: number)] as? C
    }

    /// Takes the pending cache of kind `type` with `number` out (its answer came); `nil` when there is
    /// none (it timed out, was never added, or this is a replayed answer).
    @discardableResult
    public func pop<C: NumberCache>(_ type: C.Type, _ number: UInt64) -> C? {
        let key = Key(prefix: type.name, number: number)
        guard let cache = caches[key] as? C else { return nil }
        caches[key] = nil
        cache.finish(.popped)
        return cache
    }

    /// Calls `body` with the cache of kind `type` and `number` as soon as one is added (at once when one
    /// is pending): py-ipv8's `wait_for`.
    public func waitFor<C: NumberCache>(_ type: C.Type, _ number: UInt64, _ body: @escaping (C) -> Void) {
        waitForOrClear(type, number) { cache in if let cache { body(cache) } }
    }

    private func waitForOrClear<C: NumberCache>(_ type: C.Type, _ number: UInt64, _ body: @escaping (C?) -> Void) {
        if let cache = get(type, number) { return body(cache) }
        waiters[Key(prefix: type.name, number: number), default: []].append { body($0 as? C) }
    }

    /// Runs `body`; caches it adds time out at once instead of after their delay (py-ipv8's `passthrough`,
    /// for tests of timeout paths).
    public func passthrough<R>(_ body: () throws -> R) rethrows -> R {
        passingThrough += 1
        defer { passingThrough -= 1 }
        return try body()
    }

    /// Waits, in an async task body, until a cache of kind `type` with `number` is added (py-ipv8's
    /// `await wait_for(...)`), and returns it; `nil` when the request cache is cleared or shut down first
    /// (the community unloaded).
    public func wait<C: NumberCache>(for type: C.Type, number: UInt64) async -> C? {
        let box: LoopConfinedBox<C?> = await withCheckedContinuation { continuation in
            waitForOrClear(type, number) { continuation.resume(returning: LoopConfinedBox(value: $0)) }
        }
        return box.value
    }

    /// Drops every pending cache without timing it out.
    public func clear() {
        let all = caches.values
        let waiting = waiters.values.flatMap { $0 }
        caches.removeAll()
        waiters.removeAll()
        for cache in all { cache.finish(.cleared) }
        for waiter in waiting { waiter(nil) }
    }

    /// Clears, and refuses new caches (what unloading a community does).
    public func shutdown() {
        clear()
        isShutDown = true
    }

    private func timeOut(_ cache: NumberCache, _ key: Key) {
        guard caches[key] === cache else { return }
        caches[key] = nil
        cache.onTimeout()
        cache.finish(.timedOut)
    }
}

@available(*, unavailable)
extension RequestCache: Sendable {}

@available(*, unavailable)
extension NumberCache: Sendable {}
