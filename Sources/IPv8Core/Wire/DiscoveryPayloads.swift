/// DiscoveryCommunity message 1, similarity request (signed): `u16 identifier ‖ ipv4 lan ‖ ipv4 wan ‖
/// flags ‖ raw: concatenated 20-byte community ids` (spec §6.4).
///
/// Flags: `0x80`/`0x40` connection type, the other six unused (py-ipv8 sends `0x00`). The preference
/// list must be a whole number of 20-byte ids; py-ipv8 would keep a short last piece, this decoder
/// throws ``WireError/badLength(field:offset:length:unit:)``.
public struct SimilarityRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 1

    /// py-ipv8 sends `global time mod 65536`.
    public var identifier: UInt16
    /// The sender's LAN address as it believes it to be (`ipv4`).
    public var lanAddress: Address
    /// The sender's WAN address as it believes it to be (`ipv4`).
    public var wanAddress: Address
    /// The sender's connection type, in flag bits `0x80`/`0x40`.
    public var connectionType: ConnectionType
    /// The ids of the sender's overlays that use the key this request is signed with.
    public var preferenceList: [CommunityID]

    /// A similarity request; the connection type defaults to `unknown`.
    public init(identifier: UInt16, lanAddress: Address, wanAddress: Address,
                connectionType: ConnectionType = .unknown, preferenceList: [CommunityID]) {
        self.identifier = identifier
        self.lanAddress = lanAddress
        self.wanAddress = wanAddress
        self.connectionType = connectionType
        self.preferenceList = preferenceList
    }

    public func encode(into packer: inout Packer) {
        packer.u16(identifier)
        packer.ipv4(lanAddress)
        packer.ipv4(wanAddress)
        let ct = connectionType.bits
        packer.bits(Bits8(ct.0, ct.1, false, false, false, false, false, false))
        for id in preferenceList { id.encode(into: &packer) }
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u16("identifier")
        lanAddress = try unpacker.ipv4("lan_address")
        wanAddress = try unpacker.ipv4("wan_address")
        let f = try unpacker.bits("flags")
        connectionType = ConnectionType(bit0: f[0], bit1: f[1])
        let listOffset = unpacker.offset
        let raw = unpacker.remaining()
        guard raw.count % CommunityID.length == 0 else {
            throw .badLength(field: "preference_list", offset: listOffset, length: raw.count, unit: CommunityID.length)
        }
        preferenceList = CommunityID.list(from: raw)
    }
}

/// DiscoveryCommunity message 2, similarity response (signed): `u16 identifier ‖ u16 N ‖ N × 20-byte id
/// ‖ raw: M × (20-byte id ‖ u32)` (spec §6.4; py-ipv8 always sends M = 0).
public struct SimilarityResponsePayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 2

    /// Echo of the request's identifier.
    public var identifier: UInt16
    /// The ids of the responder's overlays that use the key this response is signed with (a u16 count, then
    /// 20 bytes each).
    public var preferenceList: [CommunityID]
    /// Legacy "taste buddy overlap" pairs; empty when sent by py-ipv8.
    public var tasteBuddyOverlap: [Overlap]

    /// One legacy overlap entry: a community id and a count.
    public struct Overlap: Hashable, Sendable {
        /// The community id (20 bytes).
        public var communityID: CommunityID
        /// The overlap count (big-endian u32).
        public var value: UInt32
        /// An overlap entry for `communityID` with count `value`.
        public init(communityID: CommunityID, value: UInt32) {
            self.communityID = communityID
            self.value = value
        }
    }

    /// A similarity response echoing `identifier`; no overlap pairs by default, as py-ipv8 sends.
    public init(identifier: UInt16, preferenceList: [CommunityID], tasteBuddyOverlap: [Overlap] = []) {
        self.identifier = identifier
        self.preferenceList = preferenceList
        self.tasteBuddyOverlap = tasteBuddyOverlap
    }

    /// Encodes at most 65535 preference ids (the u16 count's limit); any beyond are dropped.
    public func encode(into packer: inout Packer) {
        packer.u16(identifier)
        let ids = preferenceList.prefix(Int(UInt16.max))
        packer.u16(UInt16(ids.count))
        for id in ids { id.encode(into: &packer) }
        for o in tasteBuddyOverlap {
            o.communityID.encode(into: &packer)
            packer.u32(o.value)
        }
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u16("identifier")
        let count = Int(try unpacker.u16("preference_list"))
        let list = try unpacker.bytes(count * CommunityID.length, "preference_list")
        preferenceList = CommunityID.list(from: list)
        let overlapOffset = unpacker.offset
        let raw = unpacker.remaining()
        guard raw.count % 24 == 0 else {
            throw .badLength(field: "tb_overlap", offset: overlapOffset, length: raw.count, unit: 24)
        }
        var overlap: [Overlap] = []
        overlap.reserveCapacity(raw.count / 24)
        var at = 0
        while at < raw.count {
            let id = CommunityID(unchecked: UnsafeRawBufferPointer(rebasing: raw[at..<at + 20]))
            let value = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at + 20, as: UInt32.self))
            overlap.append(Overlap(communityID: id, value: value))
            at += 24
        }
        tasteBuddyOverlap = overlap
    }
}

/// DiscoveryCommunity message 3, ping (sent unsigned): `u16 identifier`.
public struct PingPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 3

    /// py-ipv8 sends `global time mod 65536`.
    public var identifier: UInt16

    /// A ping with `identifier`.
    public init(identifier: UInt16) {
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u16("identifier")
    }
}

/// DiscoveryCommunity message 4, pong (sent unsigned): `u16 identifier`, the ping's echoed.
public struct PongPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 4

    /// The identifier of the ping being answered, echoed.
    public var identifier: UInt16

    /// A pong echoing the ping's `identifier`.
    public init(identifier: UInt16) {
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u16("identifier")
    }
}

extension CommunityID {
    /// Appends the 20 bytes.
    public func encode(into packer: inout Packer) {
        withUnsafeBytes(of: storage) { packer.raw($0) }
    }

    /// Cuts `raw` (a whole number of 20-byte pieces) into ids.
    static func list(from raw: UnsafeRawBufferPointer) -> [CommunityID] {
        var ids: [CommunityID] = []
        ids.reserveCapacity(raw.count / length)
        var at = 0
        while at + length <= raw.count {
            ids.append(CommunityID(unchecked: UnsafeRawBufferPointer(rebasing: raw[at..<at + length])))
            at += length
        }
        return ids
    }
}
