/// py-ipv8's `BinMemberAuthenticationPayload`: the sender's public key bin as `varlenH`
/// (u16 length ‖ key bin). It follows the 23-byte header of every signed packet.
public struct BinMemberAuthenticationPayload: WireCodable, Hashable, Sendable {
    /// The public key bin as sent (74 bytes for a `LibNaCLPK:` key).
    public var publicKeyBin: [UInt8]

    /// An authentication payload carrying `publicKeyBin`.
    public init(publicKeyBin: [UInt8]) {
        self.publicKeyBin = publicKeyBin
    }

    public func encode(into packer: inout Packer) {
        packer.varlenH(publicKeyBin)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        publicKeyBin = Array(try unpacker.varlenH("public key"))
    }
}

/// py-ipv8's `GlobalTimeDistributionPayload`: the sender's Lamport clock as a u64 (`Q`). Core-style
/// packets carry it right after the authentication (signed) or the header (unsigned).
public struct GlobalTimeDistributionPayload: WireCodable, Hashable, Sendable {
    /// The global time. py-ipv8 writes `claim mod 65536` in introduction requests and responses and the
    /// full claim elsewhere (spec §14 item 5).
    public var globalTime: UInt64

    /// A payload carrying the Lamport clock value `globalTime`.
    public init(globalTime: UInt64) {
        self.globalTime = globalTime
    }

    public func encode(into packer: inout Packer) {
        packer.u64(globalTime)
    }

    public init(from unpacker: inout Unpacker) throws(WireError) {
        globalTime = try unpacker.u64("global time")
    }
}
