import XCTest
@testable import IPv8

/// Async task bodies on the libuv loop: every part of the body runs on the loop thread, also after
/// `Task.sleep` (resumed from another thread, queued back through `EventLoop.execute`).
final class AsyncTaskLoopTests: XCTestCase {
    func testAsyncBodiesRunOnTheLoopThreadAcrossEveryAwait() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let tasks = TaskManager(timers: loop)
        var onLoop: [Bool] = []
        try tasks.register("body") {
            onLoop.append(loop.inEventLoop)
            try await Task.sleep(for: .milliseconds(20))
            onLoop.append(loop.inEventLoop)
            try await tasks.sleep(for: .milliseconds(20))
            onLoop.append(loop.inEventLoop)
        }
        drive(loop, seconds: 5) { onLoop.count == 3 && !tasks.isPending("body") }
        XCTAssertEqual(onLoop, [true, true, true])
        tasks.shutdown()
    }
}
