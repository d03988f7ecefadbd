/// The 22 bytes every packet of a community starts with: a leading byte (`0x00`), a version byte and the
/// 20-byte community id.
///
/// One type serves both jobs: the structured view of the wire (``version``, ``communityID``) and the
/// dictionary key that ``PrefixRouter`` demultiplexes on. It stores the 22 bytes inline in four integers,
/// so reading it from a datagram and looking it up allocates nothing.
public struct CommunityPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The length of a prefix in bytes.
    public static let length = 22

    @usableFromInline let a: UInt64
    @usableFromInline let b: UInt64
    @usableFromInline let c: UInt32
    @usableFromInline let d: UInt16

    /// Reads the prefix from the first 22 bytes at `pointer`; the caller guarantees that they exist.
    @inlinable @inline(__always)
    public init(unsafeBytes pointer: UnsafeRawPointer) {
        a = pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        b = pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        d = pointer.loadUnaligned(fromByteOffset: 20, as: UInt16.self)
    }

    // Written out (not synthesized) and inlinable, so that the shell's per-datagram dictionary lookup in
    // `PrefixRouter.route` compiles to four compares and four hash combines, not cross-module calls.
    @inlinable
    public static func == (lhs: CommunityPrefix, rhs: CommunityPrefix) -> Bool {
        lhs.a == rhs.a && lhs.b == rhs.b && lhs.c == rhs.c && lhs.d == rhs.d
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(a)
        hasher.combine(b)
        hasher.combine(c)
        hasher.combine(d)
    }

    /// The prefix `leadingByte ‖ version ‖ communityID` (`0x00`, `0x02` for every built-in community).
    public init(communityID: CommunityID, version: UInt8 = 0x02, leadingByte: UInt8 = 0x00) {
        var raw = [UInt8](repeating: 0, count: Self.length)
        raw[0] = leadingByte
        raw[1] = version
        withUnsafeBytes(of: communityID.storage) { id in
            for i in 0..<CommunityID.length { raw[2 + i] = id[i] }
        }
        self = raw.withUnsafeBytes { CommunityPrefix(unsafeBytes: $0.baseAddress!) }
    }

    /// The prefix from exactly 22 bytes; `nil` for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == Self.length else { return nil }
        let raw = Array(bytes)
        self = raw.withUnsafeBytes { CommunityPrefix(unsafeBytes: $0.baseAddress!) }
    }

    /// Reads the first 22 bytes of `buffer`; `nil` when it is shorter.
    public init?(reading buffer: UnsafeRawBufferPointer) {
        guard buffer.count >= Self.length, let base = buffer.baseAddress else { return nil }
        self.init(unsafeBytes: base)
    }

    /// The 22 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: self) { Array($0.prefix(Self.length)) }
    }

    /// The first byte, `0x00` for every py-ipv8 community (kept so that any prefix can be described).
    public var leadingByte: UInt8 { bytes[0] }
    /// The version byte.
    public var version: UInt8 { bytes[1] }
    /// The community id.
    public var communityID: CommunityID { CommunityID(bytes: bytes[2...])! }

    /// Appends the 22 bytes.
    public func encode(into packer: inout Packer) {
        withUnsafeBytes(of: self) { packer.raw(UnsafeRawBufferPointer(rebasing: $0.prefix(Self.length))) }
    }

    /// Lower-case hex, 44 digits.
    public var hex: String { hexString(bytes) }

    public var description: String { hex }
}
