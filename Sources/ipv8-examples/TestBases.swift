import ArgumentParser
import IPv8
import IPv8Testing

/// testbase_tutorial_1: a community tested on the simulated network (the test kit's answer to py-ipv8's
/// TestBase and MockIPv8): the introduction callback sees the other node, and a cache times out on
/// simulated time.
final class TestedCommunity: TutorialCommunity {
    final class MyCache: NumberCache {
        weak var overlay: TestedCommunity?
        init(overlay: TestedCommunity) {
            self.overlay = overlay
            super.init(prefix: "", number: 0)
        }
        override func onTimeout() { overlay?.timedOut = true }
    }

    let someConstant: Int
    var lastPeer: Peer?
    var timedOut = false

    init(context: CommunityContext, someConstant: Int? = nil) throws {
        self.someConstant = someConstant ?? 42
        try super.init(context: context)
    }

    override func didHandleIntroductionRequest(from peer: Peer) { lastPeer = peer }

    func addCache() throws { try requestCache.add(MyCache(overlay: self)) }
}

struct TestBase1: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "testbase1", abstract: "testbase_tutorial_1: testing a community.")
    func run() throws {
        let simulation = SimulatedNetwork(seed: 1)
        let nodes = try (1...2).map { i in
            try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: UInt16(9000 + i)), seed: UInt64(i)) {
                try TestedCommunity(context: $0, someConstant: i == 1 ? 7 : nil)
            }
        }
        var checks: [(String, Bool)] = [("settings reach the community", nodes[0].community.someConstant == 7
                                          && nodes[1].community.someConstant == 42)]
        nodes[0].community.walkTo(nodes[1].address)        // py-ipv8's introduce_nodes()
        _ = simulation.deliverMessages()
        checks.append(("the introduction callback saw the requester",
                       nodes[1].community.lastPeer?.mid == nodes[0].community.myPeer.mid))
        try nodes[0].community.addCache()
        simulation.advance(by: 9.9)
        let early = nodes[0].community.timedOut
        simulation.advance(by: 0.2)
        checks.append(("the cache timed out after 10 simulated seconds", !early && nodes[0].community.timedOut))
        for (name, ok) in checks { print("\(ok ? "ok" : "FAILED"): \(name)") }
        for node in nodes { node.stop() }
        guard checks.allSatisfy(\.1) else { throw ExampleFailed("a check failed") }
    }
}

/// testbase_tutorial_2's messages: 1 and 3 signed, 2 unsigned, each one signed 64-bit value.
struct Message1: DataClassPayload { static let messageID: UInt8 = 1; var value: Int64 }
struct Message2: DataClassPayload { static let messageID: UInt8 = 2; var value: Int64 }
struct Message3: DataClassPayload { static let messageID: UInt8 = 3; var value: Int64 }

final class ThreeMessageCommunity: TutorialCommunity {
    var received: [UInt8] = []
    override init(context: CommunityContext) throws {
        try super.init(context: context)
        try addHandler(for: Message1.self, style: .ez) { [unowned self] _, _ in received.append(1) }
        try addUnsignedHandler(for: Message2.self, style: .ez) { [unowned self] _, _ in received.append(2) }
        try addHandler(for: Message3.self, style: .ez) { [unowned self] _, _ in received.append(3) }
    }

    func sendMessage(to peer: Peer, _ number: Int) {
        switch number {
        case 1: ezSend(peer, Message1(value: 1))
        case 2: endpoint.send(PacketEncoder.ezUnsigned(Message2(value: 2), prefix: prefix), to: peer.address)
        default: ezSend(peer, Message3(value: 3))
        }
    }
}

/// testbase_tutorial_2: which messages a node received (py-ipv8's `assertReceivedBy`).
struct TestBase2: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "testbase2", abstract: "testbase_tutorial_2: received messages.")
    func run() throws {
        let simulation = SimulatedNetwork(seed: 2)
        let nodes = try (1...2).map { i in
            try SimulatedNode(on: simulation, address: Address(127, 0, 0, 1, port: UInt16(9100 + i)), seed: UInt64(i)) {
                try ThreeMessageCommunity(context: $0)
            }
        }
        let peer1 = Peer(key: nodes[1].community.myPeer.key, address: nodes[1].address, now: 0)
        nodes[0].community.sendMessage(to: peer1, 1)
        nodes[0].community.sendMessage(to: peer1, 2)
        _ = simulation.deliverMessages()
        let first = nodes[1].community.received
        nodes[0].community.sendMessage(to: peer1, 3)
        _ = simulation.deliverMessages()
        print("received \(first), then \(Array(nodes[1].community.received.dropFirst(first.count)))")
        for node in nodes { node.stop() }
        guard first == [1, 2], nodes[1].community.received == [1, 2, 3] else { throw ExampleFailed("wrong messages received") }
    }
}
