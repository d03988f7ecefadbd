/// A bounds-checked, non-copying big-endian reader over a borrowed buffer: the decoding half of
/// py-ipv8's serializer.
///
/// An `Unpacker` reads `buffer[offset..<end]`. It never copies unless asked (``byteArray(_:_:)``,
/// ``remainingArray()``), and it never traps: every read checks the bounds first and throws a
/// ``WireError`` naming the field and the absolute offset in `buffer`.
///
/// The buffer is borrowed. An `Unpacker`, and every `UnsafeRawBufferPointer` it returns, is valid only
/// while the memory it was made from is (typically: for the duration of a receive callback). Copy what
/// must outlive that.
///
/// **Strictness.** py-ipv8's var-length decoders (`varlenH` and friends) do not bounds-check: a length
/// that runs past the end yields a shorter slice and no error (spec §7, §14 item 20). This reader is
/// strict and throws ``WireError/truncated(field:offset:needed:available:)`` instead, so a packet whose
/// var-length field overruns is rejected here although py-ipv8 would accept it. Only garbage is affected:
/// py-ipv8 itself never produces such packets.
public struct Unpacker {
    /// The whole borrowed buffer (offsets in errors are relative to its start).
    public let buffer: UnsafeRawBufferPointer
    /// The position of the next read.
    public private(set) var offset: Int
    /// One past the last byte this reader may read (reads never cross it).
    public let end: Int

    /// A reader over `buffer[offset..<end]`; `end` defaults to `buffer.count`. Out-of-range values are
    /// clamped to the buffer, so construction never traps either.
    public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0, end: Int? = nil) {
        self.buffer = buffer
        let e = min(max(end ?? buffer.count, 0), buffer.count)
        self.end = e
        self.offset = min(max(offset, 0), e)
    }

    /// The number of bytes left to read.
    public var remainingCount: Int { end - offset }

    /// True when every byte up to `end` has been read.
    public var isAtEnd: Bool { offset == end }

    /// Claims `count` bytes for `field` and returns the offset where they start.
    @inline(__always)
    mutating func claim(_ count: Int, _ field: StaticString) throws(WireError) -> Int {
        guard count >= 0, count <= end - offset else {
            throw .truncated(field: field.description, offset: offset, needed: count, available: end - offset)
        }
        let start = offset
        offset += count
        return start
    }

    /// Reads one byte (`B`).
    public mutating func u8(_ field: StaticString = "u8") throws(WireError) -> UInt8 {
        let at = try claim(1, field)
        return buffer[at]
    }

    /// Reads a big-endian `UInt16` (`H`).
    public mutating func u16(_ field: StaticString = "u16") throws(WireError) -> UInt16 {
        let at = try claim(2, field)
        return UInt16(bigEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }

    /// Reads a big-endian `UInt32` (`I`).
    public mutating func u32(_ field: StaticString = "u32") throws(WireError) -> UInt32 {
        let at = try claim(4, field)
        return UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    /// Reads a big-endian `UInt64` (`Q`).
    public mutating func u64(_ field: StaticString = "u64") throws(WireError) -> UInt64 {
        let at = try claim(8, field)
        return UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// Reads a big-endian two's-complement `Int64` (`q`).
    public mutating func i64(_ field: StaticString = "i64") throws(WireError) -> Int64 {
        Int64(bitPattern: try u64(field))
    }

    /// Reads one byte of eight flags, first flag in the MSB (`bits`).
    public mutating func bits(_ field: StaticString = "flags") throws(WireError) -> Bits8 {
        Bits8(rawValue: try u8(field))
    }

    /// Returns a view of the next `count` bytes without copying (`20s`, `64s`, …).
    public mutating func bytes(_ count: Int, _ field: StaticString = "bytes") throws(WireError) -> UnsafeRawBufferPointer {
        let at = try claim(count, field)
        return UnsafeRawBufferPointer(rebasing: buffer[at..<at + count])
    }

    /// Copies the next `count` bytes into a new array.
    public mutating func byteArray(_ count: Int, _ field: StaticString = "bytes") throws(WireError) -> [UInt8] {
        Array(try bytes(count, field))
    }

    /// Reads a u16 length and returns a view of that many bytes (`varlenH`). Strict: a length past the
    /// end throws (py-ipv8 would silently truncate).
    public mutating func varlenH(_ field: StaticString = "varlenH") throws(WireError) -> UnsafeRawBufferPointer {
        let start = offset
        let length = Int(try u16(field))
        guard length <= end - offset else {
            let available = end - offset
            offset = start
            throw .truncated(field: field.description, offset: start + 2, needed: length, available: available)
        }
        return try bytes(length, field)
    }

    /// Returns a view of everything left and moves to the end (`raw`, which must be the last field).
    public mutating func remaining() -> UnsafeRawBufferPointer {
        let view = UnsafeRawBufferPointer(rebasing: buffer[offset..<end])
        offset = end
        return view
    }

    /// Copies everything left into a new array and moves to the end.
    public mutating func remainingArray() -> [UInt8] {
        Array(remaining())
    }

    /// Throws ``WireError/trailingBytes(offset:count:)`` unless every byte has been read (py-ipv8's
    /// `consume_all=True`).
    public func finish() throws(WireError) {
        guard offset == end else { throw .trailingBytes(offset: offset, count: end - offset) }
    }
}
