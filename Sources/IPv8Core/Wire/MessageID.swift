/// Message ids of the core protocol and their names (spec §6.2).
///
/// Ids 231…234 and 245, 246, 249, 250 are the introduction/puncture messages, the same in every
/// community. The other ids from 235 to 255 are deprecated Dispersy ids: py-ipv8 logs them by name and
/// drops them. Ids 0…230 are free for community messages.
public enum MessageID {
    /// 246, old-style introduction request.
    public static let introductionRequest: UInt8 = 246
    /// 245, old-style introduction response.
    public static let introductionResponse: UInt8 = 245
    /// 250, old-style puncture request (unsigned).
    public static let punctureRequest: UInt8 = 250
    /// 249, old-style puncture.
    public static let puncture: UInt8 = 249
    /// 234, new-style introduction request.
    public static let newIntroductionRequest: UInt8 = 234
    /// 233, new-style introduction response.
    public static let newIntroductionResponse: UInt8 = 233
    /// 232, new-style puncture request (unsigned).
    public static let newPunctureRequest: UInt8 = 232
    /// 231, new-style puncture.
    public static let newPuncture: UInt8 = 231

    /// The highest id free for community-specific messages.
    public static let maxApplicationID: UInt8 = 230

    /// The name of a core message id (`"introduction-request"` …), `nil` for other ids.
    public static func coreName(_ id: UInt8) -> String? {
        switch id {
        case 246: return "introduction-request"
        case 245: return "introduction-response"
        case 250: return "puncture-request"
        case 249: return "puncture"
        case 234: return "new-introduction-request"
        case 233: return "new-introduction-response"
        case 232: return "new-puncture-request"
        case 231: return "new-puncture"
        default: return nil
        }
    }

    /// The Dispersy name of a deprecated id (235…255 except 245, 246, 249, 250), `nil` otherwise.
    public static func deprecatedName(_ id: UInt8) -> String? {
        switch id {
        case 255: return "reserved-255"
        case 254: return "on-missing-sequence"
        case 253: return "missing-proof"
        case 252: return "signature-request"
        case 251: return "signature-response"
        case 248: return "on-identity"
        case 247: return "on-missing-identity"
        case 244: return "destroy-community"
        case 243: return "authorize"
        case 242: return "revoke"
        case 241: return "subjective-set"
        case 240: return "missing-subjective-set"
        case 239: return "on-missing-message"
        case 238: return "undo-own"
        case 237: return "undo-other"
        case 236: return "dynamic-settings"
        case 235: return "missing-last-message"
        default: return nil
        }
    }

    /// True for the deprecated Dispersy ids.
    public static func isDeprecated(_ id: UInt8) -> Bool {
        deprecatedName(id) != nil
    }

    /// All deprecated ids, ascending.
    public static let deprecatedIDs: [UInt8] = (235...255).filter { isDeprecated(UInt8($0)) }.map { UInt8($0) }

    /// The DiscoveryCommunity's message names (ids 1…4), `nil` for other ids.
    public static func discoveryName(_ id: UInt8) -> String? {
        switch id {
        case 1: return "similarity-request"
        case 2: return "similarity-response"
        case 3: return "ping"
        case 4: return "pong"
        default: return nil
        }
    }

    /// The name of DHT message `id` (py-ipv8's `ipv8/dht/payload.py`), or `nil`.
    public static func dhtName(_ id: UInt8) -> String? {
        switch id {
        case 1: return "dht-ping-request"
        case 2: return "dht-ping-response"
        case 3: return "dht-store-request"
        case 4: return "dht-store-response"
        case 5: return "dht-find-request"
        case 6: return "dht-find-response"
        case 7: return "dht-store-peer-request"
        case 8: return "dht-store-peer-response"
        case 9: return "dht-connect-peer-request"
        case 10: return "dht-connect-peer-response"
        default: return nil
        }
    }

    /// The name of `id` in community `communityID`: core names everywhere, Discovery names only in the
    /// DiscoveryCommunity, DHT names only in the DHT's community, deprecated names with a `deprecated:`
    /// prefix; `nil` when unknown.
    public static func name(_ id: UInt8, in communityID: CommunityID) -> String? {
        if let n = coreName(id) { return n }
        if let n = deprecatedName(id) { return "deprecated:" + n }
        if communityID == .discovery { return discoveryName(id) }
        if communityID == DHTCommunity.id { return dhtName(id) }
        return nil
    }
}
