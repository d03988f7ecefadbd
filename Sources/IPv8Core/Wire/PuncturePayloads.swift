/// Message 250, the old-style puncture request (sent unsigned): `ipv4 lan_walker ‖ ipv4 wan_walker ‖
/// u16 identifier`.
///
/// py-ipv8 quirk (spec §5.7, §14 item 9): the "LAN walker" is the responder's own address as the
/// requester saw it, the "WAN walker" the requester's UDP source address.
public struct PunctureRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.punctureRequest

    /// What py-ipv8 calls the LAN walker: the introducer's own address as the requester saw it (`ipv4`).
    public var lanWalkerAddress: Address
    /// What py-ipv8 calls the WAN walker: the requester's UDP source address, which the receiver punctures
    /// towards (`ipv4`).
    public var wanWalkerAddress: Address
    /// The identifier of the introduction request that led to this, passed on into the puncture.
    public var identifier: UInt16

    /// A puncture request naming the two walker addresses.
    public init(lanWalkerAddress: Address, wanWalkerAddress: Address, identifier: UInt16) {
        self.lanWalkerAddress = lanWalkerAddress
        self.wanWalkerAddress = wanWalkerAddress
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.ipv4(lanWalkerAddress)
        packer.ipv4(wanWalkerAddress)
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        lanWalkerAddress = try unpacker.ipv4("lan_walker_address")
        wanWalkerAddress = try unpacker.ipv4("wan_walker_address")
        identifier = try unpacker.u16("identifier")
    }
}

/// Message 232, the new-style puncture request (sent unsigned): `ip_address lan_walker ‖ ip_address
/// wan_walker ‖ u16 identifier`.
public struct NewPunctureRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.newPunctureRequest

    /// What py-ipv8 calls the LAN walker: the introducer's own address as the requester saw it (`ip_address`).
    public var lanWalkerAddress: Address
    /// What py-ipv8 calls the WAN walker: the requester's UDP source address, which the receiver punctures
    /// towards (`ip_address`).
    public var wanWalkerAddress: Address
    /// The identifier of the introduction request that led to this, passed on into the puncture.
    public var identifier: UInt16

    /// A new-style puncture request naming the two walker addresses.
    public init(lanWalkerAddress: Address, wanWalkerAddress: Address, identifier: UInt16) {
        self.lanWalkerAddress = lanWalkerAddress
        self.wanWalkerAddress = wanWalkerAddress
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.ipAddress(lanWalkerAddress)
        packer.ipAddress(wanWalkerAddress)
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        lanWalkerAddress = try unpacker.ipAddress("lan_walker_address")
        wanWalkerAddress = try unpacker.ipAddress("wan_walker_address")
        identifier = try unpacker.u16("identifier")
    }
}

/// Message 249, the old-style puncture (signed): `ipv4 source_lan ‖ ipv4 source_wan ‖ u16 identifier`.
/// Receivers ignore its contents; it exists to open NAT mappings.
public struct PuncturePayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.puncture

    /// The puncturing node's LAN address as it believes it to be (`ipv4`).
    public var sourceLANAddress: Address
    /// py-ipv8 puts the *requester's* address here (spec §5.9).
    public var sourceWANAddress: Address
    /// The identifier from the puncture request this answers.
    public var identifier: UInt16

    /// A puncture carrying the two addresses and the request's identifier.
    public init(sourceLANAddress: Address, sourceWANAddress: Address, identifier: UInt16) {
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.ipv4(sourceLANAddress)
        packer.ipv4(sourceWANAddress)
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        sourceLANAddress = try unpacker.ipv4("source_lan_address")
        sourceWANAddress = try unpacker.ipv4("source_wan_address")
        identifier = try unpacker.u16("identifier")
    }
}

/// Message 231, the new-style puncture (signed): `ip_address source_lan ‖ ip_address source_wan ‖
/// u16 identifier`.
public struct NewPuncturePayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.newPuncture

    /// The puncturing node's LAN address as it believes it to be (`ip_address`).
    public var sourceLANAddress: Address
    /// As in the old-style puncture, py-ipv8 puts the requester's address here (`ip_address`).
    public var sourceWANAddress: Address
    /// The identifier from the puncture request this answers.
    public var identifier: UInt16

    /// A new-style puncture carrying the two addresses and the request's identifier.
    public init(sourceLANAddress: Address, sourceWANAddress: Address, identifier: UInt16) {
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.identifier = identifier
    }

    public func encode(into packer: inout Packer) {
        packer.ipAddress(sourceLANAddress)
        packer.ipAddress(sourceWANAddress)
        packer.u16(identifier)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        sourceLANAddress = try unpacker.ipAddress("source_lan_address")
        sourceWANAddress = try unpacker.ipAddress("source_wan_address")
        identifier = try unpacker.u16("identifier")
    }
}
