/// A DHT request waiting for its answer (py-ipv8's DHT `Request`): the node asked, when, and what to do
/// with the answer. An answer updates the node's liveness (``DHTNode/lastResponse``, ``DHTNode/rtt``);
/// a timeout counts a failure against it and completes with `nil`.
class DHTRequestCache: NumberCache {
    let node: DHTNode
    let sent: Double
    let timeout: Duration
    private let clock: any EngineClock
    private var completion: ((Answer?) -> Void)?

    /// What came back.
    enum Answer {
        case pong
        case stored
        case found(values: [[UInt8]], nodes: [DHTNode])
        case peerStored
        case connected([DHTNode])
    }

    required init(number: UInt64, node: DHTNode, timeout: Duration, clock: any EngineClock,
         completion: @escaping (Answer?) -> Void) {
        self.node = node
        self.sent = clock.now
        self.timeout = timeout
        self.clock = clock
        self.completion = completion
        super.init(number: number)
    }

    override var timeoutDelay: Duration { timeout }

    override func onTimeout() {
        node.failed += 1
        complete(nil)
    }

    /// The answer came: the node is alive.
    func answered(_ answer: Answer) {
        let now = clock.now
        node.lastResponse = now
        node.failed = 0
        node.rtt = now - sent
        complete(answer)
    }

    private func complete(_ answer: Answer?) {
        let done = completion
        completion = nil
        done?(answer)
    }
}

final class DHTPingCache: DHTRequestCache { override class var name: String { "ping" } }
final class DHTStoreCache: DHTRequestCache { override class var name: String { "store" } }
final class DHTFindCache: DHTRequestCache {
    override class var name: String { "find" }
    var forceNodes = false
}
final class DHTStorePeerCache: DHTRequestCache {
    override class var name: String { "store-peer" }
    var key: [UInt8] = []
}
final class DHTConnectPeerCache: DHTRequestCache { override class var name: String { "connect-peer" } }
