/// Message 245, the old-style (IPv4-only) introduction response (spec §6.4).
///
/// Layout: 5 × `ipv4` (destination, source_lan, source_wan, lan_introduction, wan_introduction) ‖ flags ‖
/// u16 identifier ‖ raw extra. Flags: `0x80`/`0x40` connection type, `0x20` unused, `0x10`
/// supports_new_style, `0x08` intro_supports_new_style, `0x04` peer_limit_reached, `0x02`/`0x01` unused.
public struct IntroductionResponsePayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.introductionResponse

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
    /// The responder's connection type, in flag bits `0x80`/`0x40`.
    public var connectionType: ConnectionType
    /// Echo of the request's identifier.
    public var identifier: UInt16
    /// Opaque extra bytes, everything up to the signature.
    public var extraBytes: [UInt8]
    /// Every modern py-ipv8 node sets this (`0x10`).
    public var supportsNewStyle: Bool
    /// The introduced peer speaks new-style (`0x08`).
    public var introSupportsNewStyle: Bool
    /// The responder has reached its peer limit (`0x04`).
    public var peerLimitReached: Bool
    /// Unused flags (`0x20`, `0x02`, `0x01`), kept so a decoded payload re-encodes identically.
    public var dflag0: Bool = false
    /// Unused flag `0x02` (py-ipv8's `dflag4`).
    public var dflag4: Bool = false
    /// Unused flag `0x01` (py-ipv8's `dflag5`).
    public var dflag5: Bool = false

    /// An introduction response; by default connection type `unknown`, no extra bytes, new-style support on,
    /// an introduced peer that does not speak new-style, and the peer limit not reached.
    public init(destinationAddress: Address, sourceLANAddress: Address, sourceWANAddress: Address,
                lanIntroductionAddress: Address, wanIntroductionAddress: Address,
                connectionType: ConnectionType = .unknown, identifier: UInt16, extraBytes: [UInt8] = [],
                supportsNewStyle: Bool = true, introSupportsNewStyle: Bool = false, peerLimitReached: Bool = false) {
        self.destinationAddress = destinationAddress
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.lanIntroductionAddress = lanIntroductionAddress
        self.wanIntroductionAddress = wanIntroductionAddress
        self.connectionType = connectionType
        self.identifier = identifier
        self.extraBytes = extraBytes
        self.supportsNewStyle = supportsNewStyle
        self.introSupportsNewStyle = introSupportsNewStyle
        self.peerLimitReached = peerLimitReached
    }

    /// The flag byte as encoded.
    public var flags: Bits8 {
        let ct = connectionType.bits
        return Bits8(ct.0, ct.1, dflag0, supportsNewStyle, introSupportsNewStyle, peerLimitReached, dflag4, dflag5)
    }

    public func encode(into packer: inout Packer) {
        packer.ipv4(destinationAddress)
        packer.ipv4(sourceLANAddress)
        packer.ipv4(sourceWANAddress)
        packer.ipv4(lanIntroductionAddress)
        packer.ipv4(wanIntroductionAddress)
        packer.bits(flags)
        packer.u16(identifier)
        packer.raw(extraBytes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        destinationAddress = try unpacker.ipv4("destination_address")
        sourceLANAddress = try unpacker.ipv4("source_lan_address")
        sourceWANAddress = try unpacker.ipv4("source_wan_address")
        lanIntroductionAddress = try unpacker.ipv4("lan_introduction_address")
        wanIntroductionAddress = try unpacker.ipv4("wan_introduction_address")
        let f = try unpacker.bits("flags")
        identifier = try unpacker.u16("identifier")
        extraBytes = unpacker.remainingArray()
        connectionType = ConnectionType(bit0: f[0], bit1: f[1])
        dflag0 = f[2]
        supportsNewStyle = f[3]
        introSupportsNewStyle = f[4]
        peerLimitReached = f[5]
        dflag4 = f[6]
        dflag5 = f[7]
    }
}
