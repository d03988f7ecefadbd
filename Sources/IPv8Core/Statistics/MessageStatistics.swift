/// Datagrams and bytes sent and received per community prefix and message id, for the prefixes it was
/// enabled for (py-ipv8's `StatisticsEndpoint`, which the REST API's `/overlays/statistics` reads).
///
/// Off by default: until a prefix is enabled, the endpoint pays one flag test per datagram
/// (``isRecording``). Memory is bounded by the enabled prefixes × 256 message ids. Loop-confined.
public final class MessageStatistics {
    /// One message id's figures (py-ipv8's `NetworkStat`). Times are Unix seconds, 0 until the first one.
    public struct Stat: Sendable, Equatable {
        /// The message id (the byte after the prefix).
        public var identifier: UInt8
        /// Datagrams sent (`numUp`) and received (`numDown`).
        public var numUp = 0, numDown = 0
        /// Bytes sent (`bytesUp`) and received (`bytesDown`), whole datagrams.
        public var bytesUp = 0, bytesDown = 0
        /// When the first datagram was sent (`firstMeasuredUp`) and received (`firstMeasuredDown`), in Unix
        /// seconds; 0 until then.
        public var firstMeasuredUp = 0.0, firstMeasuredDown = 0.0
        /// When the last datagram was sent (`lastMeasuredUp`) and received (`lastMeasuredDown`), in Unix
        /// seconds; 0 until then.
        public var lastMeasuredUp = 0.0, lastMeasuredDown = 0.0

        /// Empty figures for message id `identifier`.
        public init(identifier: UInt8) { self.identifier = identifier }
    }

    /// The sum over one prefix's message ids (py-ipv8's `get_aggregate_statistics`): `diffTime` is the
    /// time from the first datagram either way to the last.
    public struct Aggregate: Sendable, Equatable {
        /// Datagrams and bytes sent (`numUp`, `bytesUp`) and received (`numDown`, `bytesDown`), over all message ids.
        public var numUp = 0, numDown = 0, bytesUp = 0, bytesDown = 0
        /// Seconds from the first datagram either way to the last; 0 with none.
        public var diffTime = 0.0
        /// An aggregate that is all zero.
        public init() {}
    }

    private var tables: [CommunityPrefix: [UInt8: Stat]] = [:]

    /// Whether any prefix is enabled; the endpoint records nothing while false.
    public private(set) var isRecording = false

    /// Statistics with no prefix enabled: nothing is recorded until `setEnabled(_:for:)`.
    public init() {}

    /// Starts (or stops and forgets) recording for `prefix`.
    public func setEnabled(_ enabled: Bool, for prefix: CommunityPrefix) {
        if enabled {
            if tables[prefix] == nil { tables[prefix] = [:] }
        } else {
            tables.removeValue(forKey: prefix)
        }
        isRecording = !tables.isEmpty
    }

    /// Whether `prefix` is being recorded.
    public func isEnabled(for prefix: CommunityPrefix) -> Bool { tables[prefix] != nil }

    /// The figures of `prefix` by message id; empty when it is not enabled.
    public func statistics(for prefix: CommunityPrefix) -> [UInt8: Stat] { tables[prefix] ?? [:] }

    /// The figures of `prefix` summed over its message ids.
    public func aggregate(for prefix: CommunityPrefix) -> Aggregate {
        var sum = Aggregate()
        var first = 0.0, last = 0.0
        for stat in (tables[prefix] ?? [:]).values {
            sum.numUp += stat.numUp
            sum.numDown += stat.numDown
            sum.bytesUp += stat.bytesUp
            sum.bytesDown += stat.bytesDown
            for t in [stat.firstMeasuredUp, stat.firstMeasuredDown] where t > 0 { first = first == 0 ? t : min(first, t) }
            last = max(last, stat.lastMeasuredUp, stat.lastMeasuredDown)
        }
        sum.diffTime = last - first
        return sum
    }

    /// Counts a datagram sent (`up`) or received at Unix time `now`, when its prefix is enabled.
    public func record(_ datagram: UnsafeRawBufferPointer, up: Bool, now: Double) {
        guard datagram.count > CommunityPrefix.length, let base = datagram.baseAddress else { return }
        let prefix = CommunityPrefix(unsafeBytes: base)
        guard tables[prefix] != nil else { return }
        let id = datagram[CommunityPrefix.length]
        tables[prefix]![id, default: Stat(identifier: id)].add(bytes: datagram.count, up: up, now: now)
    }
}

extension MessageStatistics.Stat {
    mutating func add(bytes: Int, up: Bool, now: Double) {
        if up {
            numUp += 1
            bytesUp += bytes
            lastMeasuredUp = now
            if firstMeasuredUp == 0 { firstMeasuredUp = now }
        } else {
            numDown += 1
            bytesDown += bytes
            lastMeasuredDown = now
            if firstMeasuredDown == 0 { firstMeasuredDown = now }
        }
    }
}
