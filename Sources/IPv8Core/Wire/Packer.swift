/// Appends big-endian fields to a growable byte buffer: the encoding half of py-ipv8's serializer.
///
/// Fields are written one after another with no alignment or padding, exactly as py-ipv8's
/// `Serializer.pack_serializable` does. `Packer` never fails: every value it accepts has an encoding
/// (see `varlenH` for the one precondition). It is a plain struct over `[UInt8]`; reserve enough
/// capacity up front (``init(capacity:)``) and a whole packet costs one allocation.
public struct Packer: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]

    /// An empty packer whose buffer can hold `capacity` bytes without growing.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Appends one byte (`B`).
    public mutating func u8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a big-endian `UInt16` (`H`).
    public mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a big-endian `UInt32` (`I`).
    public mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a big-endian `UInt64` (`Q`).
    public mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a big-endian two's-complement `Int64` (`q`, also py-ipv8's dataclass `int`).
    public mutating func i64(_ value: Int64) {
        u64(UInt64(bitPattern: value))
    }

    /// Appends raw bytes with no length (`raw`, `20s`, …).
    public mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// Appends raw bytes from a buffer with no length.
    public mutating func raw(_ data: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: data)
    }

    /// Appends a u16 byte length followed by the bytes (`varlenH`).
    ///
    /// - Precondition: `data.count <= 65535`. A longer value has no `varlenH` encoding (py-ipv8 raises);
    ///   passing one is a programming error.
    public mutating func varlenH<C: Collection>(_ data: C) where C.Element == UInt8 {
        precondition(data.count <= Int(UInt16.max), "varlenH value of \(data.count) bytes exceeds 65535")
        u16(UInt16(data.count))
        bytes.append(contentsOf: data)
    }

    /// Appends eight flags as one byte, first flag in the MSB (`bits`).
    public mutating func bits(_ flags: Bits8) {
        bytes.append(flags.rawValue)
    }

    /// Appends the bytes of another packer.
    public mutating func append(_ other: Packer) {
        bytes.append(contentsOf: other.bytes)
    }

    /// Appends `count` zero bytes and lets `body` fill them in place (used for signatures, so a signed
    /// packet needs no second buffer). `body` gets the whole buffer and the offset of the new bytes.
    mutating func appendInPlace(_ count: Int, _ body: (UnsafeMutableRawBufferPointer, Int) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { body($0, start) }
    }
}
