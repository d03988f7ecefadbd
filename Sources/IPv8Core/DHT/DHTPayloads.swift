/// The DHT's messages (py-ipv8's `ipv8/dht/payload.py`), all sent signed without a global time
/// (`ez_send`): `prefix ‖ id ‖ varlenH key ‖ payload ‖ signature`. Every one starts with a `u32`
/// identifier that the answer echoes.

/// A DHT node as it travels in find and connect responses (py-ipv8's `NodePacker`): `ip_address ‖
/// varlenH public key bin`.
public struct DHTNodeEntry: WireCodable, Hashable, Sendable {
    /// Where the node was seen by the sender.
    public var address: Address
    /// The node's public key bin.
    public var publicKeyBin: [UInt8]

    /// An entry for the node with this key bin at this address.
    public init(address: Address, publicKeyBin: [UInt8]) {
        self.address = address
        self.publicKeyBin = publicKeyBin
    }

    public func encode(into packer: inout Packer) {
        packer.ipAddress(address)
        packer.varlenH(publicKeyBin)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        address = try unpacker.ipAddress("node.address")
        publicKeyBin = Array(try unpacker.varlenH("node.public_key"))
    }
}

extension Packer {
    /// py-ipv8's `node-list`: a `u8` count, then the entries. At most 255 entries are written.
    mutating func dhtNodeList(_ nodes: [DHTNodeEntry]) {
        let written = nodes.prefix(Int(UInt8.max))
        u8(UInt8(written.count))
        for node in written { node.encode(into: &self) }
    }

    /// py-ipv8's `varlenH-list`: a `u8` count, then each item as `varlenH`. At most 255 items are written.
    mutating func varlenHList(_ items: [[UInt8]]) {
        let written = items.prefix(Int(UInt8.max))
        u8(UInt8(written.count))
        for item in written { varlenH(item) }
    }
}

extension Unpacker {
    mutating func dhtNodeList(_ field: StaticString) throws(WireError) -> [DHTNodeEntry] {
        let count = Int(try u8(field))
        var nodes: [DHTNodeEntry] = []
        nodes.reserveCapacity(count)
        for _ in 0..<count { nodes.append(try DHTNodeEntry(from: &self)) }
        return nodes
    }

    mutating func varlenHList(_ field: StaticString) throws(WireError) -> [[UInt8]] {
        let count = Int(try u8(field))
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(Array(try varlenH(field))) }
        return items
    }
}

/// Message 1: a ping (`u32 identifier`).
public struct DHTPingRequest: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 1
    /// The number the response echoes.
    public var identifier: UInt32
    /// A ping with this identifier.
    public init(identifier: UInt32) { self.identifier = identifier }
    public func encode(into packer: inout Packer) { packer.u32(identifier) }
    public init(from unpacker: inout Unpacker) throws(WireError) { identifier = try unpacker.u32("identifier") }
}

/// Message 2: the answer to a ping (`u32 identifier`).
public struct DHTPingResponse: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 2
    /// The identifier of the ping answered.
    public var identifier: UInt32
    /// An answer to the ping with this identifier.
    public init(identifier: UInt32) { self.identifier = identifier }
    public func encode(into packer: inout Packer) { packer.u32(identifier) }
    public init(from unpacker: inout Unpacker) throws(WireError) { identifier = try unpacker.u32("identifier") }
}

/// Message 3: store values under a key (`u32 identifier ‖ 20s token ‖ 20s target ‖ varlenH-list values`).
public struct DHTStoreRequest: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 3
    /// The number the response echoes.
    public var identifier: UInt32
    /// The token the receiver gave us in a find response (proof that we receive at our address).
    public var token: [UInt8]
    /// The 20-byte key.
    public var target: [UInt8]
    /// The serialized values (``DHTValue``), each at most ``DHTCommunity/Settings/maxEntrySize`` bytes.
    public var values: [[UInt8]]

    /// A store request; `token` and `target` must be 20 bytes.
    public init(identifier: UInt32, token: [UInt8], target: [UInt8], values: [[UInt8]]) {
        self.identifier = identifier
        self.token = token
        self.target = target
        self.values = values
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.raw(token)
        packer.raw(target)
        packer.varlenHList(values)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        token = try unpacker.byteArray(20, "token")
        target = try unpacker.byteArray(20, "target")
        values = try unpacker.varlenHList("values")
    }
}

/// Message 4: the values were stored (`u32 identifier`).
public struct DHTStoreResponse: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 4
    /// The identifier of the store request answered.
    public var identifier: UInt32
    /// An answer to the store request with this identifier.
    public init(identifier: UInt32) { self.identifier = identifier }
    public func encode(into packer: inout Packer) { packer.u32(identifier) }
    public init(from unpacker: inout Unpacker) throws(WireError) { identifier = try unpacker.u32("identifier") }
}

