import IPv8Core

/// Appendix A of spec/ipv8-wire.md: fixed keys, addresses and the py-ipv8 3.2.1 packets, for every test
/// target (protocol, shell, interop).
public enum Vectors {
    /// The bytes of the hex string `s`; traps on anything that is not hex.
    public static func hex(_ s: String) -> [UInt8] { IPv8Core.bytes(fromHex: s)! }

    /// Key N: X25519 secret = 32 × N, Ed25519 seed = 32 × (N + 100).
    public static func key(_ n: UInt8) -> PrivateKey {
        PrivateKey(x25519SecretKey: [UInt8](repeating: n, count: 32), ed25519Seed: [UInt8](repeating: n + 100, count: 32))!
    }

    /// Key A, `key(1)`: signs A1–A4, A12, A13 and A16.
    public static let keyA = key(1)
    /// Key B, `key(2)`: signs the introduction responses A5, A7 and A9.
    public static let keyB = key(2)
    /// Key C, `key(3)`: signs the punctures A10 and A11.
    public static let keyC = key(3)

    /// Node A's LAN address, 192.168.1.10:1001.
    public static let aLAN = Address(192, 168, 1, 10, port: 1001)
    /// Node A's WAN address, 1.2.3.4:2001.
    public static let aWAN = Address(1, 2, 3, 4, port: 2001)
    /// Node B's LAN address, 192.168.1.20:1002.
    public static let bLAN = Address(192, 168, 1, 20, port: 1002)
    /// Node B's WAN address, 5.6.7.8:2002.
    public static let bWAN = Address(5, 6, 7, 8, port: 2002)
    /// Node C's LAN address, 192.168.1.30:1003.
    public static let cLAN = Address(192, 168, 1, 30, port: 1003)
    /// Node C's WAN address, 9.10.11.12:2003.
    public static let cWAN = Address(9, 10, 11, 12, port: 2003)
    /// An IPv6 address, [2001:db8::1]:4000: the destination of A4.
    public static let v6 = Address(ip: "2001:db8::1", port: 4000)!

    /// The test community's prefix: version 2 and the community id 00 01 … 13 (A1–A11).
    public static let testPrefix = CommunityPrefix(communityID: CommunityID(bytes: Array(0..<20))!)
    /// The DiscoveryCommunity's prefix (A12–A15).
    public static let discoveryPrefix = CommunityPrefix(communityID: .discovery)
    /// The DHT community's prefix, community id `8d0be184…d04d73cc` (A16).
    public static let dhtPrefix = CommunityPrefix(communityID: CommunityID(hex: "8d0be1845d74d175f178197cad001591d04d73cc")!)

    /// Key A's private key bin in hex: `LibNaCLSK:`, the X25519 secret, the Ed25519 seed.
    public static let keyAPrivate = "4c69624e61434c534b3a01010101010101010101010101010101010101010101010101010101010101016565656565656565656565656565656565656565656565656565656565656565"
    /// Key A's public key bin in hex: `LibNaCLPK:`, the X25519 public key, the Ed25519 verify key.
    public static let keyAPublic = "4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb8"
    /// Key A's mid in hex: the SHA-1 of its public key bin.
    public static let keyAMid = "e0149866574a1f362cb7bced402a9c4986e1c16d"
    /// Key B's public key bin in hex (`LibNaCLPK:` form).
    public static let keyBPublic = "4c69624e61434c504b3ace8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d5934b4d9043156cb6dcf0beb0a2949b7559c940d2bcb6dbe8c53a9b30278e3a746"
    /// Key B's mid in hex: the SHA-1 of its public key bin.
    public static let keyBMid = "5cb0b71d14c45bfab961c2e2eb8abe50cf800b1a"
    /// Key C's public key bin in hex (`LibNaCLPK:` form).
    public static let keyCPublic = "4c69624e61434c504b3a5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef2212a41592c8b7c17d4059e7b29b61e8ff96c7415f2f803348f2f017e05b9ea1da"
    /// Key C's mid in hex: the SHA-1 of its public key bin.
    public static let keyCMid = "cb44f45d3a021d7474f7f03c1dcb4b76c5c49fc5"

