// The launcher form, the shortest way to load a community with its strategies.
import IPv8

final class MyCommunity: Community {
    static let id = CommunityID(hex: "0123456789abcdef0123456789abcdef01234567")!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
}

// snippet.show
extension MyCommunity: LaunchableCommunity {}
enum MyLauncher: CommunityLauncher { typealias Overlay = MyCommunity }

func launch(into service: IPv8Service) throws {
    var loader = CommunityLoader()
    loader.set(MyLauncher.self)
    try loader.load(into: service)
}
// snippet.end
