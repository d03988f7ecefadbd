/// Message 246, the old-style (IPv4-only) introduction request (spec §6.4).
///
/// Layout: `ipv4 destination ‖ ipv4 source_lan ‖ ipv4 source_wan ‖ flags ‖ u16 identifier ‖ raw extra`.
/// Flags: `0x80`/`0x40` connection type, `0x20` supports_new_style, `0x10` dflag1, `0x08` dflag2,
/// `0x04` tunnel, `0x02` sync, `0x01` advice.
///
/// **Advice is inverted on decode**, exactly like py-ipv8: encoding `advice = true` sets `0x01`, and
/// decoding `0x01` gives `advice = false`. Nothing reads the value; send `true` and ignore it.
public struct IntroductionRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.introductionRequest

    /// Where the sender sent this packet.
    public var destinationAddress: Address
    /// The sender's LAN address.
    public var sourceLANAddress: Address
    /// The sender's WAN address (ignored by py-ipv8 receivers).
    public var sourceWANAddress: Address
    /// See the type's note on inversion.
    public var advice: Bool
    /// The sender's connection type, in flag bits `0x80`/`0x40`.
    public var connectionType: ConnectionType
    /// Echoed by the response; py-ipv8 sends the 16-bit global time here.
    public var identifier: UInt16
    /// Opaque extra bytes, everything up to the signature.
    public var extraBytes: [UInt8]
    /// Set when the sender also understands messages 231…234.
    public var supportsNewStyle: Bool
    /// Unused flags, kept so a decoded payload re-encodes identically. py-ipv8 sends them as 0.
    public var dflag1: Bool = false
    /// Unused flag `0x08` (py-ipv8's `dflag2`).
    public var dflag2: Bool = false
    /// Flag `0x04` (py-ipv8's `tunnel`), unused.
    public var tunnel: Bool = false
    /// Flag `0x02` (py-ipv8's `sync`), unused.
    public var sync: Bool = false

    /// An introduction request; by default advice on, connection type `unknown`, no extra bytes and no
    /// new-style support.
    public init(destinationAddress: Address, sourceLANAddress: Address, sourceWANAddress: Address,
                advice: Bool = true, connectionType: ConnectionType = .unknown, identifier: UInt16,
                extraBytes: [UInt8] = [], supportsNewStyle: Bool = false) {
        self.destinationAddress = destinationAddress
        self.sourceLANAddress = sourceLANAddress
        self.sourceWANAddress = sourceWANAddress
        self.advice = advice
        self.connectionType = connectionType
        self.identifier = identifier
        self.extraBytes = extraBytes
        self.supportsNewStyle = supportsNewStyle
    }

    /// The flag byte as encoded.
    public var flags: Bits8 {
        let ct = connectionType.bits
        return Bits8(ct.0, ct.1, supportsNewStyle, dflag1, dflag2, tunnel, sync, advice)
    }

    public func encode(into packer: inout Packer) {
        packer.ipv4(destinationAddress)
        packer.ipv4(sourceLANAddress)
        packer.ipv4(sourceWANAddress)
        packer.bits(flags)
        packer.u16(identifier)
        packer.raw(extraBytes)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        destinationAddress = try unpacker.ipv4("destination_address")
        sourceLANAddress = try unpacker.ipv4("source_lan_address")
        sourceWANAddress = try unpacker.ipv4("source_wan_address")
        let f = try unpacker.bits("flags")
        identifier = try unpacker.u16("identifier")
        extraBytes = unpacker.remainingArray()
        connectionType = ConnectionType(bit0: f[0], bit1: f[1])
        supportsNewStyle = f[2]
        dflag1 = f[3]
        dflag2 = f[4]
        tunnel = f[5]
        sync = f[6]
        advice = !f[7]      // py-ipv8: [True, False][advice]
    }
}

/// The DiscoveryCommunity's legacy Dispersy form of message 246 (spec §5.11): `"Y"` ‖ 20-byte mid ‖ the
/// ordinary 246 fields.
///
/// py-ipv8 does not check the `"Y"` byte on decode, so an ordinary 246 whose extra bytes are long enough
/// also decodes as this type (with wrong fields): try this form first only where py-ipv8 does (the
/// DiscoveryCommunity's 246 handler), and fall back to ``IntroductionRequestPayload``.
public struct DiscoveryIntroductionRequestPayload: Payload, Hashable, Sendable {
    public static let messageID: UInt8 = MessageID.introductionRequest

    /// The first byte, `"Y"` (0x59) when sent; not checked on decode.
    public var marker: UInt8 = 0x59
    /// The mid the sender asks to be introduced to (20 bytes).
    public var introduceTo: [UInt8]
    /// The ordinary 246 fields. py-ipv8 sends `supportsNewStyle = true` here (flags `0x21`).
    public var request: IntroductionRequestPayload

    /// A legacy request asking to be introduced to the mid `introduceTo`, carrying the ordinary `request` fields.
    public init(introduceTo: [UInt8], request: IntroductionRequestPayload) {
        self.introduceTo = introduceTo
        self.request = request
    }

    /// Encodes `"Y"` ‖ `introduceTo` (padded with zeros or cut to 20 bytes) ‖ the 246 fields.
    public func encode(into packer: inout Packer) {
        packer.u8(marker)
        packer.raw(introduceTo.prefix(20))
        if introduceTo.count < 20 { packer.raw([UInt8](repeating: 0, count: 20 - introduceTo.count)) }
        request.encode(into: &packer)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        marker = try unpacker.u8("marker")
        introduceTo = try unpacker.byteArray(20, "introduce_to")
        request = try IntroductionRequestPayload(from: &unpacker)
    }
}
