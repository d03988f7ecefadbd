/// Runs closures serially on the loop thread, queued from any thread (the shell's `EventLoop.execute`).
/// Async task bodies run through it when the community's timers offer it.
public protocol LoopJobQueue: AnyObject, Sendable {
    /// Runs `work` on the loop thread, after the work queued before it.
    func enqueueJob(_ work: @escaping @Sendable () -> Void)
}

/// The Swift concurrency executor of a ``TaskManager``'s async bodies: every job runs on the loop thread,
/// so a body may touch the loop-confined objects it captured (its community, peers), as a synchronous
/// task does. Jobs go through a ``LoopJobQueue`` when there is one (any thread may then resume the task:
/// `Task.sleep` works); otherwise through zero-delay timers of the ``TimerScheduler``, which is what the
/// simulated network has: there a body must wait only on the loop's own events (``TaskManager/sleep(for:)``,
/// request caches), never on outside threads.
final class LoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `timers` is used only when `queue` is nil, and then only on the loop thread
    // (see the type's documentation).
    private let queue: (any LoopJobQueue)?
    private let timers: any TimerScheduler

    init(timers: any TimerScheduler) {
        self.timers = timers
        self.queue = timers as? any LoopJobQueue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let run: @Sendable () -> Void = { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
        if let queue {
            queue.enqueueJob(run)
        } else {
            timers.schedule(after: .zero) { run() }
        }
    }
}

/// Carries loop-confined values into a task that runs only on the loop (``LoopTaskExecutor``).
struct LoopConfinedBox<Value>: @unchecked Sendable {
    // @unchecked Sendable: used only from jobs of a LoopTaskExecutor, on the loop thread.
    let value: Value
}
