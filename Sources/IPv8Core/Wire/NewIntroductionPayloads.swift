/// Message 234, the new-style introduction request: typed `ip_address` fields, so IPv6 works
/// (spec §6.4).
///
/// Layout: 3 × `ip_address` (destination, source_lan, source_wan) ‖ **u16 identifier ‖ flags** (the
/// reverse of 246) ‖ raw extra. The flag bits have the 246 meanings but are plain booleans here: no
/// inversion of `advice`. py-ipv8 sends flags `0x00`.
public struct NewIntroductionRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.newIntroductionRequest

    /// Where the sender sent this packet (`ip_address`).
    public var destinationAddress: Address
    /// The sender's LAN address as it believes it to be (`ip_address`).
    public var sourceLANAddress: Address
    /// py-ipv8 normally puts its *LAN* guess here (spec §14 item 10).
    public var sourceWANAddress: Address
    /// Echoed by the response; py-ipv8 sends the 16-bit global time here.
    public var identifier: UInt16
    /// The raw flag byte: `0x80`/`0x40` connection type, `0x20` supports_new_style, `0x10` dflag1,
    /// `0x08` dflag2, `0x04` tunnel, `0x02` sync, `0x01` advice (not inverted).
    public var flags: Bits8
    /// Opaque extra bytes, everything up to the signature.
    public var extraBytes: [UInt8]

    /// A new-style introduction request; flags default to `0x00`, as py-ipv8 sends, and there are no extra bytes
    /// by default.
    public init(destinationAddress: Address, sourceLANAddress: Address, sourceWANAddress: Address,
                identifier: UInt16, flags: Bits8 = Bits8(rawValue: 0), extraBytes: [UInt8] = []) {
        self.destinationAddress = destinationAddress
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.identifier = identifier
        self.flags = flags
        self.extraBytes = extraBytes
    }

    /// The connection type from flag bits 0 and 1.
    public var connectionType: ConnectionType { ConnectionType(bit0: flags[0], bit1: flags[1]) }
    /// Flag `0x20`.
    public var supportsNewStyle: Bool { flags[2] }
    /// Flag `0x01`, read as is (no inversion in the new format).
    public var advice: Bool { flags[7] }

    public func encode(into packer: inout Packer) {
        packer.ipAddress(destinationAddress)
        packer.ipAddress(sourceLANAddress)
        packer.ipAddress(sourceWANAddress)
        packer.u16(identifier)
        packer.bits(flags)
        packer.raw(extraBytes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        destinationAddress = try unpacker.ipAddress("destination_address")
        sourceLANAddress = try unpacker.ipAddress("source_lan_address")
        sourceWANAddress = try unpacker.ipAddress("source_wan_address")
        identifier = try unpacker.u16("identifier")
        flags = try unpacker.bits("flags")
        extraBytes = unpacker.remainingArray()
    }
}

/// Message 233, the new-style introduction response (spec §6.4).
///
/// Layout: 5 × `ip_address` (destination, source_lan, source_wan, lan_introduction, wan_introduction) ‖
/// u16 identifier ‖ flags (`0x80` = intro_supports_new_style, the rest unused) ‖ raw extra.
public struct NewIntroductionResponsePayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.newIntroductionResponse

    /// The requester's address as the responder saw it (UDP source).
    public var destinationAddress: Address
    /// The responder's LAN address as it believes it to be.
    public var sourceLANAddress: Address
    /// The responder's WAN address as it believes it to be.
    public var sourceWANAddress: Address
    /// LAN address of the introduced peer, `0.0.0.0:0` when unknown or none.
    public var lanIntroductionAddress: Address
    /// WAN address of the introduced peer, `0.0.0.0:0` when there is no introduction.
    public var wanIntroductionAddress: Address
    /// Echo of the request's identifier.
    public var identifier: UInt16
    /// The raw flag byte; see ``introSupportsNewStyle``.
    public var flags: Bits8
    /// Opaque extra bytes, everything up to the signature.
    public var extraBytes: [UInt8]

    /// A new-style introduction response; `introSupportsNewStyle` sets flag `0x80` (default off), and there are
    /// no extra bytes by default.
    public init(destinationAddress: Address, sourceLANAddress: Address, sourceWANAddress: Address,
                lanIntroductionAddress: Address, wanIntroductionAddress: Address, identifier: UInt16,
                introSupportsNewStyle: Bool = false, extraBytes: [UInt8] = []) {
        self.destinationAddress = destinationAddress
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.lanIntroductionAddress = lanIntroductionAddress
        self.wanIntroductionAddress = wanIntroductionAddress
        self.identifier = identifier
        self.flags = Bits8(rawValue: introSupportsNewStyle ? 0x80 : 0)
        self.extraBytes = extraBytes
    }

    /// Flag `0x80`: the introduced peer speaks new-style.
    public var introSupportsNewStyle: Bool {
        get { flags[0] }
        set { flags[0] = newValue }
    }

    public func encode(into packer: inout Packer) {
        packer.ipAddress(destinationAddress)
        packer.ipAddress(sourceLANAddress)
        packer.ipAddress(sourceWANAddress)
        packer.ipAddress(lanIntroductionAddress)
        packer.ipAddress(wanIntroductionAddress)
        packer.u16(identifier)
        packer.bits(flags)
        packer.raw(extraBytes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        destinationAddress = try unpacker.ipAddress("destination_address")
        sourceLANAddress = try unpacker.ipAddress("source_lan_address")
        sourceWANAddress = try unpacker.ipAddress("source_wan_address")
        lanIntroductionAddress = try unpacker.ipAddress("lan_introduction_address")
        wanIntroductionAddress = try unpacker.ipAddress("wan_introduction_address")
        identifier = try unpacker.u16("identifier")
        flags = try unpacker.bits("flags")
        extraBytes = unpacker.remainingArray()
    }
}
