import ArgumentParser
import IPv8

/// requestcache_tutorial_1/2's cache: a state kept under "my-state" and a number.
final class MyState: NumberCache {
    override class var name: String { "my-state" }
    let state: Int
    let timeout: Duration
    var timedOut = false
    init(number: UInt64, state: Int, timeout: Duration = .seconds(10)) {
        self.state = state
        self.timeout = timeout
        super.init(number: number)
    }
    override var timeoutDelay: Duration { timeout }
    override func onTimeout() {
        timedOut = true
        print("Oh no! I never received a response!")
    }
}

/// Runs `body` with a request cache and task manager on a fresh loop, then the loop for `seconds`.
func withLoopCaches(seconds: Double, until done: @escaping () -> Bool = { false },
                    _ body: (RequestCache, TaskManager) throws -> Void) throws {
    let loop = try EventLoop()
    defer { loop.stop() }
    let cache = RequestCache(timers: loop), tasks = TaskManager(timers: loop)
    try body(cache, tasks)
    _ = loop.run(until: done, timeout: .milliseconds(Int64(seconds * 1000)))
    tasks.shutdown()
    cache.shutdown()
}

/// requestcache_tutorial_1: a task adds a cache after 1.23 s; another part waits for it.
struct RequestCache1: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requestcache1", abstract: "requestcache_tutorial_1: wait for a cache.")
    func run() throws {
        var found: Int?
        try withLoopCaches(seconds: 5, until: { found != nil }) { cache, tasks in
            try tasks.registerAnonymous("Add later", delay: .milliseconds(1230)) { try cache.add(MyState(number: 0, state: 42)) }
            try tasks.register("bar") { found = await cache.wait(for: MyState.self, number: 0)?.state }
        }
        guard let found else { throw ExampleFailed("no cache showed up") }
        print("I found a cache with the state: \(found)")
    }
}

/// requestcache_tutorial_2: a cache nobody answers times out after 3 s.
struct RequestCache2: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requestcache2", abstract: "requestcache_tutorial_2: a timeout.")
    func run() throws {
        let state = MyState(number: 0, state: 42, timeout: .seconds(3))
        try withLoopCaches(seconds: 4, until: { state.timedOut }) { cache, _ in try cache.add(state) }
        guard state.timedOut else { throw ExampleFailed("the cache did not time out") }
    }
}

/// requestcache_tutorial_3's messages.
struct MyRequest: DataClassPayload {
    static let messageID: UInt8 = 1
    var value: UInt32      // "I"
    var identifier: UInt32 // "I"
}

struct MyResponse: DataClassPayload {
    static let messageID: UInt8 = 2
    var value: UInt32
    var identifier: UInt32
}

/// requestcache_tutorial_3's cache: a random free number under "my-cache".
final class MyCache: NumberCache {
    override class var name: String { "my-cache" }
    let value: UInt32
    init(_ requestCache: RequestCache, value: UInt32) {
        self.value = value
        super.init(number: requestCache.freeNumber(for: MyCache.self))
    }
}

/// requestcache_tutorial_3: ask every peer to increment a value, matching answers to requests with a
/// cache; the replayed duplicate of each request gets an answer no cache waits for, which is ignored.
final class IncrementCommunity: TutorialCommunity {
    var done = false
    var ignoredAnswers = 0

    override init(context: CommunityContext) throws {
        try super.init(context: context)
        try addHandler(for: MyRequest.self, style: .ez) { [unowned self] peer, payload in
            ezSend(peer, MyResponse(value: payload.value + 1, identifier: payload.identifier))
        }
        try addHandler(for: MyResponse.self, style: .ez) { [unowned self] peer, payload in
            guard let cache = requestCache.pop(MyCache.self, UInt64(payload.identifier)) else {
                ignoredAnswers += 1
                return
            }
            print("\(peer) responded to: \(cache.value) with: \(payload.value)")
            if payload.value == 10 {
                done = true
                return
            }
            let next = try requestCache.add(MyCache(requestCache, value: payload.value))
            for p in peers {
                ezSend(p, MyRequest(value: payload.value, identifier: UInt32(next.number)))
                ezSend(p, MyRequest(value: payload.value, identifier: UInt32(next.number)))   // a replay
            }
        }
    }

    /// py-ipv8's `started()`: once there are peers, send the first request.
    func started() throws {
        try tasks.register("wait for peers and send a request", delay: .zero, interval: .milliseconds(100)) { [unowned self] in
            guard !peers.isEmpty else { return }
            tasks.cancel("wait for peers and send a request")
            let cache = try requestCache.add(MyCache(requestCache, value: 0))
            for peer in peers { ezSend(peer, MyRequest(value: cache.value, identifier: UInt32(cache.number))) }
        }
    }
}

struct RequestCache3: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requestcache3", abstract: "requestcache_tutorial_3: requests and answers.")
    @Option(help: "Seconds to wait at most.") var duration: Double = 15

    func run() throws {
        let net = try LocalNetwork()
        defer { net.stop() }
        let nodes = try (1...2).map { _ in try net.node { try IncrementCommunity(context: $0) }.community }
        net.start()
        for node in nodes { try node.started() }
        guard net.run(seconds: duration, until: { nodes.allSatisfy(\.done) }) else {
            throw ExampleFailed("the peers did not count to 10")
        }
        print("ignored \(nodes.map(\.ignoredAnswers).reduce(0, +)) answers to replayed requests")
    }
}
