import Logging
import XCTest
@testable import IPv8

/// A strategy with a settable peer count that records its steps in a shared log.
final class ScriptedStrategy: DiscoveryStrategy {
    let name: String
    var fakePeerCount = 0
    var log: (String) -> Void
    var body: () throws -> Void = {}

    init(_ name: String, overlay: Community, log: @escaping (String) -> Void) {
        self.name = name
        self.log = log
        super.init(overlay: overlay)
    }

    override var peerCount: Int { fakePeerCount }

    override func takeStep() throws {
        try withWalkLock {
            log(name)
            try body()
        }
    }
}

final class SchedulerTests: XCTestCase {
    struct StepFailed: Error {}

    private var loop: EventLoop!
    private var node: TestNode!
    private var order: [String] = []
    /// When each step in `order` ran, by the node's clock.
    private var stepTimes: [Double] = []

    override func setUpWithError() throws {
        loop = try EventLoop()
        node = try TestNode(loop: loop)
        order = []
        stepTimes = []
    }

    override func tearDown() {
        node.service.stop()
        loop.stop()
        node = nil
        loop = nil
    }

    private func strategy(_ name: String) -> ScriptedStrategy {
        ScriptedStrategy(name, overlay: node.community) { [unowned self] in
            order.append($0)
            stepTimes.append(node.service.clock.now)
        }
    }

