import Dispatch
import IPv8
import Synchronization

/// The C message handler and strategy step types (see `ipv8.h`).
public typealias CMessageCallback = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt,
                                             UnsafePointer<CChar>?, UInt16) -> Void
/// The C strategy step (`ipv8_step_cb`): called on the loop thread with the host's context and the community handle.
public typealias CStepCallback = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?) -> Void

/// How deep the loop thread is inside C callbacks of one node (loop-confined).
final class CallbackDepth {
    var value = 0
    func run(_ body: () -> Void) {
        value += 1
        defer { value -= 1 }
        body()
    }
}

/// A node behind an `ipv8_node_t *`: its loop, its service and the C communities on it.
///
/// @unchecked Sendable: the service, the communities and `depth` are touched only on the loop thread
/// (through ``onLoop(_:)``); `mode` is a Mutex.
final class EmbedNode: @unchecked Sendable {
    enum Mode { case created, driven, threaded, stopped }

    let loop: EventLoop
    let service: IPv8Service
    /// The key C communities use.
    let key: PrivateKey
    let depth = CallbackDepth()
    var communities: [EmbedCommunity] = []
    private let modeLock = Mutex<Mode>(.created)

    init(json: String) throws {
        let configuration: Configuration
        do {
            configuration = try Configuration(json: json)
        } catch {
            throw EmbedError(EmbedCode.config, "bad configuration: \(error)")
        }
        do {
            loop = try EventLoop()
        } catch {
            throw EmbedError(EmbedCode.config, "cannot create the event loop: \(error)")
        }
        let service: IPv8Service
        do {
            service = try IPv8Service.load(configuration, registry: .builtIns, loop: loop)
        } catch {
            loop.stop()
            throw EmbedError(EmbedCode.config, "cannot build the node: \(error)")
        }
        self.service = service
        // C communities sign with the configuration's first key: the very object the configured overlays
        // use (an ephemeral key is generated once, by the loader).
        key = configuration.keys.first.flatMap { service.keys[$0.alias] } ?? PrivateKey.generate()
    }

    var mode: Mode { modeLock.withLock { $0 } }

    /// Runs `body` on the loop thread and returns its result: directly when called there, through the
    /// loop's queue (waiting) from another thread of a threaded node, refused otherwise.
    func onLoop<T>(_ body: @escaping () throws -> T) throws -> T {
        let current = mode
        if current == .stopped { throw EmbedError(EmbedCode.state, "the node is stopped") }
        if loop.inEventLoop { return try body() }
        guard current == .threaded else {
            throw EmbedError(EmbedCode.thread, "this node is driven by another thread; call it from there")
        }
        let box = WorkBox(body)
        let done = DispatchSemaphore(value: 0)
        guard loop.execute({ box.run(); done.signal() }) else {
            throw EmbedError(EmbedCode.state, "the node is stopping")
        }
        try waitForLoop(done)
        return try box.result!.get()
    }

    /// Waits for work queued on the loop. Work queued in the instant the loop begins to close can be dropped,
    /// so the wait gives up once the loop has closed instead of blocking forever.
    private func waitForLoop(_ done: DispatchSemaphore) throws {
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if loop.isClosed { throw EmbedError(EmbedCode.state, "the node stopped") }
        }
    }

    func startThread() throws {
        try modeLock.withLock { mode in
            guard mode == .created else { throw EmbedError(EmbedCode.state, "the node is already \(mode)") }
            mode = .threaded
        }
        service.start()
        do {
            try loop.start()
        } catch {
            modeLock.withLock { $0 = .created }
            throw EmbedError(EmbedCode.state, "cannot start the loop thread: \(error)")
        }
        // Wait until the loop thread owns the loop, so `inEventLoop` is false on every other thread from now on.
        try onLoop {}
    }

    func runOnce(timeoutMilliseconds: Int32) throws -> Int32 {
        let current = mode
        switch current {
        case .stopped: return 0
        case .threaded: throw EmbedError(EmbedCode.state, "the node runs on its own thread")
        case .created, .driven: break
        }
        guard loop.inEventLoop else { throw EmbedError(EmbedCode.thread, "the node is driven by another thread") }
        guard depth.value == 0 else { throw EmbedError(EmbedCode.thread, "ipv8_run_once called from a callback") }
        if current == .created {
            modeLock.withLock { $0 = .driven }
            service.start()
        }
        let timeout: Duration? = timeoutMilliseconds < 0 ? nil : .milliseconds(Int(timeoutMilliseconds))
        return loop.runOnce(timeout: timeout) ? 1 : 0
    }

    /// The driven loop's backend fd or timeout.
    func backend(_ read: (EventLoop) -> Int32) throws -> Int32 {
        switch mode {
        case .stopped: throw EmbedError(EmbedCode.state, "the node is stopped")
        case .threaded: throw EmbedError(EmbedCode.state, "the node runs on its own thread")
        case .created, .driven: break
        }
        guard loop.inEventLoop else { throw EmbedError(EmbedCode.thread, "the node is driven by another thread") }
        return read(loop)
    }

    func stop() throws {
        let current = mode
        if current == .stopped { return }
        if current == .threaded, loop.inEventLoop {
            throw EmbedError(EmbedCode.thread, "a threaded node cannot be stopped from its own loop thread")
        }
        if current == .driven {
            guard loop.inEventLoop else { throw EmbedError(EmbedCode.thread, "the node is driven by another thread") }
            guard depth.value == 0 else { throw EmbedError(EmbedCode.thread, "a node cannot be stopped from its callback") }
        }
        let first = modeLock.withLock { mode -> Bool in
            guard mode != .stopped else { return false }
            mode = .stopped
            return true
        }
        guard first else { return }
        if current == .threaded {
            let box = WorkBox<Void> { [self] in service.stop() }
            let done = DispatchSemaphore(value: 0)
            if loop.execute({ box.run(); done.signal() }) { try? waitForLoop(done) }
        } else {
            service.stop()
        }
        loop.stop()
    }
}

/// A closure and its result, handed to the loop thread and back.
final class WorkBox<T>: @unchecked Sendable {
    // @unchecked Sendable: written by the loop thread, read by the waiting thread after the semaphore.
    private let body: () throws -> T
    var result: Result<T, any Error>?
    init(_ body: @escaping () throws -> T) { self.body = body }
    func run() { result = Result { try body() } }
}

/// A community behind an `ipv8_community_t *`.
final class EmbedCommunity: Sendable {
    let node: EmbedNode
    private let bound: LoopBound<Community>
    /// Made on the loop thread.
    init(node: EmbedNode, community: Community) {
        self.node = node
        self.bound = LoopBound(community, loop: node.loop)
    }
    /// The community; on the loop thread only (through `node.onLoop`).
    var community: Community { bound.value }
}

/// A discovery strategy whose step is a C function.
final class CStrategy: DiscoveryStrategy {
    let stepCallback: CStepCallback
    let context: UnsafeMutableRawPointer?
    let handle: OpaquePointer
    let depth: CallbackDepth

    init(overlay: Community, step: CStepCallback, context: UnsafeMutableRawPointer?, handle: OpaquePointer,
         depth: CallbackDepth) {
        self.stepCallback = step
        self.context = context
        self.handle = handle
        self.depth = depth
        super.init(overlay: overlay)
    }

    override func step() throws {
        depth.run { stepCallback(context, handle) }
    }
}
