import CLibUV
import IPv8Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This machine's own addresses, for a socket bound to an unspecified address (`0.0.0.0`, `::`) that must
/// still name its LAN address (py-ipv8's `get_lan_addresses` and `_guess_lan_address`).
enum InterfaceHosts {
    /// The non-loopback, non-link-local addresses of the network interfaces that are up, per family the one
    /// the default route leaves from first (asked with a `connect` of an unbound UDP socket towards a
    /// documentation address, which picks a route and sends nothing), then the others in the system's order.
    /// Empty when the system lists none.
    static func discover() -> [Address.Host] {
        var listed: [Address.Host] = []
        var interfaces: UnsafeMutablePointer<uv_interface_address_t>?
        var count: Int32 = 0
        if uv_interface_addresses(&interfaces, &count) == 0, let interfaces {
            for i in 0..<Int(count) where interfaces[i].is_internal == 0 {
                let address = withUnsafePointer(to: &interfaces[i].address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Address(sockaddr: $0) }
                }
                if let address, isUsable(address), !listed.contains(address.host) { listed.append(address.host) }
            }
            uv_free_interface_addresses(interfaces, count)
        }
        let routed = [routedSource(towards: Address(192, 0, 2, 1, port: 9)),                  // TEST-NET-1
                      routedSource(towards: Address(ip: "2001:db8::1", port: 9)!)].compactMap { $0 }  // RFC 3849
        return routed.filter { listed.contains($0) } + listed.filter { !routed.contains($0) }
    }

    /// Loopback, unspecified and IPv6 link-local (`fe80::/10`) addresses name no LAN position.
    private static func isUsable(_ address: Address) -> Bool {
        if address.isLoopback || address.isUnspecified { return false }
        if case .v6(let high, _) = address.host, high >> 54 == 0x3FA { return false }
        return true
    }

    /// The source address the kernel would give a datagram to `destination`, or `nil` without a route.
    private static func routedSource(towards destination: Address) -> Address.Host? {
        let fd = socket(destination.isIPv4 ? AF_INET : AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let length = socklen_t(destination.isIPv4 ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        guard destination.withSockaddr({ connect(fd, $0, length) }) == 0 else { return nil }
        var storage = sockaddr_storage()
        var storageLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let source = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Address? in
                getsockname(fd, pointer, &storageLength) == 0 ? Address(sockaddr: pointer) : nil
            }
        }
        guard let source, isUsable(source) else { return nil }
        return source.host
    }
}
