import Logging
import XCTest
@testable import IPv8

/// A plain community for tests.
final class TestCommunity: Community {
    static let id = CommunityID(bytes: [UInt8](repeating: 0x42, count: 20))!

    init(context: CommunityContext) throws {
        try super.init(communityID: Self.id, context: context)
    }
}

/// An application message for handler tests.
struct Hello: Payload, Equatable {
    static let messageID: UInt8 = 7
    var text: [UInt8]
    init(text: [UInt8]) { self.text = text }
    func encode(into packer: inout Packer) { packer.varlenH(text) }
    init(from unpacker: inout Unpacker) throws(WireError) { text = Array(try unpacker.varlenH("text")) }
}

/// One node on loopback: a service with one TestCommunity.
final class TestNode {
    let service: IPv8Service
    let community: TestCommunity

    init(loop: EventLoop, key: PrivateKey = .generate(), walkInterval: Double = 0.5, maxPeers: Int = 30,
         bootstrap: [Address] = [], seed: UInt64? = nil) throws {
        service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0),
                                  scheduling: .init(walkInterval: .seconds(walkInterval)))
        let context = service.context(key: key, maxPeers: maxPeers,
                                      bootstrappers: bootstrap.isEmpty ? [] : [AddressListBootstrapper(bootstrap)],
                                      random: RandomSource(seed: seed))
        community = service.addOverlay(try TestCommunity(context: context))
    }

    var address: Address { service.endpoint.localAddress }
    var network: Network { service.network }

    /// Whether this node has `other` as a verified peer of the test community.
    func knows(_ other: TestNode) -> Bool {
        community.peers.contains { $0.publicKeyBin == other.community.myPeer.publicKeyBin }
    }
}

extension XCTestCase {
    /// Runs `loop` until `condition` holds or `seconds` pass; fails the test on timeout.
    @discardableResult
    func drive(_ loop: EventLoop, seconds: Double = 5, file: StaticString = #filePath, line: UInt = #line,
               until condition: () -> Bool) -> Bool {
        let ok = loop.run(until: condition, timeout: .milliseconds(Int64(seconds * 1000)))
        XCTAssertTrue(ok, "condition not reached within \(seconds) s", file: file, line: line)
        return ok
    }
}
