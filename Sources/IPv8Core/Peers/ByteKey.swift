/// A byte string used as a dictionary key (public key bins, mids), hashed in one call over its raw bytes
/// instead of element by element as `[UInt8]` does.
package struct ByteKey: Hashable {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
