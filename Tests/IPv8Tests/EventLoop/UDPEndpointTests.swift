import XCTest
@testable import IPv8

final class UDPEndpointTests: XCTestCase {
    static let localhost = Address(127, 0, 0, 1, port: 0)

    /// Records every datagram it receives (copied).
    final class RecordingListener: DatagramListener {
        var packets: [[UInt8]] = []
        var sources: [Address] = []
        func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
            packets.append(Array(packet))
            sources.append(source)
        }
    }

    /// A sender and a receiver on loopback, and a listener for `prefix(0)` on the receiver.
    static func pair(on loop: EventLoop) throws -> (sender: UDPEndpoint, receiver: UDPEndpoint, listener: RecordingListener) {
        let sender = try UDPEndpoint(loop: loop, bindTo: localhost)
        let receiver = try UDPEndpoint(loop: loop, bindTo: localhost)
        let listener = RecordingListener()
        try receiver.addListener(listener, prefix: CommunityPrefix(bytes: prefix(0))!)
        return (sender, receiver, listener)
    }

    static func prefix(_ n: UInt8) -> [UInt8] { [0, 2] + (0..<20).map { $0 &+ n } }

    /// The datagram number `seq` of the exchange: prefix, then a deterministic body of a size in 23...1400.
    static func datagram(_ seq: Int, prefix: [UInt8]) -> [UInt8] {
        var x = UInt64(seq) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        let size = 23 + Int(x % 1_378)
        var out = prefix
        out.append(UInt8(seq & 0xFF))   // message id byte
        while out.count < size {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            out.append(UInt8(truncatingIfNeeded: x))
        }
        withUnsafeBytes(of: UInt32(seq).bigEndian) { raw in
            if size >= 27 { for i in 0..<4 { out[23 + i] = raw[i] } }
        }
        return out
    }

    func testTenThousandDatagramsOfMixedSizesArriveIntactAtTheListenerForTheirPrefix() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let sender = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let receiver = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let first = RecordingListener(), second = RecordingListener()
        try receiver.addListener(first, prefix: CommunityPrefix(bytes: Self.prefix(0))!)
        try receiver.addListener(second, prefix: CommunityPrefix(bytes: Self.prefix(100))!)

        let total = 10_000, burst = 50
        var expectedFirst: [[UInt8]] = [], expectedSecond: [[UInt8]] = []
        var seq = 0
        while seq < total {
            for _ in 0..<burst where seq < total {
                let toFirst = seq % 3 != 0
                let d = Self.datagram(seq, prefix: Self.prefix(toFirst ? 0 : 100))
                if toFirst { expectedFirst.append(d) } else { expectedSecond.append(d) }
                sender.send(d, to: receiver.localAddress)
                seq += 1
            }
            // Pace: wait until this burst has arrived before sending the next one.
            XCTAssertTrue(loop.run(until: { first.packets.count + second.packets.count == seq }, timeout: .seconds(5)),
                          "burst ending at \(seq) did not fully arrive")
        }
        XCTAssertEqual(first.packets, expectedFirst)
        XCTAssertEqual(second.packets, expectedSecond)
        XCTAssertTrue(first.sources.allSatisfy { $0 == sender.localAddress })
        XCTAssertEqual(receiver.counters.packetsIn, UInt64(total))
        XCTAssertEqual(receiver.counters.bytesIn, UInt64((expectedFirst + expectedSecond).reduce(0) { $0 + $1.count }))
        XCTAssertEqual(sender.counters.packetsOut, UInt64(total))
        XCTAssertEqual(sender.counters.sendErrors, 0)
        XCTAssertEqual(receiver.counters.droppedUnknownPrefix, 0)
        XCTAssertEqual(receiver.counters.droppedTooShort, 0)
    }

    func testShortDatagramsAndUnknownPrefixesAreCountedAndReachNoListener() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let sender = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let receiver = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let listener = RecordingListener()
        let known = Self.prefix(0)
        try receiver.addListener(listener, prefix: CommunityPrefix(bytes: known)!)

        for length in 0...22 {    // too short, even when they start with the known prefix
            sender.send(Array((known + [1]).prefix(length)), to: receiver.localAddress)
        }
        for n in 1...5 { sender.send(Self.prefix(UInt8(n)) + [7, 7, 7], to: receiver.localAddress) }
        sender.send(known + [9], to: receiver.localAddress)   // the one good datagram, sent last

        XCTAssertTrue(loop.run(until: { receiver.counters.packetsIn == 29 }, timeout: .seconds(5)))
        XCTAssertEqual(receiver.counters.droppedTooShort, 23)
        XCTAssertEqual(receiver.counters.droppedUnknownPrefix, 5)
        XCTAssertEqual(listener.packets, [known + [9]])
    }

    func testLoopbackOnlyEndpointRefusesOffLoopbackAddressesAndStillSendsToLoopback() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (sender, receiver, listener) = try Self.pair(on: loop)
        sender.sendsOnlyToLoopback = true
        // The sender is bound to 127.0.0.1, so even without the guard the kernel could not send these
        // off the machine (it refuses them: a send error); with it they never reach the socket.
        for address in [Address(192, 0, 2, 1, port: 9), Address(10, 0, 0, 1, port: 9), Address(ip: "2001:db8::1", port: 9)!] {
            sender.send(Self.prefix(0) + [1], to: address)
        }
        sender.send(Self.prefix(0) + [2], to: receiver.localAddress)
        XCTAssertTrue(loop.run(until: { listener.packets.count == 1 }, timeout: .seconds(5)))
        XCTAssertEqual(listener.packets, [Self.prefix(0) + [2]])
        XCTAssertEqual(sender.counters.sendsRefusedOffLoopback, 3)
        XCTAssertEqual(sender.counters.sendErrors, 0)
        XCTAssertEqual(sender.counters.packetsOut, 1)
    }

    /// A low-TTL send leaves with that TTL (IPv6: hop limit) and the next ordinary send with the default
    /// again, as a plain socket with `IP_RECVTTL` (`IPV6_RECVHOPLIMIT`) reads them.
    func testALowTTLSendCarriesItsTTLAndTheSocketGoesBackToTheDefault() throws {
        for v6 in [false, true] {
            let loop = try EventLoop()
            defer { loop.stop() }
            let sender = try UDPEndpoint(loop: loop, bindTo: v6 ? Address(ip: "::1", port: 0)! : Self.localhost)
            let receiver = try TTLReadingSocket(v6: v6)
            defer { receiver.close() }
            sender.send(Self.prefix(0) + [1], to: receiver.address, ttl: 2)
            XCTAssertEqual(receiver.nextTTL(), 2, v6 ? "IPv6" : "IPv4")
            sender.send(Self.prefix(0) + [2], to: receiver.address)
            XCTAssertEqual(receiver.nextTTL(), 64, "the system default again")
            XCTAssertEqual(sender.counters.packetsOut, 2)
            XCTAssertEqual(sender.counters.lowTTLSendsDropped, 0)
        }
    }

    /// A plain UDP socket on loopback that reports each datagram's TTL (or hop limit) from its control
    /// message.
    final class TTLReadingSocket {
        let fd: Int32
        let v6: Bool
        private(set) var address = Address.zero

        init(v6: Bool) throws {
            self.v6 = v6
            fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw XCTSkip("no socket") }
            var on: Int32 = 1
            let (level, option) = v6 ? (Int32(IPPROTO_IPV6), IPV6_RECVHOPLIMIT) : (Int32(IPPROTO_IP), IP_RECVTTL)
            guard setsockopt(fd, level, option, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else { throw XCTSkip("no TTL option") }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let loopback = v6 ? Address(ip: "::1", port: 0)! : Address(127, 0, 0, 1, port: 0)
            let bound: Bool = loopback.withSockaddr(mapToIPv6: false) { sa in
                bind(fd, sa, v6 ? socklen_t(MemoryLayout<sockaddr_in6>.size) : socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
            guard bound else { throw XCTSkip("cannot bind \(loopback)") }
            _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            let port = withUnsafeBytes(of: &storage) { raw in UInt16(raw[2]) << 8 | UInt16(raw[3]) }   // sin(6)_port
            address = Address(host: loopback.host, port: port)
        }

        /// The TTL of the next datagram; `nil` when none came within 5 s or it carried no TTL.
        func nextTTL() -> Int32? {
            var data = [UInt8](repeating: 0, count: 2048)
            var control = [UInt8](repeating: 0, count: 64)
            let (level, type) = v6 ? (Int32(IPPROTO_IPV6), IPV6_HOPLIMIT) : (Int32(IPPROTO_IP), IP_TTL)
            return data.withUnsafeMutableBytes { dataBytes in
                control.withUnsafeMutableBytes { controlBytes in
                    var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { iov in
                        var message = msghdr(msg_name: nil, msg_namelen: 0, msg_iov: iov, msg_iovlen: 1,
                                             msg_control: controlBytes.baseAddress, msg_controllen: controlBytes.count, msg_flags: 0)
                        guard recvmsg(fd, &message, 0) > 0, message.msg_controllen >= 20 else { return nil }
                        // struct cmsghdr on Linux: size_t len, int level, int type, then the data.
                        guard controlBytes.load(fromByteOffset: 8, as: Int32.self) == level,
                              controlBytes.load(fromByteOffset: 12, as: Int32.self) == type else { return nil }
                        return controlBytes.load(fromByteOffset: 16, as: Int32.self)
                    }
                }
            }
        }

        func close() { Glibc.close(fd) }
    }

    func testCatchAllListenerSeesEveryPrefixAndPrefixListenerStillGetsItsOwn() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let sender = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let receiver = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let own = RecordingListener(), sniffer = RecordingListener()
        try receiver.addListener(own, prefix: CommunityPrefix(bytes: Self.prefix(0))!)
        receiver.addCatchAllListener(sniffer)
        sender.send(Self.prefix(0) + [1], to: receiver.localAddress)
        sender.send(Self.prefix(5) + [2], to: receiver.localAddress)
        XCTAssertTrue(loop.run(until: { sniffer.packets.count == 2 }, timeout: .seconds(5)))
        XCTAssertEqual(own.packets, [Self.prefix(0) + [1]])
        XCTAssertEqual(receiver.counters.droppedUnknownPrefix, 0)
        XCTAssertThrowsError(try receiver.addListener(RecordingListener(), prefix: CommunityPrefix(bytes: Self.prefix(0))!))
        receiver.removeListener(own)
        sender.send(Self.prefix(0) + [3], to: receiver.localAddress)
        XCTAssertTrue(loop.run(until: { sniffer.packets.count == 3 }, timeout: .seconds(5)))
        XCTAssertEqual(own.packets.count, 1)
    }

    func testBindingAPortInUseNamesTheAddressAndTheLoopKeepsWorking() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let first = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        XCTAssertThrowsError(try UDPEndpoint(loop: loop, bindTo: first.localAddress)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(first.localAddress.description), text)
            XCTAssertTrue(text.contains("EADDRINUSE"), text)
        }
        let second = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let listener = RecordingListener()
        try first.addListener(listener, prefix: CommunityPrefix(bytes: Self.prefix(0))!)
        second.send(Self.prefix(0) + [42], to: first.localAddress)
        XCTAssertTrue(loop.run(until: { listener.packets.count == 1 }, timeout: .seconds(5)))
    }

    func testDualStackSocketExchangesWithIPv4AndIPv6() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let dual = try UDPEndpoint(loop: loop, bindTo: Address(ip: "::", port: 0)!)
        let v4 = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        let v6 = try UDPEndpoint(loop: loop, bindTo: Address(ip: "::1", port: 0)!)
        let atDual = RecordingListener(), atV4 = RecordingListener()
        try dual.addListener(atDual, prefix: CommunityPrefix(bytes: Self.prefix(0))!)
        try v4.addListener(atV4, prefix: CommunityPrefix(bytes: Self.prefix(0))!)
        v4.send(Self.prefix(0) + [4], to: Address(127, 0, 0, 1, port: dual.localAddress.port))
        v6.send(Self.prefix(0) + [6], to: Address(ip: "::1", port: dual.localAddress.port)!)
        XCTAssertTrue(loop.run(until: { atDual.packets.count == 2 }, timeout: .seconds(5)))
        XCTAssertTrue(atDual.sources.contains(v4.localAddress), "IPv4 source must arrive as plain IPv4: \(atDual.sources)")
        dual.send(Self.prefix(0) + [1], to: v4.localAddress)   // IPv4 destination from a dual-stack socket
        XCTAssertTrue(loop.run(until: { atV4.packets.count == 1 }, timeout: .seconds(5)))
        v4.send(Self.prefix(0), to: Address(ip: "::1", port: 9)!)   // IPv6 from an IPv4 socket: counted, not fatal
        XCTAssertEqual(v4.counters.sendErrors, 1)
    }

    func testQueuedSendsArriveInOrder() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (sender, receiver, listener) = try Self.pair(on: loop)
        sender.alwaysQueueSends = true
        let sent = (0..<100).map { Self.datagram($0, prefix: Self.prefix(0)) }
        for d in sent { sender.send(d, to: receiver.localAddress) }
        XCTAssertTrue(loop.run(until: { listener.packets.count == 100 }, timeout: .seconds(5)))
        XCTAssertEqual(listener.packets, sent)
        XCTAssertEqual(sender.counters.packetsOut, 100)
        XCTAssertEqual(sender.counters.queuedSends, 100)
    }

    func testSocketBufferSizesCanBeSet() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let endpoint = try UDPEndpoint(loop: loop, bindTo: Self.localhost)
        try endpoint.setReceiveBufferSize(65_536)
        try endpoint.setSendBufferSize(32_768)
        XCTAssertEqual(try endpoint.receiveBufferSize(), 131_072)   // Linux doubles what was set
        XCTAssertEqual(try endpoint.sendBufferSize(), 65_536)
        XCTAssertThrowsError(try endpoint.setReceiveBufferSize(-1))
    }

    /// The gate's backlog probe reads the kernel's queue: a full buffer that dropped datagrams is a backlog,
    /// a drained queue with no new drops is none.
    func testBacklogProbeSeesAFullReceiveQueueAndADrainedOne() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let (sender, receiver, listener) = try Self.pair(on: loop)
        try receiver.setReceiveBufferSize(32_768)
        let probe = try XCTUnwrap(receiver.router.verificationGate.backlogProbe)
        XCTAssertFalse(probe(), "an idle socket has no backlog")
        let before = try XCTUnwrap(receiver.receiveQueueState())
        XCTAssertEqual(before.queuedBytes, 0)
        XCTAssertEqual(before.bufferBytes, 65_536)
        // The loop does not run while these are sent, so they pile up in the kernel until it drops them.
        let datagram = [UInt8](Self.datagram(7, prefix: Self.prefix(0)).prefix(1_000))
        for _ in 0..<200 { sender.send(datagram, to: receiver.localAddress) }
        let full = try XCTUnwrap(receiver.receiveQueueState())
        XCTAssertGreaterThan(full.queuedBytes * 2, full.bufferBytes)
        XCTAssertGreaterThan(full.drops, 0)
        XCTAssertTrue(probe(), "a full queue that dropped datagrams is a backlog")
        XCTAssertTrue(loop.run(until: { receiver.receiveQueueState()?.queuedBytes == 0 }, timeout: .seconds(5)))
        XCTAssertGreaterThan(listener.packets.count, 0)
        XCTAssertFalse(probe(), "drained, and no drops since the last asking")
        // A gate set later keeps the endpoint's probe.
        receiver.router.verificationGate = VerificationGate()
        XCTAssertNotNil(receiver.router.verificationGate.backlogProbe)
    }

    func testStopDuringTrafficAndWithQueuedSendsReturnsCleanly() throws {
        let loop = try EventLoop()
        let (sender, receiver, listener) = try Self.pair(on: loop)
        let big = Self.prefix(0) + [UInt8](repeating: 0xAB, count: 1_000)
        for _ in 0..<100 { sender.send(big, to: receiver.localAddress) }
        XCTAssertTrue(loop.run(until: { listener.packets.count > 10 }, timeout: .seconds(5)))   // traffic flowing
        sender.alwaysQueueSends = true
        for _ in 0..<200 { sender.send(big, to: receiver.localAddress) }
        XCTAssertEqual(sender.counters.queuedSends, 200)
        loop.stop()
        XCTAssertTrue(loop.isClosed)
        XCTAssertFalse(sender.isOpen)
        XCTAssertFalse(receiver.isOpen)
        loop.stop()
    }
}
