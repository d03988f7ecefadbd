import XCTest
@testable import IPv8

/// Replies sent from inside a receive batch leave together with `sendmmsg` when the batch ends.
final class UDPEndpointSendBatchTests: XCTestCase {
    typealias Kit = UDPEndpointTests

    /// Answers every datagram with `replies` datagrams to its source (and, when set, first with one to
    /// `alsoTo`), numbered in one sequence: reply `n` carries `n` in its body.
    final class Replier: DatagramListener {
        let endpoint: UDPEndpoint
        let replies: Int
        var alsoTo: Address?
        private(set) var sent: [[UInt8]] = []
        init(_ endpoint: UDPEndpoint, replies: Int) {
            self.endpoint = endpoint
            self.replies = replies
        }
        func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
            if let alsoTo { endpoint.send(Kit.prefix(0) + [0xEE], to: alsoTo) }
            for _ in 0..<replies {
                let n = sent.count   // small replies (22 + 4 + 0...49 bytes): a default receive buffer holds hundreds
                let reply = Kit.prefix(0) + withUnsafeBytes(of: UInt32(n).bigEndian, Array.init)
                    + [UInt8](repeating: UInt8(n & 0xFF), count: n % 50)
                sent.append(reply)
                endpoint.send(reply, to: source)
            }
        }
    }

    /// A client on 127.0.0.1 that records what comes back, and a server bound to `bind` whose listener for
    /// the requests' prefix `makeReplier` builds.
    private func endpoints<L: DatagramListener>(on loop: EventLoop, serverAt bind: Address = Kit.localhost,
                                                 replier makeReplier: (UDPEndpoint) -> L) throws
        -> (client: UDPEndpoint, server: UDPEndpoint, replier: L, received: Kit.RecordingListener) {
        let client = try UDPEndpoint(loop: loop, bindTo: Kit.localhost)
        let server = try UDPEndpoint(loop: loop, bindTo: bind)
        let replier = makeReplier(server)
        try server.addListener(replier, prefix: CommunityPrefix(bytes: Kit.prefix(1))!)
        let received = Kit.RecordingListener()
        try client.addListener(received, prefix: CommunityPrefix(bytes: Kit.prefix(0))!)
        return (client, server, replier, received)
    }

    /// Sends `count` requests to `replier`'s socket before the loop runs, so that they wait in the kernel
    /// and arrive in `recvmmsg` batches; then runs the loop until `expected` replies came back.
    private func exchange(_ loop: EventLoop, from client: UDPEndpoint, to server: UDPEndpoint, count: Int,
                          expected: Int, listener: Kit.RecordingListener) -> Bool {
        let to = Address(127, 0, 0, 1, port: server.localAddress.port)
        for i in 0..<count { client.send(Kit.prefix(1) + [UInt8(i & 0xFF)], to: to) }
        return loop.run(until: { listener.packets.count >= expected }, timeout: .seconds(5))
    }

    /// 60 requests in batches of up to 20, four replies each: 80 replies per batch, more than the slab's
    /// 64, so batches are flushed when full and at their end; every reply arrives, in order, on an IPv4
    /// socket and on a dual-stack one (IPv4 destinations as mapped IPv6).
    func testBatchedRepliesAllArriveInOrderWithCountersRight() throws {
        for bind in [Address(127, 0, 0, 1, port: 0), Address(ip: "::", port: 0)!] {
            let loop = try EventLoop()
            defer { loop.stop() }
            let (client, server, replier, received) = try endpoints(on: loop, serverAt: bind) { Replier($0, replies: 4) }
            XCTAssertTrue(server.usesRecvmmsg)

            XCTAssertTrue(exchange(loop, from: client, to: server, count: 60, expected: 240, listener: received), "\(bind)")
            XCTAssertEqual(received.packets, replier.sent, "\(bind)")
            let counters = server.counters
            XCTAssertEqual(counters.packetsOut, 240)
            XCTAssertEqual(counters.bytesOut, UInt64(replier.sent.reduce(0) { $0 + $1.count }))
            XCTAssertEqual(counters.batchedSends, 240, "every reply left in a batch")
            XCTAssertEqual(counters.sendErrors, 0)
            XCTAssertEqual(counters.queuedSends, 0)
            XCTAssertEqual(client.counters.batchedSends, 0, "sends outside receive callbacks go out at once")
        }
    }

    /// A datagram the kernel refuses inside a batch (destination port 0: EINVAL) is counted as a send error;
    /// the replies around it still go out, in order.
    func testARefusedDatagramInABatchIsCountedAndTheRestArrive() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (client, server, replier, received) = try endpoints(on: loop) { Replier($0, replies: 2) }
        replier.alsoTo = Address(127, 0, 0, 1, port: 0)

        XCTAssertTrue(exchange(loop, from: client, to: server, count: 30, expected: 60, listener: received))
        XCTAssertEqual(received.packets, replier.sent)
        XCTAssertEqual(server.counters.sendErrors, 30)
        XCTAssertEqual(server.counters.packetsOut, 60)
        XCTAssertEqual(server.counters.batchedSends, 60)
    }

    /// When the kernel would block part way through a batch, the rest waits in libuv's queue (copied) and
    /// arrives after the part sent, in order; nothing is lost.
    func testTheRestOfABatchTheKernelRefusesWithEAGAINIsQueuedInOrder() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (client, server, replier, received) = try endpoints(on: loop) { Replier($0, replies: 3) }
        server.batchFlushRefusesAfter = 3

        XCTAssertTrue(exchange(loop, from: client, to: server, count: 40, expected: 120, listener: received))
        XCTAssertEqual(received.packets, replier.sent)
        let counters = server.counters
        XCTAssertEqual(counters.packetsOut, 120)
        XCTAssertEqual(counters.sendErrors, 0)
        XCTAssertGreaterThan(counters.queuedSends, 0)
        XCTAssertEqual(counters.batchedSends + counters.queuedSends, 120)
    }

    /// A low-TTL send inside a batch goes out after the replies batched before it and before those after it.
    func testALowTTLSendInsideABatchKeepsItsPlace() throws {
        final class TTLReplier: DatagramListener {
            let endpoint: UDPEndpoint
            var n = 0
            init(_ endpoint: UDPEndpoint) { self.endpoint = endpoint }
            func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
                endpoint.send(Kit.prefix(0) + [UInt8(n)], to: source); n += 1
                endpoint.send(Kit.prefix(0) + [UInt8(n)], to: source, ttl: 5); n += 1
                endpoint.send(Kit.prefix(0) + [UInt8(n)], to: source); n += 1
            }
        }
        let loop = try EventLoop()
        defer { loop.stop() }
        let (client, server, _, received) = try endpoints(on: loop) { TTLReplier($0) }

        XCTAssertTrue(exchange(loop, from: client, to: server, count: 20, expected: 60, listener: received))
        XCTAssertEqual(received.packets, (0..<60).map { Kit.prefix(0) + [UInt8($0)] })
        XCTAssertEqual(server.counters.packetsOut, 60)
        XCTAssertEqual(server.counters.batchedSends, 40)
    }

    /// Closing the socket from inside a receive callback sends what that batch holds first.
    func testClosingInsideABatchSendsItsRepliesFirst() throws {
        final class ClosingReplier: DatagramListener {
            let endpoint: UDPEndpoint
            var seen = 0
            init(_ endpoint: UDPEndpoint) { self.endpoint = endpoint }
            func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
                seen += 1
                endpoint.send(Kit.prefix(0) + [UInt8(seen)], to: source)
                if seen == 5 { endpoint.close() }
            }
        }
        let loop = try EventLoop()
        defer { loop.stop() }
        let (client, server, _, received) = try endpoints(on: loop) { ClosingReplier($0) }

        XCTAssertTrue(exchange(loop, from: client, to: server, count: 10, expected: 5, listener: received))
        XCTAssertEqual(received.packets, (1...5).map { Kit.prefix(0) + [UInt8($0)] })
        XCTAssertFalse(server.isOpen)
        XCTAssertEqual(server.counters.packetsOut, 5)
    }
}
