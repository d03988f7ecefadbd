import XCTest
@testable import IPv8Embed
import IPv8

/// A C host's node has one identity: its C communities sign with the key its configured overlays use, also
/// when that key is ephemeral (generated at start).
final class EmbedIdentityTests: XCTestCase {
    func testCCommunitiesAndConfiguredOverlaysShareOneMidWithAnEphemeralKey() throws {
        let json = """
        {"interfaces": [{"interface": "UDPIPv4", "ip": "127.0.0.1", "port": 0}],
         "keys": [{"alias": "anonymous id", "generation": "curve25519", "file": ""}],
         "overlays": [{"class": "DiscoveryCommunity", "key": "anonymous id", "walkers": [],
                       "bootstrappers": [], "initialize": {}, "on_start": []}]}
        """
        let node = try EmbedNode(json: json)
        defer { try? node.stop() }
        let configured = try XCTUnwrap(node.service.overlays.first)
        let cCommunity = try Community(communityID: CommunityID(bytes: [UInt8](repeating: 7, count: 20))!,
                                       context: node.service.context(key: node.key))
        XCTAssertEqual(cCommunity.myPeer.mid, configured.myPeer.mid)
        XCTAssertTrue(node.key === configured.key, "one key object, not two generated under one alias")
    }
}
