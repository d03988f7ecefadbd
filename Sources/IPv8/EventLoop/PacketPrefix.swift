/// The first 22 bytes of every IPv8 packet (`0x00`, version, 20-byte community id), as a fixed-size
/// hashable value, so that looking a community up by prefix allocates nothing.
public struct PacketPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The prefix length in bytes.
    public static let length = 22

    private let a: UInt64
    private let b: UInt64
    private let c: UInt32
    private let d: UInt16

    /// Reads the prefix from the first 22 bytes at `pointer` (the caller guarantees they exist).
    @inline(__always)
    public init(unsafeBytes pointer: UnsafeRawPointer) {
        a = pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        b = pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        d = pointer.loadUnaligned(fromByteOffset: 20, as: UInt16.self)
    }

    /// A prefix from exactly 22 bytes; `nil` for any other length.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        self = bytes.withUnsafeBytes { PacketPrefix(unsafeBytes: $0.baseAddress!) }
    }

    /// The prefix of a community: `0x00`, `version`, then the 20-byte community id. `nil` unless the id is
    /// 20 bytes long.
    public init?(communityID: [UInt8], version: UInt8 = 2) {
        guard communityID.count == 20 else { return nil }
        self.init([0, version] + communityID)
    }

    /// The 22 bytes.
    public var bytes: [UInt8] {
        var copy = self
        return withUnsafeBytes(of: &copy) { raw in
            Array(raw.prefix(Self.length))
        }
    }

    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
