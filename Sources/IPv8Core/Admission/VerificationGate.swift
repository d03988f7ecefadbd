#if canImport(Glibc)
import Glibc
#endif

/// Decides, before any signature check, which signed datagrams a node verifies, so that one flooding
/// address cannot starve the others, and drops exact repeats of a signed datagram.
///
/// Time is cut into windows (``Settings/window``). In each, verified datagrams (verifying, handling and
/// answering them) may use the whole window while the socket keeps up, and ``Settings/share`` of it while
/// datagrams back up in the kernel (``backlogProbe``), so that the rest keeps the socket drained. Each source host (the IP address; ports are free to vary) may use an equal
/// part of that budget, divided among the most sources seen in any window of the last
/// ``Settings/memory``: a lone busy source may use all of it, and once others show up (even one
/// request a second) it is held to its part, so that theirs find budget left. A source's first datagram in a
/// backlogged window may also spend ``Settings/newcomerShare`` of the window past what the window's other datagrams
/// had spent when it became backlogged, so that a host the busy sources have not yet made room for (a newcomer, or
/// one quiet for the whole memory) is not shed because they spent the window before it came. That part is first
/// come, first served: a flood from many source addresses, each new to the window, may spend it, and verification
/// then takes `share + newcomerShare` of a backlogged window (0.8 by default), not `share`. Once sources are hashed
/// into buckets (below), "new to the window" is per bucket. A source past its part is still
/// admitted while the socket keeps up (the probe is asked again, at most once a millisecond): shedding then would
/// refuse work the node has time for, as when the node shares its CPU and each verification takes longer in wall
/// time. What is spent is measured (the time each verification
/// takes), so the budget fits EC and Ed25519 keys alike. The first 32 source hosts active at once are counted
/// exactly, one slot each (16 bytes a host: a node that hears from few hosts, like every node of a swarm on one
/// machine, keeps no more); past that, sources are counted in a fixed table of ``Settings/buckets`` hashed buckets
/// (seeded per process), so memory stays bounded whatever the number of sources.
/// Shed datagrams cost a hash and a compare; they are counted, never verified.
///
/// One gate serves every community on an endpoint (``PrefixRouter/verificationGate``). Loop-confined.
public final class VerificationGate {
    /// How the gate meters verification: window length, budget share, per-source cap and duplicate memory.
    public struct Settings: Sendable, Equatable {
        /// The length of an accounting window. Default 100 ms.
        public var window: Duration
        /// The share of each window that verified datagrams may use in all while the socket is backlogged
        /// (``VerificationGate/backlogProbe``). Default 0.7: the rest keeps the socket drained under overload
        /// (shedding is cheap), so that other sources' datagrams reach the gate instead of overflowing the
        /// kernel's buffer. Without a backlog the whole window may go to verification. `.infinity` meters
        /// nothing (``unmetered``).
        public var share: Double
        /// An optional cap on verifications per second from any one source host. Default none.
        public var perSourceRate: Double?
        /// The part of a backlogged window, past ``share`` (or past what was spent when the window became
        /// backlogged, if more), that only a source's first datagram in that window may spend. Default 0.1; 0 turns
        /// it off; the window caps the sum (`share + newcomerShare` above 1 means the whole window). A window's budget
        /// is divided among the sources seen lately; a host that was not among them (a newcomer during a flood) has
        /// no part yet, and would find the budget spent by the others until the next window counts it. Datagrams of
        /// sources already seen in the window never spend this part, so with no newcomers verification still uses
        /// ``share`` of a backlogged window.
        public var newcomerShare: Double = 0.1
        /// How long a source that showed up keeps counting in the division of the budget. Default 2 s.
        public var memory: Duration
        /// Buckets sources are hashed into once more than 32 hosts are active at once. Default 4,096.
        public var buckets: Int
        /// Verified datagrams remembered to drop repeats of (by a hash of source host and signature).
        /// Default 8,192 (at most about 300 KiB, grown as datagrams come).
        public var duplicateMemory: Int
        /// How long a verified datagram counts as seen: the same bytes from the same host within it are a
        /// replay (or a network duplicate) and dropped; later ones are handled again (py-ipv8's `ez_send`
        /// of the same payload repeats its bytes). Default 2 s.
        public var duplicateWindow: Duration = .seconds(2)

        /// Settings with the given window, share, per-source cap, memory, bucket count and duplicate memory;
        /// the defaults are those documented on each property.
        public init(window: Duration = .milliseconds(100), share: Double = 0.7, perSourceRate: Double? = nil,
                    memory: Duration = .seconds(2), buckets: Int = 4_096, duplicateMemory: Int = 8_192) {
            self.memory = memory
            self.window = window
            self.share = share
            self.perSourceRate = perSourceRate
            self.buckets = buckets
            self.duplicateMemory = duplicateMemory
        }

