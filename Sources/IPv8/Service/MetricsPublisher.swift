import CoreMetrics
import IPv8Core

/// Publishes a node's figures through swift-metrics (to whatever backend the host bootstrapped, e.g.
/// Prometheus) from a loop timer, so that the receive path pays nothing: every ``interval`` it reads the
/// counters the node keeps anyway and adds what changed since the last time.
///
/// Metrics (all prefixed `ipv8_`):
/// - counters `datagrams_received_total`, `datagrams_sent_total`, `bytes_received_total`, `bytes_sent_total`,
///   `send_errors_total`, `receive_errors_total`, `datagrams_sent_batched_total` (sent together with one
///   `sendmmsg` at the end of a receive batch), `sends_queued_total` (copied to wait for the socket);
/// - counter `drops_total` by `reason`: `too_short`, `unknown_prefix` (endpoint), `malformed`, `bad_signature`,
///   `shed`, `duplicate`, `unknown_message`, `deprecated_message`, `handler_error`, `puncture_refused`
///   (summed over communities);
/// - counter `messages_handled_total` by `community` (id hex) and `message_id`;
/// - gauges `peers` by `community`, `verified_peers`, and `loop_lag_seconds` by `quantile` (0.5, 0.99 of
///   the scheduler ticks since the status line last reset them).
///
/// Loop-confined: create and start it on the node's loop thread (or before the loop first runs).
public final class MetricsPublisher {
    /// How often figures are published. Default 1 s.
    public let interval: Duration
    private let service: IPv8Service
    private let factory: any MetricsFactory
    private var timer: LoopTimer?
    private var published: [String: Int64] = [:]
    private var counters: [String: Counter] = [:]
    private var gauges: [String: Gauge] = [:]

    /// A publisher of `service`'s figures into `factory` (by default the process's bootstrapped one).
    public init(service: IPv8Service, interval: Duration = .seconds(1), factory: any MetricsFactory = MetricsSystem.factory) {
        self.service = service
        self.interval = interval
        self.factory = factory
    }

    /// Publishes now, then every ``interval``. Idempotent.
    public func start() {
        guard timer == nil else { return }
        publish()
        let timer = service.loop.makeTimer { [weak self] in
            guard let self else { return }
            publish()
            self.timer?.rearm(after: interval)
        }
        timer.rearm(after: interval)
        self.timer = timer
    }

    /// Stops publishing (what was published stays). Idempotent.
    public func stop() {
        timer?.cancel()
        timer = nil
    }

    /// Reads the node's counters and publishes what changed since the last call.
    public func publish() {
        let e = service.endpoint.counters
        count("ipv8_datagrams_received_total", [], e.packetsIn)
        count("ipv8_datagrams_sent_total", [], e.packetsOut)
        count("ipv8_bytes_received_total", [], e.bytesIn)
        count("ipv8_bytes_sent_total", [], e.bytesOut)
        count("ipv8_send_errors_total", [], e.sendErrors)
        count("ipv8_receive_errors_total", [], e.receiveErrors)
        count("ipv8_datagrams_sent_batched_total", [], e.batchedSends)
        count("ipv8_sends_queued_total", [], e.queuedSends)
        count("ipv8_drops_total", [("reason", "too_short")], e.droppedTooShort)
        count("ipv8_drops_total", [("reason", "unknown_prefix")], e.droppedUnknownPrefix)
        let gate = service.endpoint.router.verificationGate.counters
        count("ipv8_gate_admitted_total", [], gate.admitted)
        count("ipv8_gate_admitted_past_part_total", [], gate.admittedPastPart)
        count("ipv8_gate_admitted_as_newcomer_total", [], gate.admittedAsNewcomer)
        count("ipv8_gate_backlogged_windows_total", [], gate.backloggedWindows)
        var drops: [String: Int] = [:]
        for overlay in service.overlays {
            let c = overlay.counters
            let id = overlay.communityID.hex
            for (reason, n) in [("malformed", c.malformed), ("bad_signature", c.badSignature), ("shed", c.shed),
                                ("duplicate", c.duplicates), ("unknown_message", c.unknownMessage),
                                ("deprecated_message", c.deprecatedMessage), ("handler_error", c.handlerErrors),
                                ("puncture_refused", c.punctureRequestsRefused)] {
                drops[reason, default: 0] += n
            }
            for (messageID, n) in c.handledByID.enumerated() where n > 0 {
                count("ipv8_messages_handled_total", [("community", id), ("message_id", String(messageID))], UInt64(n))
            }
            gauge("ipv8_peers", [("community", id)], Double(overlay.peerCount))
        }
        for (reason, n) in drops { count("ipv8_drops_total", [("reason", reason)], UInt64(n)) }
        gauge("ipv8_verified_peers", [], Double(service.network.verifiedPeerCount))
        let lag = service.schedulerTimer.lag
        gauge("ipv8_loop_lag_seconds", [("quantile", "0.5")], lag.quantile(0.5))
        gauge("ipv8_loop_lag_seconds", [("quantile", "0.99")], lag.quantile(0.99))
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.reduce(label) { $0 + "|" + $1.0 + "=" + $1.1 }
    }

    /// Adds `total` minus what was published for this series (counters never go down; a smaller total,
    /// e.g. a community unloaded and loaded again, starts the series over).
    private func count(_ label: String, _ dimensions: [(String, String)], _ total: UInt64) {
        let key = Self.key(label, dimensions)
        let now = Int64(clamping: total)
        let before = published[key] ?? 0
        let delta = now >= before ? now - before : now
        published[key] = now
        guard delta > 0 || counters[key] == nil else { return }
        let counter = counters[key] ?? Counter(label: label, dimensions: dimensions, factory: factory)
        counters[key] = counter
        if delta > 0 { counter.increment(by: delta) }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)], _ value: Double) {
        let key = Self.key(label, dimensions)
        let gauge = gauges[key] ?? Gauge(label: label, dimensions: dimensions, factory: factory)
        gauges[key] = gauge
        gauge.record(value)
    }
}
