/// The most recent ticks' lateness, as py-ipv8's drift measurement keeps it (`GET /asyncio/drift`): for each
/// tick, when it fired (Unix seconds) and how late against when it was due (seconds, never negative).
/// Holds at most ``capacity`` samples, oldest dropped first.
public struct DriftHistory: Sendable, Equatable {
    /// One tick: when it fired and how late it was.
    public struct Sample: Sendable, Equatable {
        /// When the tick fired, in Unix seconds.
        public var timestamp: Double
        /// How late the tick fired against when it was due, in seconds (never negative).
        public var drift: Double
    }

    /// Samples kept. py-ipv8 keeps 100.
    public let capacity: Int
    private var ring: [Sample] = []
    private var next = 0

    /// An empty history keeping at most `capacity` samples (default 100, like py-ipv8; must be positive).
    public init(capacity: Int = 100) {
        precondition(capacity > 0, "DriftHistory needs room for one sample")
        self.capacity = capacity
        ring.reserveCapacity(capacity)
    }

    /// Adds a tick that fired at `timestamp`, `lateness` seconds after it was due.
    public mutating func record(timestamp: Double, lateness: Double) {
        let sample = Sample(timestamp: timestamp, drift: max(0, lateness))
        if ring.count < capacity {
            ring.append(sample)
        } else {
            ring[next] = sample
        }
        next = (next + 1) % capacity
    }

    /// The samples, oldest first.
    public var samples: [Sample] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }
}
