/// A 20-byte mid (SHA-1 of a public key bin) stored inline, as a dictionary key: no heap allocation per
/// peer (a `[UInt8]` mid cost 64 bytes of heap per verified peer) and no SHA-1 per lookup.
package struct MidKey: Hashable {
    /// Bytes 0–7, 8–15 and 16–19 of the mid, big-endian.
    package let high: UInt64
    package let middle: UInt64
    package let low: UInt32

    /// The mid of a 20-byte `digest`; `nil` for any other length.
    package init?(_ digest: [UInt8]) {
        guard digest.count == 20 else { return nil }
        func word(_ range: Range<Int>) -> UInt64 { range.reduce(0) { $0 << 8 | UInt64(digest[$1]) } }
        high = word(0..<8)
        middle = word(8..<16)
        low = UInt32(word(16..<20))
    }

    /// The 20 bytes.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return out
    }
}
