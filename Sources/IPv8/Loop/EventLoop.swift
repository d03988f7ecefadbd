import IPv8Core
import CLibUV
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One libuv loop (`uv_loop_t`) and the thread that runs it.
///
/// Every handle created on a loop (the UDP socket, timers) and every object built on them (communities,
/// the network, strategies) is confined to the loop thread. An `EventLoop` runs in one of two ways:
/// - on a thread of its own: ``start()``, then ``stop()`` (and ``join()``);
/// - driven by the caller, which makes the calling thread the loop thread: ``runOnce(timeout:)`` and
///   ``run(until:timeout:)``. Tests and embedding hosts use this form.
///
/// Other threads reach the loop only through ``execute(_:)`` (a mutex-guarded queue plus `uv_async_t`),
/// ``stop()`` and ``inEventLoop``. Debug builds assert the loop thread in loop-confined code.
public final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable: the libuv state and `resources` are touched only on the loop thread (asserted in
    // debug builds); the members other threads may use (`pending`, `lifecycle`, `owner`) are pthread mutexes (`PThreadMutex`) and an Atomic.

    /// Where the loop is in its life.
    enum Lifecycle {
        case open              // not started, or driven by the caller
        case threaded          // running on the thread `start()` created (until it begins closing)
        case closing           // stop() has begun closing handles
        case closed            // every handle closed, uv_loop_close done
    }

    let uvLoop: UnsafeMutablePointer<uv_loop_t>
    private let asyncHandle: UnsafeMutablePointer<uv_async_t>
    private let wakeTimer: UnsafeMutablePointer<uv_timer_t>
    private let pending = PThreadMutex<[@Sendable () -> Void]>([])
    private let lifecycle = PThreadMutex<(state: Lifecycle, threadMode: Bool, thread: pthread_t?)>((.open, false, nil))
    private let owner = Atomic<UInt>(0)
    private let closed = OneShotEvent()
    private var resources: [ObjectIdentifier: any LoopResource] = [:]
    /// True while the loop thread is inside `uv_run` (so callbacks are running, or may).
    private var insideRun = false

    /// The one receive slab every socket on this loop reads into. Its data is consumed before each receive
    /// callback returns, so one slab serves any number of sockets (`DESIGN.md`).
    let receiveSlab: UnsafeMutableRawPointer
    /// 20 × 64 KiB: the size at which libuv 1.44 reads 20 datagrams per `recvmmsg` call.
    static let receiveSlabSize = 20 * 65_536

    /// The slab for the replies a socket batches while it hands out a receive batch (`UDPEndpoint`),
    /// allocated when a socket of this loop first batches one.
    private var sendBatchStorage: SendBatch?
    var hasSendBatch: Bool { sendBatchStorage != nil }
    var sendBatch: SendBatch {
        if let batch = sendBatchStorage { return batch }
        let batch = SendBatch()
        sendBatchStorage = batch
        return batch
    }

    /// The logger the loop and the objects built on it log to.
    public let logger: Logger

    /// Creates a loop. It does not run until ``start()`` or ``runOnce(timeout:)``.
    /// - Parameter logger: where the loop logs; a no-op logger by default.
    public init(logger: Logger = Logger(label: "ipv8.loop", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        self.logger = logger
        uvLoop = .allocate(capacity: 1)
        asyncHandle = .allocate(capacity: 1)
        wakeTimer = .allocate(capacity: 1)
        receiveSlab = .allocate(byteCount: Self.receiveSlabSize, alignment: 16)
        let initResult = uv_loop_init(uvLoop)
        guard initResult == 0 else {
            uvLoop.deallocate(); asyncHandle.deallocate(); wakeTimer.deallocate(); receiveSlab.deallocate()
            throw LibUVError(code: initResult, operation: "initialise the event loop")
        }
        uv_async_init(uvLoop, asyncHandle, eventLoopOnAsync)
        uv_timer_init(uvLoop, wakeTimer)
        uv_unref(cuv_timer_as_handle(wakeTimer))
        let me = Unmanaged.passUnretained(self).toOpaque()
        uv_handle_set_data(cuv_async_as_handle(asyncHandle), me)
        uv_handle_set_data(cuv_timer_as_handle(wakeTimer), me)
    }

    deinit {
        // Reaching deinit without stop() means no thread runs the loop any more: close everything here.
        if lifecycle.withLock({ $0.state }) != .closed {
            shutdownAndDrain()
        }
        uvLoop.deallocate()
        asyncHandle.deallocate()
        wakeTimer.deallocate()
        receiveSlab.deallocate()
    }

    // MARK: Threads

    /// True on the thread that runs the loop, and on any thread before the loop first runs (set-up).
    public var inEventLoop: Bool {
        let o = owner.load(ordering: .acquiring)
        return o == 0 || o == UInt(pthread_self())
    }

    /// Traps in debug builds when called off the loop thread.
    @inline(__always)
    func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "loop-confined state touched off the loop thread", file: file, line: line)
    }

    /// Runs the loop on a new thread until ``stop()``.
    /// - Throws: when the loop is already running or stopped, or the thread cannot be created.
    public func start() throws {
        try lifecycle.withLock { life in
            guard life.state == .open, !life.threadMode else {
                throw LibUVError(code: UV_EINVAL.rawValue, operation: "start an event loop that is \(life.state)")
            }
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let rc = pthread_create(&thread, nil, eventLoopThreadMain, context)
            guard rc == 0 else {
                Unmanaged<EventLoop>.fromOpaque(context).release()
                throw LibUVError(code: -rc, operation: "create the event loop thread")
            }
            life = (.threaded, true, thread)
        }
    }

    /// The body of the loop thread.
    fileprivate func runOnThread() {
        owner.store(UInt(pthread_self()), ordering: .releasing)
        insideRun = true
        while uv_run(uvLoop, UV_RUN_DEFAULT) != 0 {}
        insideRun = false
        finishShutdown()
    }

    /// Stops the loop: closes every handle (sockets with their in-flight sends, timers), waits for the close
    /// callbacks and closes the `uv_loop_t`. Safe from any thread and safe to call more than once.
    ///
    /// - On the loop thread (inside a callback) it begins the shutdown and returns; the loop finishes it when
    ///   the callback returns.
    /// - For a loop started with ``start()``, from another thread it waits until the loop thread has finished.
    /// - For a caller-driven loop, from the driving thread (or before the loop ever ran) it completes at once.
    ///   From another thread it schedules the shutdown, which the driver's next ``runOnce(timeout:)`` completes.
    public func stop() {
        let (state, threadMode) = lifecycle.withLock { ($0.state, $0.threadMode) }
        if state == .closed { return }
        let ownerThread = owner.load(ordering: .acquiring)
        if ownerThread == UInt(pthread_self()) {
            if insideRun { beginShutdown() } else { shutdownAndDrain() }
        } else if threadMode {
            if state == .threaded { enqueue { [unowned self] in self.beginShutdown() } }
            join()
        } else if ownerThread == 0 {
            shutdownAndDrain()
        } else if state == .open {
            enqueue { [unowned self] in self.beginShutdown() }
        }
    }

    /// Waits until the loop has closed. For a loop started with ``start()`` this joins its thread. Must not be
    /// called on the loop thread; returns at once for a loop that is not running on its own thread.
    public func join() {
        let (threadMode, thread) = lifecycle.withLock { life in
            defer { life.thread = nil }
            return (life.threadMode, life.thread)
        }
        guard threadMode else { return }
        if let thread {
            precondition(pthread_equal(thread, pthread_self()) == 0, "join() called on the loop thread")
            pthread_join(thread, nil)
        }
        closed.wait()
    }

    /// True once ``stop()`` has completed.
    public var isClosed: Bool { lifecycle.withLock { $0.state == .closed } }

    // MARK: Work from other threads

    /// Runs `work` on the loop thread, after the work queued before it (from any thread) has run.
    /// Closures queued by one thread run in the order that thread queued them.
    /// - Returns: false when the loop is stopping or stopped; the closure is then dropped.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        let state = lifecycle.withLock { $0.state }
        guard state == .open || state == .threaded else { return false }
        enqueue(work)
        return true
    }

    private func enqueue(_ work: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append(work) }
        uv_async_send(asyncHandle)
    }

    fileprivate func runPending() {
        let work = pending.withLock { queue -> [@Sendable () -> Void] in
            let w = queue
            queue.removeAll(keepingCapacity: true)
            return w
        }
        for item in work { item() }
    }

    // MARK: Resources

    func register(_ resource: any LoopResource) {
        assertInEventLoop()
        resources[ObjectIdentifier(resource)] = resource
    }

    func unregister(_ resource: any LoopResource) {
        resources.removeValue(forKey: ObjectIdentifier(resource))
    }

    /// Closes every handle. Runs on the loop thread; the loop finishes when the close callbacks have run.
    private func beginShutdown() {
        let proceed = lifecycle.withLock { life -> Bool in
            guard life.state == .open || life.state == .threaded else { return false }
            life.state = .closing
            return true
        }
        guard proceed else { return }
        // Work queued before the shutdown still runs; what arrives later is refused by execute().
        runPending()
        for resource in Array(resources.values) { resource.close() }
        resources.removeAll()
        uv_timer_stop(wakeTimer)
        uv_close(cuv_timer_as_handle(wakeTimer), nil)
        uv_close(cuv_async_as_handle(asyncHandle), nil)
    }

    /// Closes the handles and runs the loop on the calling thread until they are closed.
    private func shutdownAndDrain() {
        owner.store(UInt(pthread_self()), ordering: .releasing)
        beginShutdown()
        while uv_run(uvLoop, UV_RUN_DEFAULT) != 0 {}
        finishShutdown()
    }

    private func finishShutdown() {
        let first = lifecycle.withLock { life -> Bool in
            guard life.state != .closed else { return false }
            life.state = .closed
            return true
        }
        guard first else { return }
        let rc = uv_loop_close(uvLoop)
        if rc != 0 { logger.error("uv_loop_close failed: \(LibUVError(code: rc, operation: "close the loop"))") }
        closed.signal()
    }

    // MARK: Caller-driven running

    /// Runs one iteration of the loop on the calling thread, which becomes the loop thread.
    ///
    /// - Parameter timeout: how long to wait for an event; `.zero` polls without blocking, `nil` waits until
    ///   something happens.
    /// - Returns: false once the loop is closed.
    @discardableResult
    public func runOnce(timeout: Duration? = nil) -> Bool {
        let state = lifecycle.withLock { $0.state }
        precondition(state != .threaded, "runOnce on a loop that runs on its own thread")
        if state == .closed { return false }
        owner.store(UInt(pthread_self()), ordering: .releasing)
        if state == .closing {
            while uv_run(uvLoop, UV_RUN_DEFAULT) != 0 {}
            finishShutdown()
            return false
        }
        insideRun = true
        defer { insideRun = false }
        if let timeout {
            if timeout <= .zero {
                uv_run(uvLoop, UV_RUN_NOWAIT)
            } else {
                let ms = UInt64(max(1, (timeout / .milliseconds(1)).rounded(.up)))
                uv_timer_start(wakeTimer, eventLoopOnWake, ms, 0)
                uv_run(uvLoop, UV_RUN_ONCE)
                uv_timer_stop(wakeTimer)
            }
        } else {
            uv_run(uvLoop, UV_RUN_ONCE)
        }
        if lifecycle.withLock({ $0.state }) == .closing {
            while uv_run(uvLoop, UV_RUN_DEFAULT) != 0 {}
            finishShutdown()
            return false
        }
        return true
    }

    /// Runs the loop on the calling thread until `condition` holds or `timeout` has passed, whichever comes
    /// first. The condition is checked before every iteration.
    /// - Returns: whether the condition held.
    @discardableResult
    public func run(until condition: () -> Bool, timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while !condition() {
            let remaining = end - clock.now
            if remaining <= .zero { return condition() }
            if !runOnce(timeout: min(remaining, .milliseconds(50))) { return condition() }
        }
        return true
    }

    /// Runs the loop on the calling thread for `duration`.
    public func run(for duration: Duration) {
        _ = run(until: { false }, timeout: duration)
    }

    /// Monotonic time in seconds (libuv's high-resolution clock).
    public var now: Double { Double(uv_hrtime()) / 1e9 }
}

// libuv callbacks: nonisolated global functions that reach their object through handle->data.

nonisolated func eventLoopThreadMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let loop = Unmanaged<EventLoop>.fromOpaque(context!).takeRetainedValue()
    loop.runOnThread()
    return nil
}

nonisolated func eventLoopOnAsync(_ handle: UnsafeMutablePointer<uv_async_t>?) {
    guard let data = uv_handle_get_data(cuv_async_as_handle(handle)) else { return }
    Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue().runPending()
}

nonisolated func eventLoopOnWake(_ handle: UnsafeMutablePointer<uv_timer_t>?) {}