        /// No budget and no per-source cap: every datagram is verified (repeats are still dropped). The
        /// simulated network's setting, where time is manual and CPU is not modelled, so runs repeat.
        public static var unmetered: Settings { Settings(share: .infinity) }

        /// Whether signatures are checked at all. Default true; false only for fuzzing the code behind
        /// the check (a forged datagram then counts as verified): never in a node.
        public var checksSignatures = true

        var isMetered: Bool { share.isFinite || perSourceRate != nil }
    }

    /// What the gate decided.
    public struct Counters: Sendable, Equatable {
        /// Datagrams let through to verification.
        public var admitted: UInt64 = 0
        /// Datagrams shed because their source had used its part of the budget.
        public var shed: UInt64 = 0
        /// Exact repeats of a signed datagram seen lately.
        public var duplicates: UInt64 = 0
        /// Accounting windows begun, and those begun with the socket backlogged (``backlogProbe``).
        public var windows: UInt64 = 0
        /// Accounting windows begun with the socket backlogged, or with no `backlogProbe` installed, or found
        /// backlogged when a source went past its part.
        public var backloggedWindows: UInt64 = 0
        /// Datagrams admitted although their source had used its part, because the socket kept up.
        public var admittedPastPart: UInt64 = 0
        /// First datagrams of a source in a backlogged window admitted on ``Settings/newcomerShare``, after the
        /// window's budget had been spent.
        public var admittedAsNewcomer: UInt64 = 0
        /// Counters that are all zero.
        public init() {}
    }

    /// The settings the gate was created with.
    public let settings: Settings
    /// What the gate has decided so far.
    public private(set) var counters = Counters()
    private let clock: () -> UInt64
    private let metered: Bool
    private let windowNs: UInt64
    private var budgetNs: UInt64
    /// Whether this window counts as backlogged (decided at its start, or later by ``stillBacklogged(_:)``).
    private var backlogged = true
    private var lastProbeNs: UInt64 = 0
    /// How often a source past its part may ask the probe again: 1 ms.
    private static let probeIntervalNs: UInt64 = 1_000_000
    private let backloggedBudgetNs: UInt64
    /// The newcomers' part of a window (``Settings/newcomerShare``).
    private let newcomerNs: UInt64
    /// What a source's first datagram in this window may find spent: in a backlogged window, the budget (or what was
    /// spent when the window became backlogged, if more) plus the newcomers' part, within the window.
    private var newcomerBudgetNs: UInt64 = 0
    private let perSourceCount: UInt32
    private let mask: Int
    /// Whether ``admit(_:)-(Address)`` was called yet.
    private var started = false
    /// While true, sources are counted exactly: slot `i` of `buckets` belongs to `hosts[i]` (the arrays
    /// grow with `hosts`: a node that hears from one host, like every node of a swarm on one machine, keeps one
    /// slot, not 32).
    private var exact = true
    private var hosts: [Address.Host] = []
    /// Source hosts counted exactly before the gate switches to hashed buckets.
    static let exactSources = 32
    private let seed = UInt64.random(in: 0...UInt64.max)
    private var windowStart: UInt64
    private var windowID: UInt32 = 1
    private var spentNs: UInt64 = 0
    private var activeNow = 0
    /// Sources seen in each of the last windows (a ring), and the most of them.
    private var activeHistory: [UInt32]
    private var historyNext = 0
    private var activeBefore = 0
    /// What a source slot (exact) or bucket (hashed) spent and was admitted in the window it last counted in.
    private struct Bucket {
        var spent: UInt64 = 0
        var count: UInt32 = 0
        var window: UInt32 = 0
    }
    /// The slots or buckets, one array of 16-byte entries (one allocation for a node that hears from one host).
    private var buckets: [Bucket] = []
    /// The verified datagrams remembered (key → when verified, ns).
    private var recent: RecentDatagrams
    private let duplicateWindowNs: UInt64
    private var openCharge: (bucket: Int, start: UInt64)?
    private var pendingKey: UInt64?

    /// Tells whether datagrams are backing up in the socket's receive queue (the kernel's buffer filling,
    /// or dropping). Asked once per window: while it says yes, or while there is no probe, verification
    /// may use ``Settings/share`` of the window; while it says no, all of it (no one waits behind). The
    /// UDP endpoint installs one reading the socket's queue; ``PrefixRouter`` hands it to a new gate.
    public var backlogProbe: (() -> Bool)?