    /// A1: old-style introduction request (246) from A to B's WAN, identifier 1, global time 1, key A (`p1`).
    public static let a1 = "0002000102030405060708090a0b0c0d0e0f10111213f6004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb800000000000000010506070807d2c0a8010a03e90102030407d10100010caedf8946ba5b0b05644f28f53e73e04bc96f217fbce75e9f48c33fea2d734609fa9bb40e21a847d42599bf4cad1a91c6601f4e6218080a2350575ed917f209"
    /// A2: new-style introduction request (234) from A, identifier 2, global time 2, signed with key A (`p2`).
    public static let a2 = "0002000102030405060708090a0b0c0d0e0f10111213ea004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb80000000000000002010506070807d201c0a8010a03e9010102030407d10002000f6f26f0487c5229453639f9355e0f0c9f444989903b3291561fbcce2bfd45633b533b5f6d3d7884a4900734e788560daceafb35b080a8f25fa8fc00040de209"
    /// A3: old-style introduction request (246) with extra bytes `"xyz"`, identifier 3, global time 3, key A (`p3`).
    public static let a3 = "0002000102030405060708090a0b0c0d0e0f10111213f6004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb800000000000000030506070807d2c0a8010a03e90102030407d101000378797a1768a10db4145d460f578b31b92f7547ed9ef5c19368a571aaae7300555a52eecbf94e7cc1cc794cf555a149b27d5659d20943e5bd793f9ba5ece85284e94802"
    /// A4: new-style introduction request (234) to an IPv6 destination, identifier 4, global time 4, key A (`p4`).
    public static let a4 = "0002000102030405060708090a0b0c0d0e0f10111213ea004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb800000000000000040320010db80000000000000000000000010fa001c0a8010a03e9010102030407d100040013cd0f645413797712c8c185f2da9799dc8527fdaade199980d6895b4f155406ca841dbe8b1afd82892b4681377ee5b9cd70a749613941a5cce2233db566ce02"
    /// A5: old-style introduction response (245) from B introducing C, identifier 4242, global time 1, key B (`p5`).
    public static let a5 = "0002000102030405060708090a0b0c0d0e0f10111213f5004a4c69624e61434c504b3ace8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d5934b4d9043156cb6dcf0beb0a2949b7559c940d2bcb6dbe8c53a9b30278e3a74600000000000000010102030407d1c0a8011403ea0506070807d2000000000000090a0b0c07d3101092c460ae0d1d9af5b21e42b9566c531512151f87e87ae3f804c024d4ee114f834f22475d4d1bbe2adb5b665bc68504600416cc7cad4994aa7b75f371fdd9aed80a"
    /// A6: old-style puncture request (250, unsigned), identifier 4242, global time 2 (`p6`).
    public static let a6 = "0002000102030405060708090a0b0c0d0e0f10111213fa00000000000000020506070807d20102030407d11092"
    /// A7: new-style introduction response (233) from B introducing C, identifier 4242, global time 3, key B (`p7`).
    public static let a7 = "0002000102030405060708090a0b0c0d0e0f10111213e9004a4c69624e61434c504b3ace8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d5934b4d9043156cb6dcf0beb0a2949b7559c940d2bcb6dbe8c53a9b30278e3a7460000000000000003010102030407d101c0a8011403ea010506070807d20100000000000001090a0b0c07d3109200d51296d327920021ae63fc4fecd393394d04b74a2262f19efdd781a0a4ff79c8db05b24beaf9810198105056ecd5aa2b66597c58428f8fba0c3b2a9961ade40d"
    /// A8: new-style puncture request (232, unsigned), identifier 4242, global time 4 (`p8`).
    public static let a8 = "0002000102030405060708090a0b0c0d0e0f10111213e80000000000000004010506070807d2010102030407d11092"
    /// A9: old-style introduction response (245) from B, identifier 7, global time 5, key B (`p9`).
    public static let a9 = "0002000102030405060708090a0b0c0d0e0f10111213f5004a4c69624e61434c504b3ace8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d5934b4d9043156cb6dcf0beb0a2949b7559c940d2bcb6dbe8c53a9b30278e3a74600000000000000050102030407d1c0a8011403ea0506070807d2000000000000090a0b0c07d31000074da7322fdd1eb0db67f4957d5d1123c5bf9f3f44c286da8aae0ee2d3af57f523eeabd118465fb0775d5a226095c71a6d1ac4528634f0af711fd3a8fcc9651e06"
    /// A10: old-style puncture (249) from C, identifier 4242, global time 1, signed with key C (`p10`).
    public static let a10 = "0002000102030405060708090a0b0c0d0e0f10111213f9004a4c69624e61434c504b3a5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef2212a41592c8b7c17d4059e7b29b61e8ff96c7415f2f803348f2f017e05b9ea1da0000000000000001c0a8011e03eb0102030407d11092707f5b5554acd9e70db3a638c2c19715d26c47cfccdabf5ec35e9cbf8f23d778e4432923cb6e383823bc0ea2d68a499a177dc7e003616b633b753fd37fc9c607"
    /// A11: new-style puncture (231) from C, identifier 4242, global time 2, signed with key C (`p11`).
    public static let a11 = "0002000102030405060708090a0b0c0d0e0f10111213e7004a4c69624e61434c504b3a5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef2212a41592c8b7c17d4059e7b29b61e8ff96c7415f2f803348f2f017e05b9ea1da000000000000000201c0a8011e03eb010102030407d11092cad5731e10e879775591289e4276aa8e92abb62c82ad9de3e140b5cff00ef223601ccf1bd03daa7304202cabe7cc299c15be6ff6c5b721b1d2f5356c27cecc04"
    /// A12: DiscoveryCommunity similarity request (1), identifier 1, global time 1, signed with key A (`p12`).
    public static let a12 = "00027e313685c1912a141279f8248fc8db5899c5df5a01004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb800000000000000010001c0a8010a03e90102030407d1007e313685c1912a141279f8248fc8db5899c5df5aff3e88390e486730e8a3493a8f31351dc843138e804567d4c66c26cb41eb667a90e6f487cd9592383b70dc4918a34e12fc35c59a816e094a86d7e464248bd300"
    /// A13: DiscoveryCommunity similarity response (2), identifier 77, global time 2, signed with key A (`p13`).
    public static let a13 = "00027e313685c1912a141279f8248fc8db5899c5df5a02004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb80000000000000002004d00017e313685c1912a141279f8248fc8db5899c5df5a62ead8b13267abdfe877f327edb5670939df275e09ff718c1386eba129ec19c4161c5764c1eb94cc03cd8dd15bbef4041efa238a787a55dc5c63ca69988e6f02"
    /// A14: DiscoveryCommunity ping (3, unsigned), identifier 3, global time 3 (`p14`).
    public static let a14 = "00027e313685c1912a141279f8248fc8db5899c5df5a0300000000000000030003"
    /// A15: DiscoveryCommunity pong (4, unsigned), identifier 5, global time 4 (`p15`).
    public static let a15 = "00027e313685c1912a141279f8248fc8db5899c5df5a0400000000000000040005"
    /// A16: the DHT's ping request (1) sent ez-style (no global time), identifier 513, signed with key A (`p16`).
    public static let a16 = "00028d0be1845d74d175f178197cad001591d04d73cc01004a4c69624e61434c504b3aa4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209d62f016a1efd1e4fdf793eb42cd84471e1ba9f0cf04d1287b5cc71f616287cb80000020162a6335711abb999faf3d54262e8c10c1cfaf7666dd7a7acadddd43a62bf53ac246cf4bcadc01666897e03b2768143ee950f5a33d7ee9615bbe3f96c5586610a"
    /// A18: an old-style introduction response (245) signed with a legacy sect163k1 EC key (the kind py-ipv8's
    /// public trackers use), with a 42-byte signature.
    public static let a18 = "0002000102030405060708090a0b0c0d0e0f10111213f500423040301006072a8648ce3d020106052b81040001032c0004060170bdce5ade31022300ab4d1de2b138594d6cb906c2530133b78b19dc402e3a8707f53fad6b74af8800000000000000010102030407d10a000001000182a177ce1915000000000000000000000000100001027a9cddc90062b8793560f153512fa1804c58b4e603984be65c4e5a1ab62bb61aa8733ea1ab50a07088"

