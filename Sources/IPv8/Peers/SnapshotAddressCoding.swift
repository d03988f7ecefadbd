/// py-ipv8's `address` serializer format (spec §6.3), as used by snapshots:
/// `01 ‖ 4-byte IPv4 ‖ u16 port`, `03 ‖ 16-byte IPv6 ‖ u16 port`, or `02 ‖ u16 length ‖ UTF-8 host ‖ u16 port`.
enum SnapshotAddressCoding {
    /// The outcome of decoding one entry.
    enum Decoded {
        case address(Address)
        /// A well-formed domain-name entry, which ``Address`` cannot hold.
        case domain
    }

    static func encode(_ address: Address, into out: inout [UInt8]) {
        switch address.host {
        case .v4(let ip):
            out.append(0x01)
            appendBigEndian(ip, into: &out)
        case .v6(let hi, let lo):
            out.append(0x03)
            appendBigEndian(hi, into: &out)
            appendBigEndian(lo, into: &out)
        }
        appendBigEndian(address.port, into: &out)
    }

    /// Decodes the entry at `offset` and advances it; `nil` (offset unchanged) on any error.
    static func decode(_ bytes: [UInt8], at offset: inout Int) -> Decoded? {
        guard offset < bytes.count else { return nil }
        var cursor = offset + 1
        let result: Decoded
        switch bytes[offset] {
        case 0x01:
            guard let ip = read(bytes, &cursor, 4), let port = read(bytes, &cursor, 2) else { return nil }
            result = .address(Address(host: .v4(UInt32(ip)), port: UInt16(port)))
        case 0x03:
            guard let hi = read(bytes, &cursor, 8), let lo = read(bytes, &cursor, 8),
                  let port = read(bytes, &cursor, 2) else { return nil }
            result = .address(Address(host: .v6(hi, lo), port: UInt16(port)))
        case 0x02:
            guard let length = read(bytes, &cursor, 2), bytes.count - cursor >= Int(length) else { return nil }
            cursor += Int(length)
            guard read(bytes, &cursor, 2) != nil else { return nil }
            result = .domain
        default:
            return nil
        }
        offset = cursor
        return result
    }

    private static func read(_ bytes: [UInt8], _ cursor: inout Int, _ count: Int) -> UInt64? {
        guard bytes.count - cursor >= count else { return nil }
        var value: UInt64 = 0
        for i in cursor..<cursor + count { value = value << 8 | UInt64(bytes[i]) }
        cursor += count
        return value
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, into out: inout [UInt8]) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
