import Logging

/// Named tasks on the loop thread (py-ipv8's `TaskManager`): run once or repeatedly, now or after a delay,
/// replace or cancel them by name, list them, and cancel them all at once (a ``Community`` does when it
/// unloads).
///
/// ```swift
/// try tasks.register("announce", interval: .seconds(5), delay: .zero) { [unowned self] in
///     for peer in peers { ezSend(peer, MyMessage(clock: clock)) }
/// }
/// ```
///
/// Timing comes from the ``TimerScheduler`` it was made with, so the simulated network's manual time
/// drives tasks exactly as the event loop does. Bodies may be synchronous or `async`
/// (``register(_:delay:interval:async:)``); both run on the loop thread. As in py-ipv8, an interval task first runs after its
/// interval unless a delay is given. A body that throws is logged and counted in ``failures``; a repeating
/// task that throws stops (py-ipv8's interval runner ends on an exception too). Loop-confined.
public final class TaskManager {
    /// What a synchronous task does.
    public typealias Body = () throws -> Void
    /// What an asynchronous task does; it runs on the loop thread (see ``register(_:delay:interval:async:)``).
    public typealias AsyncBody = () async throws -> Void

    /// Registering a name that is pending, or registering after ``shutdown()``.
    public enum TaskError: Error, Equatable, CustomStringConvertible {
        /// A task with this name is already pending.
        case alreadyExists(String)
        /// The task manager was shut down, so the task with this name was not added.
        case shutDown(String)

        public var description: String {
            switch self {
            case .alreadyExists(let name): return "task already exists: '\(name)'"
            case .shutDown(let name): return "not adding task '\(name)': the task manager is shut down"
            }
        }
    }

    /// One pending task.
    public final class Handle {
        /// The name it was registered under.
        public let name: String
        /// Its repeat interval; `nil` for a one-shot task.
        public let interval: Duration?
        fileprivate var timer: (any ScheduledTimer)?
        fileprivate var running: Task<Void, Never>?
        /// The body's current ``TaskManager/sleep(for:)``: its timer and how to wake it early.
        fileprivate var sleeping: (timer: any ScheduledTimer, wake: () -> Void)?
        fileprivate init(name: String, interval: Duration?) {
            self.name = name
            self.interval = interval
        }
        /// True until the task ran (one-shot; an async one until its body returned), failed, or was cancelled.
        public var isPending: Bool { (timer?.isScheduled ?? false) || running != nil }
    }

    private let timers: any TimerScheduler
    private let logger: Logger
    private lazy var executor = LoopTaskExecutor(timers: timers)
    private var pending: [String: Handle] = [:]
    private var anonymousCounter = 0
    private var isShutDown = false
    /// Bodies that threw, so far.
    public private(set) var failures = 0

