import IPv8

/// A community known only by its id: the introduction protocol and nothing else. Lets `ipv8-node run`
/// join any overlay (`--community HEX`) and be discovered in it.
final class GenericCommunity: Community {
    init(communityID: CommunityID, context: CommunityContext) throws {
        try super.init(communityID: communityID, context: context)
    }
}
