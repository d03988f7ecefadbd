import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IPv8Testing
import XCTest
@testable import IPv8

/// Junk at the sender's max rate, and a million distinct sources, against a node with a verified peer.
final class JunkFloodTests: XCTestCase {
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(statm.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testAJunkFloodGetsNoAnswerKeepsTheLoopOnTimeAndLosesNoPeer() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let a = try TestNode(loop: loop), b = try TestNode(loop: loop)
        a.service.addStrategy(RandomWalk(overlay: a.community), targetPeers: -1)   // a ticking scheduler
        a.service.start()
        b.service.start()
        a.community.walkTo(b.address)
        drive(loop, seconds: 5) { a.knows(b) && b.knows(a) }
        a.service.schedulerTimer.resetLag()
        let outBefore = a.service.endpoint.counters.packetsOut
        let receivedBefore = a.community.counters.received, handledBefore = a.community.counters.handled
        // 300,000 datagrams (many overflow the node's socket buffer) of 200 bytes under a's own prefix (junk after it), as fast as the sender goes.
        let prefix = a.community.prefix.bytes
        let done = DispatchSemaphore(value: 0)
        let port = a.address.port
        Thread {
            defer { done.signal() }
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { return }
            defer { close(fd) }
            var to = sockaddr_in()
            to.sin_family = sa_family_t(AF_INET)
            to.sin_port = port.bigEndian
            to.sin_addr.s_addr = inet_addr("127.0.0.1")
            let junk = prefix + [UInt8](repeating: 0, count: 200 - prefix.count)
            for _ in 0..<300_000 {
                _ = junk.withUnsafeBytes { raw in
                    withUnsafePointer(to: &to) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
            }
        }.start()
        let start = Date()
        loop.run(until: { a.community.counters.received - receivedBefore >= 100_000 && Date().timeIntervalSince(start) > 3 },
                 timeout: .seconds(15))
        done.wait()
        let lag = a.service.schedulerTimer.lag
        let junk = a.community.counters.received - receivedBefore
        print("junk flood: \(junk) datagrams in \(String(format: "%.1f", Date().timeIntervalSince(start))) s, "
            + "lag p50 \(String(format: "%.1f", lag.quantile(0.5) * 1000)) ms p99 \(String(format: "%.1f", lag.quantile(0.99) * 1000)) ms")
        XCTAssertGreaterThanOrEqual(junk, 50_000)
        XCTAssertGreaterThan(lag.count, 3, "the scheduler ticked during the flood")
        XCTAssertLessThan(a.community.counters.handled - handledBefore, 100, "junk is never handled")
        let sent = a.service.endpoint.counters.packetsOut - outBefore
        XCTAssertLessThan(sent, 200, "only the node's own walking sends: no answer to junk")
        XCTAssertLessThanOrEqual(lag.quantile(0.99), 0.050, "tick lag p99")
        XCTAssertTrue(a.knows(b), "no verified peer lost")
    }

    /// A million distinct source addresses sending signed requests (straight into the router): memory
    /// stays bounded (the gate's table is fixed, the peer table capped, the repeat memory bounded).
    func testAMillionDistinctSourcesDoNotGrowMemoryWithoutBound() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let node = try TestNode(loop: loop)
        let router = node.service.endpoint.router
        let key = PrivateKey.generate()
        // Phase 1: a million sources replaying 64 signed requests (dropped as repeats after one check each).
        let requests = (0..<64).map { i in
            PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: node.address, sourceLANAddress: Address(10, 0, 0, 1, port: 1),
                                                                sourceWANAddress: Address(10, 0, 0, 1, port: 1), identifier: UInt16(i)),
                                     prefix: node.community.prefix, globalTime: UInt64(i), key: key)
        }
        let before = Self.residentBytes()
        var peak = before
        for i in 0..<1_000_000 {
            let source = Address(host: .v4(0x0A00_0000 | UInt32(i >> 16)), port: UInt16(truncatingIfNeeded: i))
            requests[i % requests.count].withUnsafeBytes { _ = router.route($0, from: source) }
            if i % 100_000 == 0 { peak = max(peak, Self.residentBytes()) }
        }
        // Phase 2: 20,000 sources with distinct signed requests, each verified: the gate's table and the
        // peer table see them all.
        let fresh = (0..<20_000).map { i in
            PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: node.address, sourceLANAddress: Address(10, 0, 0, 1, port: 1),
                                                                sourceWANAddress: Address(10, 0, 0, 1, port: 1), identifier: UInt16(truncatingIfNeeded: i)),
                                     prefix: node.community.prefix, globalTime: UInt64(1_000 + i), key: key)
        }
        for (i, request) in fresh.enumerated() {
            let source = Address(host: .v4(0x0B00_0000 | UInt32(i)), port: 7)
            request.withUnsafeBytes { _ = router.route($0, from: source) }
        }
        peak = max(peak, Self.residentBytes())
        let growth = peak - before
        print("a million sources: peak RSS \(peak / 1_048_576) MiB, growth \(growth / 1024) KiB, "
            + "peers \(node.community.peerCount), handled \(node.community.counters.handledByID[246]), "
            + "duplicates \(node.community.counters.duplicates)")
        XCTAssertLessThan(growth, 64 * 1_048_576, "memory growth stays bounded")
        XCTAssertLessThanOrEqual(node.community.peerCount, node.community.maxPeers)
    }
}