    /// A gate reading monotonic nanoseconds from `clock` (default: `CLOCK_MONOTONIC`).
    public init(settings: Settings = Settings(), clock: @escaping () -> UInt64 = VerificationGate.monotonicNanoseconds) {
        self.settings = settings
        self.clock = clock
        metered = settings.isMetered
        let dw = settings.duplicateWindow.components
        duplicateWindowNs = UInt64(max(dw.seconds, 0)) * 1_000_000_000 + UInt64(max(dw.attoseconds, 0) / 1_000_000_000)
        let window = settings.window.components
        let ns = UInt64(window.seconds) * 1_000_000_000 + UInt64(window.attoseconds / 1_000_000_000)
        windowNs = ns
        backloggedBudgetNs = settings.share.isFinite ? UInt64(Double(ns) * min(max(settings.share, 0), 1)) : .max
        budgetNs = backloggedBudgetNs
        let newcomerShare = settings.newcomerShare.isNaN ? 0 : min(max(settings.newcomerShare, 0), 1)
        newcomerNs = UInt64(Double(ns) * newcomerShare)
        perSourceCount = settings.perSourceRate.map { UInt32(max(1, ($0 * Double(ns) / 1e9).rounded(.up))) } ?? .max
        var n = 1
        while n < max(settings.buckets, 1) { n <<= 1 }
        mask = n - 1
        let windows = max(1, Int((settings.memory / settings.window).rounded(.up)))
        activeHistory = [UInt32](repeating: 0, count: windows)
        recent = RecentDatagrams(capacity: settings.duplicateMemory)
        windowStart = metered ? clock() : 0
    }

    /// Whether a signed datagram from `source` may be verified now. Call ``charge(_:since:)`` after the
    /// verification with the time this returned in `startedAt`.
    public func admit(_ source: Address) -> (admitted: Bool, bucket: Int, startedAt: UInt64) {
        let now = clock()
        if now &- windowStart >= windowNs { roll(now) }
        if !started {   // the first window's budget is decided on first use
            started = true
            decideBudget(now)
        }
        let b = bucket(source)
        var newcomer = false
        if buckets[b].window != windowID {
            buckets[b] = Bucket(spent: 0, count: 0, window: windowID)
            activeNow += 1
            newcomer = true
        }
        let sources = UInt64(max(activeNow, activeBefore, 1))
        let cap = newcomer ? max(budgetNs, newcomerBudgetNs) : budgetNs
        guard spentNs < cap, buckets[b].count < perSourceCount else {
            counters.shed &+= 1
            return (false, b, now)
        }
        let onNewcomersPart = spentNs >= budgetNs
        if buckets[b].spent >= budgetNs / sources {
            guard !stillBacklogged(now) else {
                counters.shed &+= 1
                return (false, b, now)
            }
            counters.admittedPastPart &+= 1
        }
        if onNewcomersPart { counters.admittedAsNewcomer &+= 1 }
        counters.admitted &+= 1
        buckets[b].count &+= 1
        return (true, b, now)
    }

    /// Books the time one verification took against its source's bucket and the window.
    public func charge(_ bucket: Int, since start: UInt64) {
        let spent = clock() &- start
        buckets[bucket].spent &+= spent
        spentNs &+= spent
    }

    /// Whether a signed datagram may go on to decoding and verification.
    public enum Admission: Sendable, Equatable {
        /// It may be decoded and verified.
        case admitted
        /// Its source had used its part of the budget.
        case shed
        /// An exact repeat of a datagram verified lately.
        case duplicate
    }

    /// The first half of the guard, before anything is decoded: drop an exact repeat of a datagram
    /// verified lately, shed it when its source has used its part, else admit it. From here to
    /// ``finishCharge()`` (decoding, verifying, handling, answering) the time is booked against its source:
    /// call that when the datagram is done with. Then ``verify(_:)``.
    public func admit(_ view: SignedPacketView, from source: Address) -> Admission {
        let key = signatureKey(view.signature, source)
        if let seen = recent.verifiedAt(key) {
            if clock() &- seen < duplicateWindowNs {
                counters.duplicates &+= 1
                return .duplicate
            }
        }
        pendingKey = key
        guard metered else {
            counters.admitted &+= 1
            return .admitted
        }
        finishCharge()
        let (admitted, bucket, start) = admit(source)
        guard admitted else { return .shed }
        openCharge = (bucket, start)
        return .admitted
    }

    /// The second half: verifies the admitted datagram's signature, and remembers it when valid, so that
    /// a repeat is dropped unverified.
    public func verify(_ view: SignedPacketView) -> Bool {
        guard !settings.checksSignatures || view.verify() else { return false }
        if let key = pendingKey { remember(key) }
        pendingKey = nil
        return true
    }

    /// Both halves at once, for a datagram already decoded.
    public func check(_ view: SignedPacketView, from source: Address) -> Verdict {
        switch admit(view, from: source) {
        case .shed: return .shed
        case .duplicate: return .duplicate
        case .admitted: return verify(view) ? .valid : .invalid
        }
    }

