import ArgumentParser
import IPv8
import IPv8Testing

/// What tasks_tutorial_1/2 collect, safely across tasks.
actor Completed {
    private(set) var items: [Int] = []
    func append(_ i: Int) { items.append(i) }
}

func executeMeToo(_ i: Int, _ completed: Completed) async {
    try? await Task.sleep(for: .milliseconds(500))
    await completed.append(i)
}

/// tasks_tutorial_1: what awaiting does. (Step 1 of the original, calling an async function without
/// awaiting it, does not compile in Swift; step 4 starts a task nobody awaits.)
struct Tasks1: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks1", abstract: "tasks_tutorial_1: awaiting.")
    func run() async throws {
        let completed = Completed()
        await executeMeToo(2, completed)                      // 2
        await completed.append(3)                             // 3
        _ = Task { await executeMeToo(4, completed) }         // 4
        await completed.append(5)                             // 5
        try await Task.sleep(for: .seconds(1))                // 6
        let items = await completed.items
        print(items)
        guard items == [2, 3, 5, 4] else { throw ExampleFailed("expected [2, 3, 5, 4]") }
    }
}

/// tasks_tutorial_2: keep the task and await it before leaving.
struct Tasks2: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks2", abstract: "tasks_tutorial_2: awaiting a task.")
    func run() async throws {
        let completed = Completed()
        await executeMeToo(2, completed)
        await completed.append(3)
        let task = Task { await executeMeToo(4, completed) }
        await completed.append(5)
        await task.value
        let items = await completed.items
        print(items)
        guard items == [2, 3, 5, 4] else { throw ExampleFailed("expected [2, 3, 5, 4]") }
    }
}

/// Runs a task manager on a fresh loop until it has no pending tasks (py-ipv8's `wait_for_tasks`), at
/// most `seconds`.
func runTasks(seconds: Double = 10, _ body: (TaskManager) throws -> Void) throws {
    let loop = try EventLoop()
    defer { loop.stop() }
    let tasks = TaskManager(timers: loop)
    try body(tasks)
    guard loop.run(until: { tasks.pendingNames.isEmpty }, timeout: .milliseconds(Int64(seconds * 1000))) else {
        throw ExampleFailed("tasks still pending: \(tasks.pendingNames)")
    }
    tasks.shutdown()
}

/// tasks_tutorial_3: a cancelled task never runs.
struct Tasks3: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks3", abstract: "tasks_tutorial_3: cancelling.")
    func run() throws {
        var completed: [Int] = []
        try runTasks { tasks in
            try tasks.register("execute_me_too1") { try await tasks.sleep(for: .milliseconds(500)); completed.append(1) }
            try tasks.register("execute_me_too2") { try await tasks.sleep(for: .milliseconds(500)); completed.append(2) }
            tasks.cancel("execute_me_too1")
        }
        print(completed)
        guard completed == [2] else { throw ExampleFailed("expected [2]") }
    }
}

/// tasks_tutorial_4: twenty anonymous tasks.
struct Tasks4: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks4", abstract: "tasks_tutorial_4: anonymous tasks.")
    func run() throws {
        var completed: [Int] = []
        try runTasks { tasks in
            for i in 0..<20 {
                try tasks.registerAnonymous("execute_me_too") {
                    try await tasks.sleep(for: .milliseconds(500))
                    completed.append(i)
                }
            }
        }
        print(completed)
        guard completed == Array(0..<20) else { throw ExampleFailed("expected 0 through 19") }
    }
}

/// tasks_tutorial_5: an interval task that cancels itself, and a delayed one that slips in.
struct Tasks5: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks5", abstract: "tasks_tutorial_5: interval tasks.")
    func run() throws {
        var completed: [Int] = []
        try runTasks { tasks in
            func executeMeToo(_ i: Int) {
                if completed.count == 20 {
                    tasks.cancel("keep adding 1")
                    return
                }
                completed.append(i)
            }
            try tasks.register("keep adding 1", interval: .milliseconds(100)) { executeMeToo(1) }
            try tasks.register("sneaky inject", delay: .milliseconds(500)) { executeMeToo(2) }
        }
        print(completed)
        guard completed.count == 20, completed.filter({ $0 == 2 }).count == 1 else {
            throw ExampleFailed("expected twenty entries, one of them the sneaky 2")
        }
    }
}

/// tasks_tutorial_6: a community whose task fails; the test cancels the community's tasks before they run.
final class FailingTaskCommunity: TutorialCommunity {
    struct Failure: Error {}
    override init(context: CommunityContext) throws {
        try super.init(context: context)
        try tasks.register("error out :-(") { throw Failure() }
    }
}

struct Tasks6: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks6", abstract: "tasks_tutorial_6: tasks in tests.")
    func run() throws {
        let simulation = SimulatedNetwork(seed: 6)
        let node = try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: 9001), seed: 1) {
            try FailingTaskCommunity(context: $0)
        }
        node.community.tasks.cancelAll()   // what the tutorial's create_node does
        simulation.advance(by: 1)
        print("pending tasks: \(node.community.tasks.pendingNames), failures: \(node.community.tasks.failures)")
        guard node.community.tasks.failures == 0 else { throw ExampleFailed("the failing task ran") }
        node.stop()
    }
}

/// tasks_tutorial_7: waiting on caches; `passthrough` makes caches added in it time out at once.
final class AwaitedCache: NumberCache {
    override class var name: String { "my cache" }
    override var timeoutDelay: Duration { .seconds(1) }
}

struct Tasks7: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks7", abstract: "tasks_tutorial_7: awaiting caches.")
    func run() throws {
        var outcomes: [UInt64: NumberCache.Outcome] = [:]
        try withLoopCaches(seconds: 3, until: { outcomes.count == 2 }) { cache, _ in
            for number in [0, 2] as [UInt64] { try cache.add(AwaitedCache(number: number)).whenFinished { outcomes[number] = $0 } }
            try cache.passthrough {
                try cache.add(AwaitedCache(number: 1)).whenFinished { outcomes[1] = $0 }
            }
            cache.pop(AwaitedCache.self, 0)
        }
        // withLoopCaches shut the cache down, which cleared cache 2.
        print("cache 0: \(outcomes[0].map { "\($0)" } ?? "-"), cache 1: \(outcomes[1].map { "\($0)" } ?? "-"), "
            + "cache 2: \(outcomes[2].map { "\($0)" } ?? "-")")
        guard outcomes == [0: .popped, 1: .timedOut, 2: .cleared] else { throw ExampleFailed("unexpected outcomes") }
    }
}
