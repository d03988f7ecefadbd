import IPv8Core
import Logging

/// An in-memory internet with manual time (py-ipv8's `MockEndpoint` internet plus `deliver_messages`):
/// simulated endpoints attached at fake addresses, every send queued and delivered later, in a
/// deterministic order.
///
/// ```swift
/// let sim = SimulatedNetwork(seed: 1)
/// let a = try sim.attach(at: Address(127, 0, 0, 1, port: 8090))   // build a community on it
/// …
/// sim.deliverMessages()          // everything due now, until quiet
/// sim.advance(by: 10)            // ten simulated seconds: due strategy ticks and deliveries, in time order
/// ```
///
/// A send is queued with a delivery time of `now + latency`. ``deliverMessages(maxRounds:)`` hands out every
/// datagram due now, round after round (replies sent during a round are due in the next one when the
/// latency is 0), until nothing is due. ``advance(by:)`` moves the shared ``clock`` from event to event —
/// a delivery time, a timer of ``timers`` or the next tick of a driven `StrategyScheduler` (at the delay
/// its last `StrategyScheduler/tick()` returned) — so that a run is a pure function
/// of the seeds: the same seeds give the same run, bit for bit.
///
/// Knobs: ``latency``, ``dropProbability`` (drawn from the network's own seeded `RandomSource`, and only
/// when strictly between 0 and 1), ``partition(_:)``. A datagram to an address nobody is attached at is
/// counted (``SimulatedNetworkCounters/unknownDestination``), never a crash.
///
/// Not thread-safe: drive it from one thread, like an event loop.
public final class SimulatedNetwork {
    private struct Datagram {
        let bytes: [UInt8]
        let source: Address
        let destination: Address
        let due: Double
    }

    private final class Ticker {
        let scheduler: StrategyScheduler
        var next: Double
        init(_ scheduler: StrategyScheduler, next: Double) {
            self.scheduler = scheduler
            self.next = next
        }
    }

    /// Protocol logic's timers (ping timeouts, tasks), fired as simulated time passes them.
    public let timers: ManualTimerScheduler

    /// The time every node of the simulation reads.
    public let clock: ManualClock
    /// Seconds between a send and its delivery (0 by default: delivered by the next ``deliverMessages(maxRounds:)``).
    /// A change applies to later sends.
    public var latency: Double {
        didSet { precondition(latency >= 0, "latency must not be negative") }
    }
    /// The chance that a send is lost (0 by default). 1 loses everything.
    public var dropProbability: Double = 0
    /// What happened to the datagrams so far.
    public private(set) var counters = SimulatedNetworkCounters()
    /// Where the network logs (dropped rounds, unknown destinations at trace level).
    public let logger: Logger

    private let random: RandomSource
    private var endpoints: [Address: SimulatedEndpoint] = [:]
    private var group: [Address: Int] = [:]
    private var queue: [Datagram] = []
    private var head = 0
    private var tickers: [Ticker] = []
    /// The schedulers in `tickers`, so that driving 10,000 of them is not quadratic.
    private var driven: Set<ObjectIdentifier> = []

    /// Whether the simulated nodes sign and verify for real.
    public enum Signatures: Sendable {
        /// Real Ed25519 signatures, checked on arrival: what a node does. The default.
        case checked
        /// Stand-in signatures (a hash of the message in the signature's 64 bytes: every datagram keeps
        /// py-ipv8's layout and length) that no gate checks, for scale runs of protocol logic: several times
        /// faster, since signing and verifying are most of a datagram's cost. Nodes built by ``SimulatedNode``
        /// sign this way; a real node refuses what they send.
        case skipped
    }

    /// Whether nodes on this network sign and verify for real (``Signatures``).
    public let signatures: Signatures

    /// A network whose random drops come from `seed`, with its clock at `start` seconds.
    public init(seed: UInt64 = 0, start: Double = 0, latency: Double = 0, signatures: Signatures = .checked,
                logger: Logger = Logger(label: "ipv8.testing.simulation", factory: { _ in SwiftLogNoOpLogHandler() })) {
        precondition(latency >= 0, "latency must not be negative")
        self.signatures = signatures
        clock = ManualClock(start: start)
        timers = ManualTimerScheduler(clock: clock)
        random = RandomSource(seed: seed)
        self.latency = latency
        self.logger = logger
    }

    // MARK: Endpoints

    /// Attaches a new endpoint at `address`.
    /// - Throws: ``SimulatedNetworkError/addressInUse(_:)`` when an endpoint is attached there already.
    public func attach(at address: Address) throws -> SimulatedEndpoint {
        guard endpoints[address] == nil else { throw SimulatedNetworkError.addressInUse(address) }
        let endpoint = SimulatedEndpoint(address: address, network: self)
        if signatures == .skipped {
            var settings = VerificationGate.Settings.unmetered
            settings.checksSignatures = false
            endpoint.router.verificationGate = VerificationGate(settings: settings)
        }
        endpoints[address] = endpoint
        return endpoint
    }

    /// Detaches the endpoint at `address` (the node goes offline): datagrams to it count as unknown
    /// destinations from now on, its own later sends are ignored.
    public func detach(_ address: Address) {
        endpoints[address] = nil
    }

    /// The endpoint attached at `address`, if any.
    public func endpoint(at address: Address) -> SimulatedEndpoint? {
        endpoints[address]
    }

    // MARK: Partitions

    /// Splits the network: an address of one group cannot reach an address of another group, in either
    /// direction (datagrams are counted as ``SimulatedNetworkCounters/partitionDropped`` when sent).
    /// Addresses in no group reach everyone. Replaces any earlier partition.
    public func partition(_ groups: [[Address]]) {
        group = [:]
        for (index, members) in groups.enumerated() {
            for address in members { group[address] = index }
        }
    }

