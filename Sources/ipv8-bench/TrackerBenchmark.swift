import Foundation
import IPv8

/// Introduction requests a tracker answers per second, on 127.0.0.1: `ipv8-node tracker` against, in the
/// same run, a py-ipv8 node doing the tracker's work (Tests/Interop/pynode.py --tracker-mode: verify,
/// remember, introduce, sign), and, for a curve25519 tracker, against the raw verify+sign bound. The load
/// (``TrackerLoad``): `senders` sockets, each with its own source address (127.0.1.x) and key, in one
/// community, each request signed ahead of time, at most `window` unanswered at once.
///
/// The time is cut into `segments`; for a curve25519 tracker the bound is measured between them, while the
/// tracker idles, and each segment is compared with the mean of the bounds just before and just after it, so
/// that this machine's drifting speed moves both sides of a ratio alike. The tracker and the bound share CPU 0
/// and the load runs on CPU 1 (`CPUPinning`: each CPU drifts on its own). The ratios printed are the medians
/// over the segments. The bound verifies distinct requests and signs distinct messages, as the tracker does
/// (``CryptoBenchmark/verifySignBound(requests:)``).
struct TrackerBenchmark {
    var seconds = 5.0
    var segments = 20
    var senders = 16
    var window = 32
    var comparePyIPv8 = false
    /// The key kind `ipv8-node tracker` signs with (py-ipv8's trackers: very-low).
    var curve = "very-low"
    var python = ".venv/bin/python"
    var pynode = "Tests/Interop/pynode.py"

    /// Load a tracker that is already running (loopback only) instead of starting ours, e.g. to profile it.
    var existing: Address?

    func run() throws {
        if let existing {
            guard existing.isLoopback else { throw BenchError("--address must be on 127.0.0.0/8") }
            let load = try TrackerLoad(tracker: existing, senders: senders, window: window)
            defer { load.close() }
            report("tracker at \(existing)", load.run(seconds: seconds, trackerPID: 0))
            return
        }
        let ours = try BenchProcess.ourTracker(curve: curve)
        let ourResults: [TrackerLoad.Result]
        do {
            defer { ours.stop() }
            ourResults = try measure(ours, boundBetweenSegments: curve == "curve25519")
        }
        guard comparePyIPv8 else { return }
        let py = try BenchProcess.pyIPv8Tracker(python: python, pynode: pynode)
        defer { py.stop() }
        let pyResults = try measure(py, boundBetweenSegments: false)
        print("ratio (ours / py-ipv8): answered per second "
            + "\(format(TrackerLoad.Result.sum(ourResults).perSecond / TrackerLoad.Result.sum(pyResults).perSecond, digits: 2)), "
            + "per tracker CPU second "
            + "\(format(TrackerLoad.Result.sum(ourResults).perCPUSecond / TrackerLoad.Result.sum(pyResults).perCPUSecond, digits: 2))")
    }