    // The payloads the vectors were made from (spec Appendix A setup).
    /// The payload of A1: old-style introduction request from A to B's WAN, advice on, connection type unknown,
    /// identifier 1.
    public static let p1 = IntroductionRequestPayload(destinationAddress: bWAN, sourceLANAddress: aLAN, sourceWANAddress: aWAN,
                                               advice: true, connectionType: .unknown, identifier: 1)
    /// The payload of A2: new-style introduction request from A to B's WAN, identifier 2.
    public static let p2 = NewIntroductionRequestPayload(destinationAddress: bWAN, sourceLANAddress: aLAN, sourceWANAddress: aWAN, identifier: 2)
    /// The payload of A3: old-style introduction request from A to B's WAN with extra bytes `"xyz"`, identifier 3.
    public static let p3 = IntroductionRequestPayload(destinationAddress: bWAN, sourceLANAddress: aLAN, sourceWANAddress: aWAN,
                                               identifier: 3, extraBytes: Array("xyz".utf8))
    /// The payload of A4: new-style introduction request from A to the IPv6 address `v6`, identifier 4.
    public static let p4 = NewIntroductionRequestPayload(destinationAddress: v6, sourceLANAddress: aLAN, sourceWANAddress: aWAN, identifier: 4)
    /// The payload of A5: old-style introduction response from B to A's WAN, introducing C's WAN, identifier 4242.
    public static let p5 = IntroductionResponsePayload(destinationAddress: aWAN, sourceLANAddress: bLAN, sourceWANAddress: bWAN,
                                                lanIntroductionAddress: .zero, wanIntroductionAddress: cWAN, identifier: 4242)
    /// The payload of A6: puncture request with LAN walker B's WAN and WAN walker A's WAN, identifier 4242.
    public static let p6 = PunctureRequestPayload(lanWalkerAddress: bWAN, wanWalkerAddress: aWAN, identifier: 4242)
    /// The payload of A7: new-style introduction response from B to A's WAN, introducing C's WAN, identifier 4242.
    public static let p7 = NewIntroductionResponsePayload(destinationAddress: aWAN, sourceLANAddress: bLAN, sourceWANAddress: bWAN,
                                                   lanIntroductionAddress: .zero, wanIntroductionAddress: cWAN, identifier: 4242)
    /// The payload of A8: new-style puncture request with LAN walker B's WAN and WAN walker A's WAN, identifier 4242.
    public static let p8 = NewPunctureRequestPayload(lanWalkerAddress: bWAN, wanWalkerAddress: aWAN, identifier: 4242)
    /// The payload of A9: old-style introduction response from B to A's WAN, introducing C's WAN, identifier 7.
    public static let p9 = IntroductionResponsePayload(destinationAddress: aWAN, sourceLANAddress: bLAN, sourceWANAddress: bWAN,
                                                lanIntroductionAddress: .zero, wanIntroductionAddress: cWAN, identifier: 7)
    /// The payload of A10: puncture from C's LAN naming A's WAN, identifier 4242.
    public static let p10 = PuncturePayload(sourceLANAddress: cLAN, sourceWANAddress: aWAN, identifier: 4242)
    /// The payload of A11: new-style puncture from C's LAN naming A's WAN, identifier 4242.
    public static let p11 = NewPuncturePayload(sourceLANAddress: cLAN, sourceWANAddress: aWAN, identifier: 4242)
    /// The payload of A12: similarity request from A listing the DiscoveryCommunity, identifier 1.
    public static let p12 = SimilarityRequestPayload(identifier: 1, lanAddress: aLAN, wanAddress: aWAN, preferenceList: [.discovery])
    /// The payload of A13: similarity response listing the DiscoveryCommunity, identifier 77.
    public static let p13 = SimilarityResponsePayload(identifier: 77, preferenceList: [.discovery])
    /// The payload of A14: ping, identifier 3.
    public static let p14 = PingPayload(identifier: 3)
    /// The payload of A15: pong, identifier 5.
    public static let p15 = PongPayload(identifier: 5)
    /// The payload of A16: DHT ping request, identifier 513.
    public static let p16 = DHTPingRequestPayload(identifier: 513)

    /// Every vector with its name and whether it is signed.
    public static let all: [(name: String, hex: String, signed: Bool)] = [
        ("A1", a1, true), ("A2", a2, true), ("A3", a3, true), ("A4", a4, true), ("A5", a5, true),
        ("A6", a6, false), ("A7", a7, true), ("A8", a8, false), ("A9", a9, true), ("A10", a10, true),
        ("A11", a11, true), ("A12", a12, true), ("A13", a13, true), ("A14", a14, false), ("A15", a15, false),
        ("A16", a16, true), ("A18", a18, true),
    ]
}

/// The DHT's ping request (`PingRequestPayload`, id 1, `I identifier`), an example of an application
/// payload sent ez-style.
public struct DHTPingRequestPayload: Payload, Equatable, Sendable {
    public static let messageID: UInt8 = 1
    /// The ping's identifier (`I`, a big-endian u32).
    public var identifier: UInt32
    /// A ping request with `identifier`.
    public init(identifier: UInt32) { self.identifier = identifier }
    public func encode(into packer: inout Packer) { packer.u32(identifier) }
    public init(from unpacker: inout Unpacker) throws(WireError) { identifier = try unpacker.u32("identifier") }
}
