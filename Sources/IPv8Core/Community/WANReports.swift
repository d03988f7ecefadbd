/// Where the responders of our introduction requests saw us (the `destination_address` of their
/// responses, spec §5.8), the latest report of each of the last few responders, and what that says about
/// our connection. Bounded; loop-confined, like its community.
///
/// The estimate is ours alone: py-ipv8 3.2.1 always writes the connection type `"unknown"` (bits 0,0) and
/// reads nothing from it, so we write `"unknown"` too and expose the estimate only through the API
/// (``Community/connectionEstimate``) and `ipv8-node run`'s status line.
public struct WANReports: Sendable {
    /// What the reports say about our connection.
    public enum Estimate: String, Sendable, CaseIterable {
        /// No responder outside our LAN has reported yet.
        case unknown = "unknown"
        /// The responders see us at our own (bound) address: no NAT.
        case `public` = "public"
        /// The responders see us at another address, all at the same port: a NAT that keeps one mapping for
        /// every destination (Linux masquerade, as long as no port pair clashes).
        case nat = "NAT"
        /// Recent responders see us at different ports of one address: a NAT whose mapping depends on the
        /// destination (py-ipv8's word, `"symmetric-NAT"`).
        case symmetricNAT = "symmetric-NAT"
    }

    /// One responder's latest report.
    public struct Report: Equatable, Sendable {
        /// The responder's address.
        public var responder: Address
        /// Where it saw us.
        public var seen: Address
        /// When (the community's clock, seconds).
        public var at: Double
    }

    /// Responders remembered (default 8; the least recently heard gives way).
    public let capacity: Int
    /// How long a report counts for the symmetric-NAT test (default 30 s): an older one may predate a change
    /// of our mapping that its responder has not seen yet.
    public var window: Double = 30

    /// The latest report of each remembered responder, least recently heard first.
    public private(set) var reports: [Report] = []

    /// Reports of at most `capacity` responders (at least 1).
    public init(capacity: Int = 8) {
        self.capacity = max(capacity, 1)
    }

    /// Records that `responder` saw us at `seen` at time `now`. When a responder sees us somewhere else than
    /// it did before, our mapping changed: every other report predates the change and is dropped (a symmetric
    /// NAT gives each destination its own port, but keeps it).
    public mutating func record(seen: Address, by responder: Address, now: Double) {
        if let previous = reports.first(where: { $0.responder == responder }), previous.seen != seen {
            reports.removeAll()
        }
        reports.removeAll { $0.responder == responder }
        if reports.count >= capacity { reports.removeFirst() }
        reports.append(Report(responder: responder, seen: seen, at: now))
    }

    /// The estimate at `now`, for a node whose LAN address is `lan` on a machine whose own addresses are
    /// `ownHosts`: ``Estimate/public`` when the latest report is `lan` itself or one of `ownHosts` at
    /// `lan`'s port, ``Estimate/symmetricNAT`` when reports younger than ``window`` name one host at
    /// different ports, ``Estimate/nat`` otherwise, ``Estimate/unknown`` before any report.
    public func estimate(lan: Address, ownHosts: [Address.Host] = [], now: Double) -> Estimate {
        guard let latest = reports.last else { return .unknown }
        if latest.seen == lan || (latest.seen.port == lan.port && ownHosts.contains(latest.seen.host)) { return .public }
        let otherPortLately = reports.contains {
            now - $0.at <= window && $0.seen.host == latest.seen.host && $0.seen.port != latest.seen.port
        }
        return otherPortLately ? .symmetricNAT : .nat
    }
}
