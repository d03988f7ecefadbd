import IPv8Testing
import Logging
import XCTest
@testable import IPv8

/// One node on loopback (127.0.0.1 unless told otherwise): a service with one PlainCommunity.
final class TestNode {
    let service: IPv8Service
    let community: PlainCommunity

    init(loop: EventLoop, key: PrivateKey = .generate(), walkInterval: Double = 0.5, maxPeers: Int = 30,
         bootstrap: [Address] = [], seed: UInt64? = nil, bindTo: Address = Address(127, 0, 0, 1, port: 0)) throws {
        service = try IPv8Service(loop: loop, bindTo: bindTo, scheduling: .init(walkInterval: .seconds(walkInterval)))
        let context = service.context(key: key, maxPeers: maxPeers,
                                      bootstrappers: bootstrap.isEmpty ? [] : [AddressListBootstrapper(bootstrap)],
                                      random: RandomSource(seed: seed))
        community = service.addOverlay(try PlainCommunity(context: context))
    }

    var address: Address { service.endpoint.localAddress }
    var network: Network { service.network }

    /// Whether this node has `other` as a verified peer of the test community.
    func knows(_ other: TestNode) -> Bool {
        community.knows(other.community)
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
