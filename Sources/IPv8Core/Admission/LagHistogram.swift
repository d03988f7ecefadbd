#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How late timers fire (py-ipv8's asyncio "drift"), as a histogram: buckets grow by a factor 2^(1/4) from
/// 1 µs, so a quantile (a bucket's upper bound) errs upwards by at most 19 %; the last bucket holds anything
/// from about 16 s. Only the buckets from the lowest to the highest one used are kept (4 bytes each, at most
/// 97): a timer's lateness spans a few neighbouring buckets, and an empty histogram allocates nothing (all 97
/// took 0.4 KiB per node of a 1,000-node swarm).
public struct LagHistogram: Sendable, Equatable {
    private static let bucketCount = 97
    /// Buckets `firstBucket ..< firstBucket + buckets.count`; empty before the first sample.
    private var buckets: [UInt32] = []
    private var firstBucket = 0
    /// Samples recorded.
    public private(set) var count: UInt64 = 0
    /// The largest sample, in seconds.
    public private(set) var worst: Double = 0

    /// An empty histogram.
    public init() {}

    /// Records a lateness of `seconds` (negative counts as zero).
    public mutating func record(_ seconds: Double) {
        guard seconds.isFinite else { return }
        let s = max(seconds, 0)
        count &+= 1
        worst = max(worst, s)
        let micros = s * 1e6
        let i = micros < 1 ? 0 : min(Self.bucketCount - 1, Int(4 * log2(micros)) + 1)
        if buckets.isEmpty {
            firstBucket = i
            buckets = [0]
        } else if i < firstBucket || i >= firstBucket + buckets.count {
            widen(to: i)
        }
        buckets[i - firstBucket] &+= 1
    }

    /// Makes the kept buckets reach bucket `i`, in an array of exactly the size needed (appending would leave up
    /// to as much again unused; the range widens at most 96 times in a histogram's life).
    private mutating func widen(to i: Int) {
        let first = min(firstBucket, i)
        var wider = [UInt32](repeating: 0, count: max(firstBucket + buckets.count, i + 1) - first)
        for (offset, n) in buckets.enumerated() { wider[firstBucket - first + offset] = n }
        buckets = wider
        firstBucket = first
    }

    /// The `q` quantile (0…1) in seconds; 0 with no samples.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = UInt64((Double(count) * min(max(q, 0), 1)).rounded(.up))
        var seen: UInt64 = 0
        for (offset, n) in buckets.enumerated() {
            let i = firstBucket + offset
            seen += UInt64(n)
            if seen >= rank {
                if i == Self.bucketCount - 1 { return worst }
                return i == 0 ? 1e-6 : min(worst, pow(2, Double(i) / 4) * 1e-6)
            }
        }
        return worst
    }

    /// Forgets every sample.
    public mutating func reset() { self = LagHistogram() }
}