    /// What ``check(_:from:)`` decided.
    public enum Verdict: Sendable, Equatable {
        /// `valid`: admitted and its signature checked out; `invalid`: admitted but its signature failed;
        /// `shed`: its source had used its part of the budget; `duplicate`: an exact repeat of a datagram verified
        /// lately.
        case valid, invalid, shed, duplicate
    }

    /// Books the time since the last admitted ``check(_:from:)`` against its source. Idempotent.
    public func finishCharge() {
        guard let (bucket, start) = openCharge else { return }
        openCharge = nil
        charge(bucket, since: start)
    }

    private func signatureKey(_ signature: UnsafeRawBufferPointer, _ source: Address) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(source.hostKey)
        hasher.combine(bytes: signature)
        let key = UInt64(bitPattern: Int64(hasher.finalize()))
        return key == 0 ? 1 : key
    }

    private func remember(_ key: UInt64) {
        // Whatever is older than the duplicate window is forgotten (a repeat of it is handled again anyway): a
        // node then remembers only its last window's datagrams, a few dozen in a swarm, instead of filling the
        // whole memory over time (2.2 KiB per node of a 1,000-node swarm).
        recent.remember(key, at: clock(), window: duplicateWindowNs)
    }

    private func roll(_ now: UInt64) {
        // Windows that passed with no datagram at all count as having no sources.
        let passed = min(Int((now &- windowStart) / windowNs), activeHistory.count)
        for i in 0..<passed {
            activeHistory[historyNext] = i == 0 ? UInt32(clamping: activeNow) : 0
            historyNext = (historyNext + 1) % activeHistory.count
        }
        activeBefore = Int(activeHistory.max() ?? 0)
        activeNow = 0
        spentNs = 0
        decideBudget(now)
        // Advanced by the windows that passed, so that a slot's window says how long ago its host counted.
        windowID &+= UInt32(min(max((now &- windowStart) / windowNs, 1), 1 << 20))
        if windowID == 0 { windowID = 1 }
        windowStart = now
    }

    /// The window's budget: all of it unless the socket is backlogged.
    private func decideBudget(_ now: UInt64) {
        backlogged = backlogProbe?() ?? true
        lastProbeNs = now
        budgetNs = backlogged || backloggedBudgetNs == .max ? backloggedBudgetNs : windowNs
        newcomerBudgetNs = backlogged ? newcomersCap(above: budgetNs) : 0
        counters.windows &+= 1
        if backlogged { counters.backloggedWindows &+= 1 }
    }

    /// Whether the socket is backlogged now, for a source past its part: asks the probe again when the last
    /// answer is more than a millisecond old; once backlogged, the window stays so, with its budget cut to
    /// ``Settings/share``.
    private func stillBacklogged(_ now: UInt64) -> Bool {
        guard !backlogged, now &- lastProbeNs >= Self.probeIntervalNs else { return backlogged }
        lastProbeNs = now
        if backlogProbe?() ?? true {
            backlogged = true
            if backloggedBudgetNs != .max { budgetNs = backloggedBudgetNs }
            // Known sources may have spent past the backlogged budget while the socket kept up: the newcomers'
            // part starts from what they spent.
            newcomerBudgetNs = newcomersCap(above: max(budgetNs, spentNs))
            counters.backloggedWindows &+= 1
        }
        return backlogged
    }

    /// `spent` plus the newcomers' part, within the window; unlimited for an unmetered budget.
    private func newcomersCap(above spent: UInt64) -> UInt64 {
        spent == .max ? .max : min(windowNs, spent + newcomerNs)
    }

    private func allocateBuckets(_ count: Int) {
        buckets = [Bucket](repeating: Bucket(), count: count)
    }

    /// How many verified datagrams the gate remembers now (to drop their repeats).
    var rememberedCount: Int { recent.count }

    /// The slots (exact) or buckets (hashed) the gate counts sources in now.
    var tableSize: Int { buckets.count }

    private func bucket(_ source: Address) -> Int {
        if exact {
            let host = source.hostKey
            if let slot = hosts.firstIndex(of: host) { return slot }
            if hosts.count < Self.exactSources {
                hosts.append(host)
                buckets.append(Bucket())
                return hosts.count - 1
            }
            // A slot whose host has not counted in any window of the memory may be taken over.
            let horizon = UInt32(activeHistory.count)
            if let slot = buckets.firstIndex(where: { windowID &- $0.window > horizon }) {
                hosts[slot] = host
                buckets[slot].window = 0
                return slot
            }
            // More hosts at once than slots: hashed buckets from now on (this window's shares start afresh).
            exact = false
            hosts = []
            allocateBuckets(mask + 1)
        }
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(source.hostKey)
        return hasher.finalize() & mask
    }

    /// `CLOCK_MONOTONIC` in nanoseconds.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

@available(*, unavailable)
extension VerificationGate: Sendable {}