    /// Removes every partition.
    public func healPartitions() {
        group = [:]
    }

    /// Whether a datagram from `source` may reach `destination` under the current partition.
    public func canReach(from source: Address, to destination: Address) -> Bool {
        guard let a = group[source], let b = group[destination] else { return true }
        return a == b
    }

    // MARK: Sending and delivering

    /// The datagrams queued and not yet delivered or dropped.
    public var pendingCount: Int { queue.count - head }

    func enqueue(_ bytes: [UInt8], from source: Address, to destination: Address) {
        guard endpoints[source] != nil else { return }    // a detached endpoint is offline
        counters.sent += 1
        if dropProbability >= 1 || (dropProbability > 0 && random.unit() < dropProbability) {
            counters.randomlyDropped += 1
            return
        }
        guard canReach(from: source, to: destination) else {
            counters.partitionDropped += 1
            return
        }
        let datagram = Datagram(bytes: bytes, source: source, destination: destination, due: clock.now + latency)
        // Keep the queue ordered by due time, stable for equal times (appending is the common case).
        var index = queue.count
        while index > head, queue[index - 1].due > datagram.due { index -= 1 }
        queue.insert(datagram, at: index)
    }

    /// Delivers every datagram due now, in send order, round after round, until nothing is due (py-ipv8's
    /// `deliver_messages`). Messages sent while delivering are due in a later round when ``latency`` is 0.
    /// - Parameter maxRounds: the most rounds; a chatty protocol that never goes quiet stops here (logged).
    /// - Returns: the number of datagrams delivered.
    @discardableResult
    public func deliverMessages(maxRounds: Int = 1_000) -> Int {
        var delivered = 0
        var rounds = 0
        while head < queue.count, queue[head].due <= clock.now {
            guard rounds < maxRounds else {
                logger.warning("deliverMessages stopped after \(maxRounds) rounds with \(pendingCount) datagrams pending")
                break
            }
            rounds += 1
            var end = head
            while end < queue.count, queue[end].due <= clock.now { end += 1 }
            let batch = queue[head..<end]
            head = end
            for datagram in batch where deliver(datagram) { delivered += 1 }
            compact()
        }
        return delivered
    }

    private func deliver(_ datagram: Datagram) -> Bool {
        guard let endpoint = endpoints[datagram.destination] else {
            counters.unknownDestination += 1
            logger.trace("no endpoint at \(datagram.destination): datagram dropped")
            return false
        }
        guard endpoint.deliver(datagram.bytes, from: datagram.source) else {
            counters.noListener += 1
            return false
        }
        counters.delivered += 1
        return true
    }

    private func compact() {
        if head > 4_096, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

    // MARK: Time

    /// Ticks `scheduler` by hand as simulated time passes, each tick at the delay the previous one
    /// returned, starting one `StrategyScheduler/tickPeriod` from now. The scheduler must not also be started on a loop. Driven schedulers
    /// tick in the order they were added.
    public func drive(_ scheduler: StrategyScheduler) {
        guard driven.insert(ObjectIdentifier(scheduler)).inserted else { return }
        tickers.append(Ticker(scheduler, next: clock.now + scheduler.tickPeriod.seconds))
    }

    /// Stops ticking `scheduler`.
    public func stopDriving(_ scheduler: StrategyScheduler) {
        guard driven.remove(ObjectIdentifier(scheduler)) != nil else { return }
        tickers.removeAll { $0.scheduler === scheduler }
    }

    /// Moves time forward by `seconds`, event by event: at each delivery time or tick time (whichever is
    /// first), the clock jumps there, due datagrams are delivered, due timers fire, due schedulers tick, and
    /// their sends are delivered when due. Ends with the clock at exactly `now + seconds`.
    public func advance(by seconds: Double) {
        precondition(seconds >= 0, "cannot go back in time")
        let target = clock.now + seconds
        deliverMessages()
        while let next = nextEventTime(), next <= target {
            if next > clock.now { clock.now = next }
            deliverMessages()
            timers.fireDue()
            tickDue()
            deliverMessages()
        }
        clock.now = target
    }

    /// Advances in steps of `step` seconds until `condition` holds or `seconds` have passed.
    /// - Returns: whether the condition held.
    @discardableResult
    public func run(until condition: () -> Bool, within seconds: Double, step: Double = 0.5) -> Bool {
        precondition(step > 0, "step must be positive")
        let end = clock.now + seconds
        while !condition() {
            if clock.now >= end { return false }
            advance(by: min(step, end - clock.now))
        }
        return true
    }

    private func nextEventTime() -> Double? {
        var next: Double? = head < queue.count ? queue[head].due : nil
        for ticker in tickers where next == nil || ticker.next < next! { next = ticker.next }
        if let due = timers.nextDue, next == nil || due < next! { next = due }
        return next
    }

    private func tickDue() {
        let now = clock.now
        for ticker in tickers where ticker.next <= now {
            while ticker.next <= now {
                ticker.next += ticker.scheduler.tick().seconds
            }
        }
    }
}

/// Why a ``SimulatedNetwork`` refused a call.
public enum SimulatedNetworkError: Error, Equatable {
    /// An endpoint is attached at this address already.
    case addressInUse(Address)
}

extension SimulatedNetwork: TimerScheduler {
    /// A timer on ``timers``, fired as simulated time passes.
    @discardableResult
    public func schedule(after delay: Duration, repeating interval: Duration?,
                         _ callback: @escaping () -> Void) -> any ScheduledTimer {
        timers.schedule(after: delay, repeating: interval, callback)
    }
}
