/// A value found in the DHT: its data and, for a signed value, its signer's public key bin.
///
/// On the wire (and in storage) a value is serialized as py-ipv8's `serialize_value` does:
/// - unsigned: `0x00 ‖ data`;
/// - signed: `0x01 ‖ varlenH data ‖ u32 version ‖ varlenH public key bin ‖ signature`, the signature
///   covering every byte before it, the version the signing time in whole seconds. Among a signer's values
///   under one key, the highest version wins.
public struct DHTValue: Hashable, Sendable {
    /// The application's bytes.
    public var data: [UInt8]
    /// The signer's public key bin; `nil` for an unsigned value.
    public var publicKey: [UInt8]?
    /// The version (0 for unsigned values).
    public var version: UInt32

    /// A value with these parts.
    public init(data: [UInt8], publicKey: [UInt8]? = nil, version: UInt32 = 0) {
        self.data = data
        self.publicKey = publicKey
        self.version = version
    }

    /// The type byte of an unsigned value.
    public static let unsignedType: UInt8 = 0
    /// The type byte of a signed value.
    public static let signedType: UInt8 = 1

    /// `data` serialized unsigned.
    public static func serializeUnsigned(_ data: [UInt8]) -> [UInt8] {
        [unsignedType] + data
    }

    /// `data` serialized and signed with `key`, with `version`.
    public static func serializeSigned(_ data: [UInt8], version: UInt32, key: PrivateKey) -> [UInt8] {
        var packer = Packer(capacity: data.count + 160)
        packer.u8(signedType)
        packer.varlenH(data)
        packer.u32(version)
        packer.varlenH(key.publicKey.bin)
        let body = packer.bytes
        return body + key.sign(body)
    }

    /// Parses a serialized value and checks a signed value's signature; `nil` when it does not parse
    /// exactly, names an unusable key or its signature is wrong.
    public init?(serialized value: [UInt8]) {
        guard let type = value.first else { return nil }
        switch type {
        case Self.unsignedType:
            self.init(data: Array(value.dropFirst()))
        case Self.signedType:
            let parsed: (data: [UInt8], version: UInt32, key: [UInt8], end: Int)? = value.withUnsafeBytes { buffer in
                var unpacker = Unpacker(buffer, offset: 1)
                guard let data = try? unpacker.varlenH("data"), let version = try? unpacker.u32("version"),
                      let key = try? unpacker.varlenH("public_key") else { return nil }
                return (Array(data), version, Array(key), unpacker.offset)
            }
            guard let parsed, let key = try? PublicKey(bin: parsed.key),
                  value.count - parsed.end == key.keySignatureLength,
                  key.verify(signature: Array(value[parsed.end...]), message: Array(value[..<parsed.end])) else { return nil }
            self.init(data: parsed.data, publicKey: parsed.key, version: parsed.version)
        default:
            return nil
        }
    }

    /// The id a storage keeps the value under: SHA-1 of the signer's key for a signed value, of the
    /// serialized value otherwise (py-ipv8's `add_value`).
    public static func storageID(publicKey: [UInt8]?, serialized: [UInt8]) -> [UInt8] {
        SHA1Digest.hash(publicKey ?? serialized)
    }
}
