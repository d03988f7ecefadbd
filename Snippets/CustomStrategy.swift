// A discovery strategy of your own, registered with a running node (the seed document's first examples).
import IPv8

// snippet.show
final class MyDiscoveryStrategy: DiscoveryStrategy {
    override func takeStep() {
        withWalkLock {
            // Insert your logic here. For example:
            if let peer = overlay.peers.randomElement() {
                overlay.sendIntroductionRequest(to: peer)
            }
        }
    }
}

final class MyCommunity: Community {
    static let id = CommunityID(hex: "0123456789abcdef0123456789abcdef01234567")!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
}

func register(with service: IPv8Service) {
    let overlay = service.overlay(MyCommunity.self)!
    let targetPeers = -1   // never stop calling it; n stops it at n peers and resumes it below
    service.addStrategy(MyDiscoveryStrategy(overlay: overlay), targetPeers: targetPeers)
}
// snippet.end
