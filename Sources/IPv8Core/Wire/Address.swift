#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP address: an IPv4 or IPv6 host and a port.
///
/// `Address` is a small value type (no heap storage), so building one per received datagram costs
/// nothing but a copy. Two addresses are equal when host and port are equal, like py-ipv8's address
/// classes. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are normalised to plain IPv4 wherever an
/// address is made: received on a dual-stack socket (`init(sockaddr:)`), read from the wire
/// (`Unpacker.ipAddress`) or parsed from text (``init(ip:port:)``).
public struct Address: Hashable, Sendable, CustomStringConvertible {
    /// The host part.
    public enum Host: Hashable, Sendable {
        /// IPv4, the four octets in network order packed into a `UInt32` (`a << 24 | b << 16 | c << 8 | d`).
        case v4(UInt32)
        /// IPv6, the sixteen octets in network order as two big-endian halves.
        case v6(UInt64, UInt64)

        /// The host of an IPv6 address given as two big-endian halves, with IPv4-mapped IPv6
        /// (`::ffff:a.b.c.d`) read as the IPv4 host it maps: the one rule every reader of addresses
        /// (sockets, the wire, text) follows, so that an IPv4 host is IPv4 everywhere.
        @inline(__always)
        public static func ipv6(_ high: UInt64, _ low: UInt64) -> Host {
            high == 0 && low >> 32 == 0xFFFF ? .v4(UInt32(truncatingIfNeeded: low)) : .v6(high, low)
        }
    }

    /// The IPv4 or IPv6 host.
    public var host: Host
    /// The UDP port.
    public var port: UInt16

    /// An address from its host and port.
    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// An IPv4 address from its four octets.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        self.init(host: .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)), port: port)
    }

    /// Parses a textual IPv4 (`"127.0.0.1"`) or IPv6 (`"::1"`) address; IPv4-mapped IPv6
    /// (`"::ffff:127.0.0.1"`) gives the IPv4 address. Returns `nil` for anything else (host names are not
    /// resolved here).
    public init?(ip: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            self.init(host: .v4(UInt32(bigEndian: v4.s_addr)), port: port)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, ip, &v6) == 1 {
            let (hi, lo) = withUnsafeBytes(of: &v6) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.init(host: .ipv6(hi, lo), port: port)
            return
        }
        return nil
    }

    /// Parses `"1.2.3.4:5"` or `"[::1]:5"`.
    public init?(_ text: String) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let ip = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()) else { return nil }
            self.init(ip: ip, port: port)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        self.init(ip: String(text[..<colon]), port: port)
    }

    /// `0.0.0.0:0`, py-ipv8's "no address".
    public static let zero = Address(host: .v4(0), port: 0)

    /// True when the host is IPv4.
    public var isIPv4: Bool {
        if case .v4 = host { return true }
        return false
    }

    /// True when the host is IPv6.
    public var isIPv6: Bool { !isIPv4 }

    /// True for 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        switch host {
        case .v4(let ip): return ip >> 24 == 127
        case .v6(let hi, let lo): return hi == 0 && lo == 1
        }
    }

    /// True for 0.0.0.0 and ::.
    public var isUnspecified: Bool {
        switch host {
        case .v4(let ip): return ip == 0
        case .v6(let hi, let lo): return hi == 0 && lo == 0
        }
    }

    /// The host as text, without the port (`"127.0.0.1"`, `"::1"`).
    public var ip: String {
        switch host {
        case .v4(let ip):
            return "\(ip >> 24).\(ip >> 16 & 0xFF).\(ip >> 8 & 0xFF).\(ip & 0xFF)"
        case .v6:
            var a = in6_addr()
            writeIPv6(into: &a)
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
            return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    public var description: String {
        isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }

    /// The IPv4 octets in network order; `nil` for IPv6.
    public var ipv4Octets: (UInt8, UInt8, UInt8, UInt8)? {
        guard case .v4(let ip) = host else { return nil }
        return (UInt8(ip >> 24), UInt8(ip >> 16 & 0xFF), UInt8(ip >> 8 & 0xFF), UInt8(ip & 0xFF))
    }

    package func writeIPv6(into a: inout in6_addr) {
        let (hi, lo): (UInt64, UInt64)
        switch host {
        case .v4(let ip): (hi, lo) = (0, 0xFFFF_0000_0000 | UInt64(ip))   // IPv4-mapped
        case .v6(let h, let l): (hi, lo) = (h, l)
        }
        withUnsafeMutableBytes(of: &a) { raw in
            raw.storeBytes(of: hi.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: lo.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
    }
}

extension Address {
    /// The host as a source of traffic: the IPv4 address, or the /64 of an IPv6 address (one host or
    /// subscriber usually holds a whole /64). What fairness and per-host limits count by.
    public var hostKey: Host {
        switch host {
        case .v4: return host
        case .v6(let high, _): return .v6(high, 0)
        }
    }
}