    /// Loads `tracker` for `seconds` in `segments`, measuring the bound between them when asked; prints the
    /// total and, with the bound, each segment's ratios and their medians.
    private func measure(_ tracker: BenchProcess, boundBetweenSegments: Bool) throws -> [TrackerLoad.Result] {
        let load = try TrackerLoad(tracker: Address(127, 0, 0, 1, port: tracker.port), senders: senders, window: window)
        defer { load.close() }
        let segmentSeconds = seconds / Double(max(segments, 1))
        // The bound takes about a fifth of a segment (2,000 verify+sign pairs a second at about 10k/s), at least
        // 200 pairs and at most 2,000.
        let reference = CryptoBenchmark(operations: min(2_000, max(200, Int(segmentSeconds * 2_000))), rounds: 1)
        // The tracker on the first CPU, the load on the second, the bound on the tracker's CPU while it idles.
        let pinned = boundBetweenSegments && CPUPinning.online >= 2 && CPUPinning.pin(process: tracker.pid, to: 0)
            && CPUPinning.pinCallingThread(to: 1)
        let fixture = SignedPacketFixture()
        let distinctRequests = fixture.distinctRequests(), repeatedRequest = [fixture.packet]
        func bound(distinctInputs: Bool = true) throws -> Double {
            let requests = distinctInputs ? distinctRequests : repeatedRequest
            guard pinned else { return try reference.verifySignBound(requests: requests) }
            _ = CPUPinning.pinCallingThread(to: 0)
            defer { _ = CPUPinning.pinCallingThread(to: 1) }
            return try reference.verifySignBound(requests: requests)
        }
        if boundBetweenSegments {
            print(pinned ? "  tracker and bound on CPU 0, load on CPU 1"
                         : "  not pinned (one CPU, or the system refused): bound and tracker may run on different CPUs")
        }
        var bounds: [Double] = boundBetweenSegments ? [try bound()] : []
        var results: [TrackerLoad.Result] = []
        for _ in 0..<max(segments, 1) {
            results.append(load.run(seconds: segmentSeconds, trackerPID: tracker.pid))
            // Let the answers in flight come back, so that the bound is measured with the tracker idle.
            load.drain()
            if boundBetweenSegments { bounds.append(try bound()) }
        }
        // For comparison with earlier versions of this benchmark: the same request and message over and over,
        // against distinct ones, in alternating blocks.
        var repeatedOverDistinct: [Double] = []
        if boundBetweenSegments {
            for i in 0..<6 {   // which goes first alternates
                var repeated = 0.0, distinct = 0.0
                if i % 2 == 0 {
                    repeated = try bound(distinctInputs: false)
                    distinct = try bound()
                } else {
                    distinct = try bound()
                    repeated = try bound(distinctInputs: false)
                }
                repeatedOverDistinct.append(repeated / distinct)
            }
        }
        if pinned { _ = CPUPinning.unpinCallingThread() }
        report(tracker.name, TrackerLoad.Result.sum(results))
        guard boundBetweenSegments else { return results }
        var perSecond: [Double] = [], perCPU: [Double] = []
        for (i, r) in results.enumerated() {
            let bound = (bounds[i] + bounds[i + 1]) / 2
            perSecond.append(r.perSecond / bound)
            perCPU.append(r.perCPUSecond / bound)
            print("  segment \(i + 1): \(Int(r.perSecond)) answers/s, \(Int(r.perCPUSecond)) per tracker CPU second; "
                + "bound \(Int(bounds[i]))/s before, \(Int(bounds[i + 1]))/s after; ratios \(format(perSecond[i], digits: 2)), "
                + "\(format(perCPU[i], digits: 2))")
        }
        print("verify+sign bound (raw libsodium, one core, measured between segments): "
            + "\(Int(bounds.min() ?? 0))–\(Int(bounds.max() ?? 0))/s; ours / bound, medians of \(results.count) segments: "
            + "answered per second \(format(median(perSecond), digits: 2)), "
            + "per tracker CPU second \(format(median(perCPU), digits: 2)) (target >= 0.90)")
        // A tracker whose own code cost nothing would still pay the kernel's work: per CPU second it could reach
        // at most 1 − the kernel's share of its CPU time (with its signatures running at the bound's speed).
        let total = TrackerLoad.Result.sum(results)
        if total.cpuSeconds > 0 {
            let kernelShare = total.systemSeconds / total.cpuSeconds
            print("  the tracker spent \(format(kernelShare * 100)) % of its CPU in the kernel (UDP sends and receives, mostly): "
                + "a tracker whose own code cost nothing would read at most \(format(1 - kernelShare, digits: 2)) "
                + "per tracker CPU second on this machine")
        }
        print("  the bound verifies 1,024 distinct requests from 16 keys and signs distinct messages; on the same "
            + "request and message repeated it reads \(format(median(repeatedOverDistinct), digits: 3))× that "
            + "(median of 6 alternations: the CPU learns the branches of the variable-time verification)")
        return results
    }

    private func report(_ name: String, _ r: TrackerLoad.Result) {
        let cpu = r.cpuSeconds > 0
            ? ", \(Int(r.perCPUSecond)) per tracker CPU second (\(format(r.systemSeconds / r.cpuSeconds * 100)) % of it in the kernel)"
            : ""
        print("\(name): \(r.answered) of \(r.sent) requests answered in \(format(r.wallSeconds, digits: 2)) s → "
            + "\(Int(r.perSecond)) answers/s\(cpu)")
    }
}
