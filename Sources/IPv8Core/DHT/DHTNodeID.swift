import CZlib

/// A 160-bit DHT node id or key, compared by XOR distance (Kademlia).
///
/// py-ipv8 derives a node's id from the address it is seen at and its mid (`calc_node_id`, after
/// BEP 42): the first 3 bytes of the CRC-32 of the masked IP (IPv4: `ip & 03.0f.3f.ff`; IPv6: the first
/// 8 bytes masked with `01 03 07 0f 1f 3f 7f ff`), then the first 17 bytes of the mid. Both sides compute
/// a node's id themselves, so the formula is part of the protocol.
public struct DHTNodeID: Hashable, Sendable, CustomStringConvertible {
    /// The 20 bytes, most significant first.
    public let bytes: [UInt8]

    /// The id with these 20 bytes; `nil` for another length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    /// The id of the node with `mid` seen at `address` (py-ipv8's `calc_node_id`).
    public init(address: Address, mid: [UInt8]) {
        let masked: [UInt8]
        switch address.host {
        case .v4(let ip):
            let octets = [UInt8(ip >> 24), UInt8(truncatingIfNeeded: ip >> 16), UInt8(truncatingIfNeeded: ip >> 8),
                          UInt8(truncatingIfNeeded: ip)]
            masked = zip(octets, [0x03, 0x0f, 0x3f, 0xff] as [UInt8]).map { $0 & $1 }
        case .v6(let hi, _):
            let octets = (0..<8).map { UInt8(truncatingIfNeeded: hi >> (56 - 8 * UInt64($0))) }
            masked = zip(octets, [0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff] as [UInt8]).map { $0 & $1 }
        }
        let crc = masked.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        bytes = [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8)]
            + mid.prefix(17)
    }

    /// The XOR of the two ids, as 20 bytes: compared lexicographically it orders distances.
    public func distance(to other: DHTNodeID) -> [UInt8] {
        zip(bytes, other.bytes).map { $0 ^ $1 }
    }

    /// True when `a` is strictly closer to this id than `b`.
    public func isCloser(_ a: DHTNodeID, than b: DHTNodeID) -> Bool {
        for i in 0..<20 {
            let da = a.bytes[i] ^ bytes[i], db = b.bytes[i] ^ bytes[i]
            if da != db { return da < db }
        }
        return false
    }

    /// Bit `index` (0 = the most significant bit of the first byte).
    public func bit(_ index: Int) -> Bool {
        bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// The id as 40 hex digits.
    public var hex: String { hexString(bytes) }

    public var description: String { hex }
}
