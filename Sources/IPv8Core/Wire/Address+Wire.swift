/// The two address encodings of spec §6.3: `ipv4` (6 bytes) and `ip_address` (type byte + 4 or 16 + port).
extension Packer {
    /// Appends `address` in the 6-byte `ipv4` format: 4 address bytes, u16 port.
    ///
    /// The format cannot carry IPv6. An IPv6 address here is written as `0.0.0.0:0` (py-ipv8 would raise
    /// instead); callers choose the new-style (`ip_address`) messages for IPv6 peers, as py-ipv8 does.
    public mutating func ipv4(_ address: Address) {
        guard case .v4(let ip) = address.host else {
            u32(0)
            u16(0)
            return
        }
        u32(ip)
        u16(address.port)
    }

    /// Appends `address` in the typed `ip_address` format: `0x01` ‖ 4 bytes ‖ u16 port, or
    /// `0x03` ‖ 16 bytes ‖ u16 port.
    public mutating func ipAddress(_ address: Address) {
        switch address.host {
        case .v4(let ip):
            u8(0x01)
            u32(ip)
        case .v6(let hi, let lo):
            u8(0x03)
            u64(hi)
            u64(lo)
        }
        u16(address.port)
    }
}

extension Unpacker {
    /// Reads a 6-byte `ipv4` address.
    public mutating func ipv4(_ field: StaticString = "ipv4") throws(WireError) -> Address {
        let ip = try u32(field)
        let port = try u16(field)
        return Address(host: .v4(ip), port: port)
    }

    /// Reads a typed `ip_address`; any type byte other than `0x01`/`0x03` throws
    /// ``WireError/badAddressType(field:offset:type:)``. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
    /// is read as the IPv4 address it maps, so that an IPv4 host is an IPv4 address everywhere (peers,
    /// walkable addresses, REST), as py-ipv8 ≥ 3.2 requires.
    public mutating func ipAddress(_ field: StaticString = "ip_address") throws(WireError) -> Address {
        let typeOffset = offset
        let type = try u8(field)
        switch type {
        case 0x01:
            let ip = try u32(field)
            return Address(host: .v4(ip), port: try u16(field))
        case 0x03:
            let hi = try u64(field)
            let lo = try u64(field)
            return Address(host: .ipv6(hi, lo), port: try u16(field))
        default:
            throw .badAddressType(field: field.description, offset: typeOffset, type: type)
        }
    }

    /// Reads the `address` format (snapshots, DHT): an `ip_address`, or type `0x02`, a domain name
    /// (`u16 length ‖ UTF-8 host ‖ u16 port`), which is skipped and returned as `nil` because ``Address``
    /// holds IP addresses only.
    public mutating func addressOrDomain(_ field: StaticString = "address") throws(WireError) -> Address? {
        guard offset < end, buffer[offset] == 0x02 else { return try ipAddress(field) }
        _ = try u8(field)
        let length = try u16(field)
        _ = try bytes(Int(length), field)
        _ = try u16(field)
        return nil
    }
}
