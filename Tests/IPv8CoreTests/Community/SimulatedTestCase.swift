import IPv8Testing
import XCTest
@testable import IPv8Core

/// A test case with a fresh simulated network (manual time, no sockets) and nodes running a
/// ``PlainCommunity`` on consecutive loopback ports.
class SimulatedTestCase: XCTestCase {
    let simulation = SimulatedNetwork(seed: 1)
    private var nextPort: UInt16 = 9000

    /// A node with a ``PlainCommunity`` on the next free port.
    func node(key: PrivateKey? = nil, maxPeers: Int = 30) throws -> SimulatedNode<PlainCommunity> {
        try node(key: key, maxPeers: maxPeers) { try PlainCommunity(context: $0) }
    }

    /// A node with the community `make` builds, on the next free port.
    func node<C: Community>(key: PrivateKey? = nil, maxPeers: Int = 30,
                            _ make: (CommunityContext) throws -> C) throws -> SimulatedNode<C> {
        nextPort += 1
        return try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: nextPort), seed: UInt64(nextPort),
                                 key: key, maxPeers: maxPeers, makeCommunity: make)
    }

    /// Advances simulated time until `condition` holds; fails the test after `seconds` simulated seconds.
    func run(within seconds: Double = 5, file: StaticString = #filePath, line: UInt = #line,
             until condition: () -> Bool) {
        XCTAssertTrue(simulation.run(until: condition, within: seconds, step: 0.01),
                      "condition not reached within \(seconds) simulated s", file: file, line: line)
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
