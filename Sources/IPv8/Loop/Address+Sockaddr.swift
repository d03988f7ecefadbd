import IPv8Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Address {
    /// Reads an `AF_INET` or `AF_INET6` socket address. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes IPv4.
    /// Returns `nil` for other families.
    @inline(__always)
    init?(sockaddr sa: UnsafePointer<sockaddr>) {
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            let (ip, port) = UnsafeRawPointer(sa).withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                (UInt32(bigEndian: $0.pointee.sin_addr.s_addr), UInt16(bigEndian: $0.pointee.sin_port))
            }
            self.init(host: .v4(ip), port: port)
        case AF_INET6:
            let raw = UnsafeRawPointer(sa)
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let hi = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let lo = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            self.init(host: .ipv6(hi, lo), port: port)
        default:
            return nil
        }
    }

    /// Calls `body` with this address as a socket address. With `mapToIPv6`, an IPv4 address is given as
    /// IPv4-mapped IPv6, which is what a dual-stack (`::`) socket needs.
    @inline(__always)
    func withSockaddr<R>(mapToIPv6: Bool = false, _ body: (UnsafePointer<sockaddr>) throws -> R) rethrows -> R {
        if case .v4(let ip) = host, !mapToIPv6 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = ip.bigEndian
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        writeIPv6(into: &sin6.sin6_addr)
        return try withUnsafePointer(to: &sin6) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
        }
    }
}