    private func manualScheduler(_ clock: ManualClock = ManualClock()) -> StrategyScheduler {
        StrategyScheduler(clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func testThreeStrategiesInterleaveOnePerTickOnTheRealTimer() throws {
        let service = node.service
        let (a, b, c) = (strategy("a"), strategy("b"), strategy("c"))
        let scheduler = StrategyScheduler(settings: .init(walkInterval: .seconds(0.15)), clock: service.clock, logger: service.logger)
        for s in [a, b, c] { scheduler.addStrategy(s, targetPeers: -1) }
        XCTAssertEqual(scheduler.tickPeriod.seconds, 0.05, accuracy: 1e-9)
        let timer = SchedulerTimer(scheduler: scheduler, loop: loop)
        timer.start()
        defer { timer.stop() }

        drive(loop, seconds: 3) { order.count >= 9 }
        XCTAssertEqual(Array(order.prefix(9)), ["a", "b", "c", "a", "b", "c", "a", "b", "c"])
        // Steps are spread: consecutive steps about one period (50 ms) apart, not a burst. The times are taken
        // in the steps themselves: when the test's own loop iteration noticed a step depends on the machine's load.
        let gaps = zip(stepTimes.dropFirst(), stepTimes).map { $0 - $1 }
        XCTAssertTrue(gaps.allSatisfy { $0 > 0.03 }, "gaps \(gaps)")
        XCTAssertEqual(scheduler.stepsTaken(by: a), scheduler.stepsTaken(by: c), accuracy: 1)
    }

    func testTimersStartedTogetherTickFirstAtRandomPointsOfTheirPeriod() throws {
        let service = node.service
        let start = service.clock.now
        var first: [String: Double] = [:]
        var timers: [SchedulerTimer] = []
        defer { timers.forEach { $0.stop() } }
        for i in 0..<20 {
            let strategy = ScriptedStrategy("s\(i)", overlay: node.community) { name in
                if first[name] == nil { first[name] = service.clock.now - start }
            }
            let scheduler = StrategyScheduler(settings: .init(walkInterval: .seconds(0.2)), clock: service.clock, logger: service.logger)
            scheduler.addStrategy(strategy, targetPeers: -1)
            let timer = SchedulerTimer(scheduler: scheduler, loop: loop)
            timers.append(timer)
            timer.start()
        }
        drive(loop) { first.count == 20 }
        let times = Array(first.values)
        XCTAssertTrue(times.allSatisfy { $0 < 0.2 + 0.05 }, "within one period, give or take the loop's lag: \(times)")
        XCTAssertGreaterThan(times.max()! - times.min()!, 0.02, "spread over the period, not one burst: \(times)")
    }

    func testEachEligibleStrategyStepsOncePerInterval() {
        let scheduler = manualScheduler()
        let (a, b, c) = (strategy("a"), strategy("b"), strategy("c"))
        for s in [a, b, c] { scheduler.addStrategy(s, targetPeers: -1) }
        for _ in 0..<30 { scheduler.tick() }
        XCTAssertEqual(order, Array(repeating: ["a", "b", "c"], count: 10).flatMap { $0 })
        XCTAssertEqual([a, b, c].map { scheduler.stepsTaken(by: $0) }, [10, 10, 10])
    }

    func testTargets() {
        let scheduler = manualScheduler()
        let always = strategy("always"), zero = strategy("zero"), negative = strategy("negative"), upTo3 = strategy("upTo3")
        always.fakePeerCount = 100
        scheduler.addStrategy(always, targetPeers: -1)
        scheduler.addStrategy(zero, targetPeers: 0)
        scheduler.addStrategy(negative, targetPeers: -2)
        scheduler.addStrategy(upTo3, targetPeers: 3)
        XCTAssertEqual(scheduler.eligibleCount, 2)
        XCTAssertEqual(scheduler.tickPeriod.seconds, 0.25, accuracy: 1e-9)

        for _ in 0..<4 { scheduler.tick() }
        XCTAssertEqual(order, ["always", "upTo3", "always", "upTo3"])

        upTo3.fakePeerCount = 3               // at target: skipped
        order = []
        for _ in 0..<3 { scheduler.tick() }
        XCTAssertEqual(order, ["always", "always", "always"])
        XCTAssertEqual(scheduler.eligibleCount, 1)
        XCTAssertEqual(scheduler.tickPeriod.seconds, 0.5, accuracy: 1e-9)

        upTo3.fakePeerCount = 2               // dips: resumes
        order = []
        for _ in 0..<4 { scheduler.tick() }
        XCTAssertEqual(order.filter { $0 == "upTo3" }.count, 2)
        XCTAssertEqual(scheduler.stepsTaken(by: zero), 0)
        XCTAssertEqual(scheduler.stepsTaken(by: negative), 0)
        XCTAssertGreaterThan(scheduler.stats(for: zero)!.skipped, 0)
        XCTAssertTrue(StrategyScheduler.isEligible(targetPeers: -1, peerCount: 1_000))
        XCTAssertFalse(StrategyScheduler.isEligible(targetPeers: 0, peerCount: 0))
        XCTAssertFalse(StrategyScheduler.isEligible(targetPeers: -5, peerCount: 0))
        XCTAssertTrue(StrategyScheduler.isEligible(targetPeers: 1, peerCount: 0))
    }

    func testAddAndRemoveWhileRunningIncludingFromInsideAStep() throws {
        let service = node.service
        let scheduler = StrategyScheduler(settings: .init(walkInterval: .seconds(0.1)), clock: service.clock, logger: service.logger)
        let a = strategy("a"), b = strategy("b"), c = strategy("c")
        scheduler.addStrategy(a, targetPeers: -1)
        let timer = SchedulerTimer(scheduler: scheduler, loop: loop)
        timer.start()
        defer { timer.stop() }
        drive(loop) { order.count >= 2 }
        XCTAssertEqual(Set(order), ["a"])

        scheduler.addStrategy(b, targetPeers: -1)
        scheduler.addStrategy(c, targetPeers: -1)
        XCTAssertEqual(scheduler.tickPeriod.seconds, 0.1 / 3, accuracy: 1e-9)
        drive(loop) { scheduler.stepsTaken(by: b) >= 2 && scheduler.stepsTaken(by: c) >= 2 }

        // b removes itself during its own step.
        b.body = { [unowned scheduler, unowned b] in scheduler.removeStrategy(b) }
        drive(loop) { scheduler.stats(for: b) == nil }
        order = []
        drive(loop) { order.count >= 4 }
        XCTAssertFalse(order.contains("b"))
        XCTAssertEqual(Set(order), ["a", "c"])
        XCTAssertEqual(scheduler.tickPeriod.seconds, 0.05, accuracy: 1e-9)

        scheduler.removeStrategies(of: node.community)
        XCTAssertTrue(scheduler.strategies.isEmpty)
        order = []
        loop.run(for: .milliseconds(150))
        XCTAssertEqual(order, [])
    }

    func testTickReturnsTheDelayUntilTheNextTick() {
        let scheduler = manualScheduler()
        XCTAssertEqual(scheduler.tick(), .milliseconds(500), "no strategy: one walk interval")
        let a = strategy("a"), b = strategy("b")
        scheduler.addStrategy(a, targetPeers: -1)
        scheduler.addStrategy(b, targetPeers: 2)
        XCTAssertEqual(scheduler.tick(), .milliseconds(250), "two eligible strategies share the interval")
        b.fakePeerCount = 2
        XCTAssertEqual(scheduler.tick(), .milliseconds(500), "b at its target: a alone")
    }

    func testAThrowingStepIsCountedAndTheScheduleGoesOn() {
        let scheduler = manualScheduler()
        let bad = strategy("bad"), good = strategy("good")
        bad.body = { throw StepFailed() }
        scheduler.addStrategy(bad, targetPeers: -1)
        scheduler.addStrategy(good, targetPeers: -1)
        for _ in 0..<6 { scheduler.tick() }
        XCTAssertEqual(scheduler.stats(for: bad)?.failures, 3)
        XCTAssertEqual(scheduler.stats(for: bad)?.stepsTaken, 3)
        XCTAssertEqual(scheduler.stepsTaken(by: good), 3)
    }

    func testAStepLongerThanItsSlotIsAnOverrun() {
        let clock = ManualClock()
        let scheduler = manualScheduler(clock)
        let slow = strategy("slow"), quick = strategy("quick")
        slow.body = { clock.advance(by: 0.3) }      // slot = 0.5 / 2 = 0.25 s
        quick.body = { clock.advance(by: 0.01) }
        scheduler.addStrategy(slow, targetPeers: -1)
        scheduler.addStrategy(quick, targetPeers: -1)
        for _ in 0..<4 { scheduler.tick() }
        XCTAssertEqual(scheduler.overruns, 2)
        XCTAssertEqual(scheduler.stats(for: slow)?.overruns, 2)
        XCTAssertEqual(scheduler.stats(for: quick)?.overruns, 0)
    }
}