/// Message 5: values (or the closest nodes) for a key (`u32 identifier ‖ ip_address lan_address ‖ 20s
/// target ‖ u32 offset ‖ ? force_nodes`).
public struct DHTFindRequest: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 5
    /// The number the response echoes (and the puncture request it causes).
    public var identifier: UInt32
    /// The requester's LAN address, for the puncture request sent to the closest node.
    public var lanAddress: Address
    /// The 20-byte key.
    public var target: [UInt8]
    /// The index of the first value wanted.
    public var offset: UInt32
    /// Nodes only, even when values are stored.
    public var forceNodes: Bool

    /// A find request; `target` must be 20 bytes.
    public init(identifier: UInt32, lanAddress: Address, target: [UInt8], offset: UInt32, forceNodes: Bool) {
        self.identifier = identifier
        self.lanAddress = lanAddress
        self.target = target
        self.offset = offset
        self.forceNodes = forceNodes
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.ipAddress(lanAddress)
        packer.raw(target)
        packer.u32(offset)
        packer.u8(forceNodes ? 1 : 0)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        lanAddress = try unpacker.ipAddress("lan_address")
        target = try unpacker.byteArray(20, "target")
        offset = try unpacker.u32("offset")
        forceNodes = try unpacker.u8("force_nodes") != 0
    }
}

/// Message 6: the answer to a find request (`u32 identifier ‖ 20s token ‖ varlenH-list values ‖
/// node-list nodes`).
public struct DHTFindResponse: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 6
    /// The identifier of the find request answered.
    public var identifier: UInt32
    /// A token the requester presents in later store requests to us.
    public var token: [UInt8]
    /// Stored values (serialized ``DHTValue``s), if any were asked for and found.
    public var values: [[UInt8]]
    /// The nodes closest to the target that we know, when no values are returned.
    public var nodes: [DHTNodeEntry]

    /// A find response; `token` must be 20 bytes.
    public init(identifier: UInt32, token: [UInt8], values: [[UInt8]], nodes: [DHTNodeEntry]) {
        self.identifier = identifier
        self.token = token
        self.values = values
        self.nodes = nodes
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.raw(token)
        packer.varlenHList(values)
        packer.dhtNodeList(nodes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        token = try unpacker.byteArray(20, "token")
        values = try unpacker.varlenHList("values")
        nodes = try unpacker.dhtNodeList("nodes")
    }
}

/// Message 7 (DHTDiscoveryCommunity): store the sender as reachable under its own mid (`u32 identifier ‖
/// 20s token ‖ 20s target`).
public struct DHTStorePeerRequest: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 7
    /// The number the response echoes.
    public var identifier: UInt32
    /// The token the receiver gave us in a find response.
    public var token: [UInt8]
    /// The key, which must be the sender's mid.
    public var target: [UInt8]

    /// A store-peer request; `token` and `target` must be 20 bytes.
    public init(identifier: UInt32, token: [UInt8], target: [UInt8]) {
        self.identifier = identifier
        self.token = token
        self.target = target
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.raw(token)
        packer.raw(target)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        token = try unpacker.byteArray(20, "token")
        target = try unpacker.byteArray(20, "target")
    }
}

/// Message 8 (DHTDiscoveryCommunity): the sender was stored (`u32 identifier`).
public struct DHTStorePeerResponse: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 8
    /// The identifier of the store-peer request answered.
    public var identifier: UInt32
    /// An answer to the store-peer request with this identifier.
    public init(identifier: UInt32) { self.identifier = identifier }
    public func encode(into packer: inout Packer) { packer.u32(identifier) }
    public init(from unpacker: inout Unpacker) throws(WireError) { identifier = try unpacker.u32("identifier") }
}

/// Message 9 (DHTDiscoveryCommunity): introduce us to the nodes stored under a mid (`u32 identifier ‖
/// ip_address lan_address ‖ 20s target`).
public struct DHTConnectPeerRequest: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 9
    /// The number the response echoes (and the puncture requests it causes).
    public var identifier: UInt32
    /// The requester's LAN address, for the puncture requests.
    public var lanAddress: Address
    /// The mid looked for.
    public var target: [UInt8]

    /// A connect-peer request; `target` must be 20 bytes.
    public init(identifier: UInt32, lanAddress: Address, target: [UInt8]) {
        self.identifier = identifier
        self.lanAddress = lanAddress
        self.target = target
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.ipAddress(lanAddress)
        packer.raw(target)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        lanAddress = try unpacker.ipAddress("lan_address")
        target = try unpacker.byteArray(20, "target")
    }
}

/// Message 10 (DHTDiscoveryCommunity): the nodes stored under the mid, each sent a puncture request
/// (`u32 identifier ‖ node-list nodes`).
public struct DHTConnectPeerResponse: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = 10
    /// The identifier of the connect-peer request answered.
    public var identifier: UInt32
    /// The nodes stored under the mid.
    public var nodes: [DHTNodeEntry]

    /// An answer to the connect-peer request with this identifier.
    public init(identifier: UInt32, nodes: [DHTNodeEntry]) {
        self.identifier = identifier
        self.nodes = nodes
    }

    public func encode(into packer: inout Packer) {
        packer.u32(identifier)
        packer.dhtNodeList(nodes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        identifier = try unpacker.u32("identifier")
        nodes = try unpacker.dhtNodeList("nodes")
    }
}
