#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte string used as a dictionary key (public key bins, mids), hashed in one call over its raw bytes
/// instead of element by element as `[UInt8]` does, and compared with one `memcmp` (small maps find keys by
/// scanning, see `OrderedMap`, so equality is on the lookup path).
package struct ByteKey: Hashable {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    package static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.bytes.withUnsafeBytes { a in
            rhs.bytes.withUnsafeBytes { b in
                a.count == b.count && (a.count == 0 || a.baseAddress == b.baseAddress
                    || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }
}