    /// A task manager whose tasks `timers` runs.
    public init(timers: any TimerScheduler,
                logger: Logger = Logger(label: "ipv8.tasks", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.timers = timers
        self.logger = logger
    }

    /// Runs `body` after `delay` (default: now, or after `interval` for a repeating task), then every
    /// `interval` if one is given, under `name`.
    /// - Throws: ``TaskError/alreadyExists(_:)`` while a task of that name is pending (use
    ///   ``replace(_:delay:interval:_:)``), ``TaskError/shutDown(_:)`` after ``shutdown()``.
    @discardableResult
    public func register(_ name: String, delay: Duration? = nil, interval: Duration? = nil,
                         _ body: @escaping Body) throws(TaskError) -> Handle {
        guard !isShutDown else { throw .shutDown(name) }
        if let existing = pending[name], existing.isPending { throw .alreadyExists(name) }
        let handle = Handle(name: name, interval: interval)
        let first = delay ?? interval ?? .zero
        handle.timer = timers.schedule(after: first, repeating: interval) { [weak self, weak handle] in
            guard let self, let handle else { return }
            self.run(handle, body)
        }
        pending[name] = handle
        return handle
    }

    /// Like ``register(_:delay:interval:_:)`` for an asynchronous body (py-ipv8's coroutine tasks). The body
    /// runs on the loop thread, in a Swift task whose executor is the loop, so it may use what it captured
    /// from the loop (its community) across its `await`s; wait with ``sleep(for:)`` so that simulated time
    /// drives it too. A repeating task does not start a run while the previous one is still going. While a
    /// run is going the task is pending; ``cancel(_:)`` cancels the Swift task (cooperatively).
    @discardableResult
    public func register(_ name: String, delay: Duration? = nil, interval: Duration? = nil,
                         async body: @escaping AsyncBody) throws(TaskError) -> Handle {
        return try register(name, delay: delay, interval: interval) { [weak self] in
            guard let self, let handle = self.pending[name], handle.running == nil else { return }
            let run = LoopConfinedBox(value: (manager: self, handle: handle, body: body))
            let id = ObjectIdentifier(handle)
            handle.running = Task(executorPreference: self.executor) {
                let (manager, handle, body) = run.value
                do {
                    try await TaskManager.$runningTask.withValue(id) { try await body() }
                } catch is CancellationError {
                } catch {
                    manager.failed(name, error)
                    handle.timer?.cancel()
                }
                handle.running = nil
                if !handle.isPending { manager.forget(handle) }
            }
        }
    }

    /// Suspends the calling async task body for `duration` on this manager's timers (simulated time in
    /// tests). - Throws: `CancellationError` when the task was cancelled meanwhile.
    /// Cancelling the task (by name, ``cancelAll()``, ``shutdown()``) wakes it at once.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let handle = TaskManager.runningTask.flatMap { id in pending.values.first { ObjectIdentifier($0) == id } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            var woken = false
            let wake = { [weak handle] in
                guard !woken else { return }
                woken = true
                handle?.sleeping = nil
                continuation.resume()
            }
            let timer = timers.schedule(after: duration) { wake() }
            handle?.sleeping = (timer, wake)
        }
        try Task.checkCancellation()
    }

    /// The handle of the async body running in the current Swift task, if any.
    @TaskLocal static var runningTask: ObjectIdentifier?

    private func stop(_ handle: Handle) {
        handle.timer?.cancel()
        handle.running?.cancel()
        handle.running = nil
        if let (timer, wake) = handle.sleeping {
            timer.cancel()
            wake()
        }
    }

    /// Cancels the task called `name` (if any) and registers `body` in its place.
    @discardableResult
    public func replace(_ name: String, delay: Duration? = nil, interval: Duration? = nil,
                        _ body: @escaping Body) throws(TaskError) -> Handle {
        cancel(name)
        return try register(name, delay: delay, interval: interval, body)
    }

    /// Registers `body` under `baseName` and a number no other anonymous task had (py-ipv8's
    /// `register_anonymous_task`), and returns its handle.
    @discardableResult
    public func registerAnonymous(_ baseName: String, delay: Duration? = nil, interval: Duration? = nil,
                                  _ body: @escaping Body) throws(TaskError) -> Handle {
        anonymousCounter += 1
        return try register("\(baseName) \(anonymousCounter)", delay: delay, interval: interval, body)
    }

    /// ``registerAnonymous(_:delay:interval:_:)`` for an asynchronous body.
    @discardableResult
    public func registerAnonymous(_ baseName: String, delay: Duration? = nil, interval: Duration? = nil,
                                  async body: @escaping AsyncBody) throws(TaskError) -> Handle {
        anonymousCounter += 1
        return try register("\(baseName) \(anonymousCounter)", delay: delay, interval: interval, async: body)
    }

    /// Cancels the task called `name`; returns whether one was pending.
    @discardableResult
    public func cancel(_ name: String) -> Bool {
        guard let handle = pending.removeValue(forKey: name) else { return false }
        let wasPending = handle.isPending
        stop(handle)
        return wasPending
    }

    /// Cancels every pending task.
    public func cancelAll() {
        let all = pending.values
        pending.removeAll()
        for handle in all { stop(handle) }
    }

    /// Cancels every task and refuses new ones (py-ipv8's `shutdown_task_manager`).
    public func shutdown() {
        cancelAll()
        isShutDown = true
    }

    /// Whether a task called `name` is pending.
    public func isPending(_ name: String) -> Bool { pending[name]?.isPending ?? false }

    /// The pending task called `name`.
    public func task(named name: String) -> Handle? { pending[name].flatMap { $0.isPending ? $0 : nil } }

    /// The names of the pending tasks, sorted.
    public var pendingNames: [String] { pending.values.filter(\.isPending).map(\.name).sorted() }

    /// The pending tasks whose names start with `baseName` (py-ipv8's `get_anonymous_tasks`).
    public func anonymousTasks(_ baseName: String) -> [Handle] {
        pending.values.filter { $0.isPending && $0.name.hasPrefix(baseName) }.sorted { $0.name < $1.name }
    }

    private func run(_ handle: Handle, _ body: Body) {
        do {
            try body()
            if !handle.isPending { forget(handle) }
        } catch {
            failed(handle.name, error)
            handle.timer?.cancel()
            forget(handle)
        }
    }

    private func failed(_ name: String, _ error: any Error) {
        failures += 1
        logger.error("task '\(name)' failed: \(error)")
    }

    private func forget(_ handle: Handle) {
        if pending[handle.name] === handle { pending[handle.name] = nil }
    }
}

@available(*, unavailable)
extension TaskManager: Sendable {}
