import XCTest
@testable import IPv8
#if canImport(Glibc)
import Glibc
#endif

/// A socket bound to an unspecified address knows this machine's own addresses (to guess its LAN address
/// from, as py-ipv8 does); one bound to a specific address needs none. Checked against `getifaddrs(3)`.
final class InterfaceHostsTests: XCTestCase {
    /// The non-loopback, non-link-local addresses of interfaces that are up and running (what libuv lists), read with `getifaddrs`.
    static func systemHosts() -> Set<Address.Host> {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var hosts: Set<Address.Host> = []
        var next = first
        while let entry = next {
            next = entry.pointee.ifa_next
            let upAndRunning = UInt32(IFF_UP | IFF_RUNNING)
            guard entry.pointee.ifa_flags & upAndRunning == upAndRunning, let sa = entry.pointee.ifa_addr,
                  let address = Address(sockaddr: UnsafePointer(sa)), !address.isLoopback, !address.isUnspecified else { continue }
            if case .v6(let high, _) = address.host, high >> 54 == 0x3FA { continue }
            hosts.insert(address.host)
        }
        return hosts
    }

    func testAWildcardSocketListsTheMachinesOwnAddressesAndGuessesItsLANAddressFromThem() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let wildcard = try UDPEndpoint(loop: loop, bindTo: Address(0, 0, 0, 0, port: 0))
        let dual = try UDPEndpoint(loop: loop, bindTo: Address(ip: "::", port: 0)!)
        let specific = try UDPEndpoint(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        let expected = Self.systemHosts()
        XCTAssertEqual(Set(wildcard.interfaceHosts), expected)
        XCTAssertEqual(wildcard.interfaceHosts.count, expected.count, "each host once")
        XCTAssertEqual(Set(dual.interfaceHosts), expected)
        XCTAssertEqual(specific.interfaceHosts, [])
        XCTAssertEqual(specific.estimatedLANAddress, specific.localAddress)

        let firstIPv4 = wildcard.interfaceHosts.first { if case .v4 = $0 { return true } else { return false } }
        XCTAssertEqual(wildcard.estimatedLANAddress, Address(host: firstIPv4 ?? .v4(0), port: wildcard.localAddress.port))
        XCTAssertEqual(dual.estimatedLANAddress, Address(host: firstIPv4 ?? .v4(0), port: dual.localAddress.port))
        XCTAssertEqual(dual.preferredLocalAddress, Address(0, 0, 0, 0, port: dual.localAddress.port), "our own peer's first address")
    }
}
