import IPv8
import IPv8Testing

/// A plain community for the kit's own tests.
final class PlainCommunity: Community {
    static let id = CommunityID(bytes: [UInt8](repeating: 0x5A, count: 20))!

    init(context: CommunityContext) throws {
        try super.init(communityID: Self.id, context: context)
    }
}
