/// Builds whole datagrams in the three body styles of spec §6.1.
///
/// * core-signed: `prefix ‖ id ‖ u16 L ‖ key bin ‖ u64 global time ‖ payload ‖ signature`
/// * core-unsigned: `prefix ‖ id ‖ u64 global time ‖ payload`
/// * ez-signed: `prefix ‖ id ‖ u16 L ‖ key bin ‖ payload ‖ signature`
/// * ez-unsigned: `prefix ‖ id ‖ payload`
///
/// The signature is Ed25519 over every preceding byte. Ed25519 is deterministic, so the same inputs
/// always give the same bytes (the Appendix A vectors rely on this). Each call makes one allocation.
public enum PacketEncoder {
    /// A core-signed packet. The message id defaults to the payload's.
    public static func coreSigned<P: Payload>(_ payload: P, prefix: CommunityPrefix, globalTime: UInt64,
                                              key: PrivateKey, messageID: UInt8 = P.messageID) -> [UInt8] {
        var packer = start(prefix, messageID, extra: 256)
        packAuth(key, into: &packer)
        packer.u64(globalTime)
        payload.encode(into: &packer)
        return sign(packer, key)
    }

    /// A core-unsigned packet.
    public static func coreUnsigned<P: Payload>(_ payload: P, prefix: CommunityPrefix, globalTime: UInt64,
                                                messageID: UInt8 = P.messageID) -> [UInt8] {
        var packer = start(prefix, messageID, extra: 64)
        packer.u64(globalTime)
        payload.encode(into: &packer)
        return packer.bytes
    }

    /// An ez-style signed packet (no global time; `ez_send` / `ezr_pack` with `sig=True`).
    public static func ezSigned<P: Payload>(_ payload: P, prefix: CommunityPrefix, key: PrivateKey,
                                            messageID: UInt8 = P.messageID) -> [UInt8] {
        var packer = start(prefix, messageID, extra: 256)
        packAuth(key, into: &packer)
        payload.encode(into: &packer)
        return sign(packer, key)
    }

    /// An ez-style unsigned packet (`sig=False`).
    public static func ezUnsigned<P: Payload>(_ payload: P, prefix: CommunityPrefix,
                                              messageID: UInt8 = P.messageID) -> [UInt8] {
        var packer = start(prefix, messageID, extra: 64)
        payload.encode(into: &packer)
        return packer.bytes
    }

    private static func start(_ prefix: CommunityPrefix, _ id: UInt8, extra: Int) -> Packer {
        var packer = Packer(capacity: CommunityPrefix.length + 1 + extra)
        prefix.encode(into: &packer)
        packer.u8(id)
        return packer
    }

    private static func packAuth(_ key: PrivateKey, into packer: inout Packer) {
        key.publicKey.withBin { bin in
            packer.u16(UInt16(bin.count))
            packer.raw(bin)
        }
    }

    private static func sign(_ packer: consuming Packer, _ key: PrivateKey) -> [UInt8] {
        packer.appendInPlace(key.signatureLength) { raw, signedCount in
            key.sign(UnsafeRawBufferPointer(rebasing: raw[0..<signedCount]), into: raw.baseAddress! + signedCount)
        }
        return packer.bytes
    }
}
