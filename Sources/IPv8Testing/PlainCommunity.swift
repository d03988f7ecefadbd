import IPv8Core

/// A community with nothing of its own: an id, the introduction protocol every community speaks, and the
/// handlers a test adds. The one stand-in overlay for tests (ours and users').
public final class PlainCommunity: Community {
    /// The id used unless a test gives another (twenty 0x42 bytes).
    public static let defaultID = CommunityID(bytes: [UInt8](repeating: 0x42, count: 20))!

    /// A plain community with `communityID` in `context`.
    public init(communityID: CommunityID = PlainCommunity.defaultID, context: CommunityContext) throws {
        try super.init(communityID: communityID, context: context)
    }
}
