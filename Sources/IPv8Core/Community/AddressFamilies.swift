/// The address families an endpoint sends to and receives from: what py-ipv8 calls its interfaces
/// (`UDPIPv4`, `UDPIPv6`).
public struct AddressFamilies: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The set as bits: 1 for IPv4, 2 for IPv6.
    public let rawValue: UInt8
    /// The set whose bits are `rawValue`.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// IPv4 (py-ipv8's `UDPIPv4` interface).
    public static let ipv4 = AddressFamilies(rawValue: 1)
    /// IPv6 (py-ipv8's `UDPIPv6` interface).
    public static let ipv6 = AddressFamilies(rawValue: 2)

    /// What a socket bound to `address` serves: IPv4 for an IPv4 address; both for `::` (a dual-stack
    /// socket) unless `ipv6Only`; IPv6 alone for any other IPv6 address (a socket bound to `::1` cannot
    /// reach IPv4 hosts).
    public static func served(byBinding address: Address, ipv6Only: Bool = false) -> AddressFamilies {
        if address.isIPv4 { return .ipv4 }
        return address.isUnspecified && !ipv6Only ? [.ipv4, .ipv6] : .ipv6
    }

    /// The family of `address`.
    public static func of(_ address: Address) -> AddressFamilies {
        address.isIPv4 ? .ipv4 : .ipv6
    }

    /// Whether `address`'s family is one of these.
    public func serves(_ address: Address) -> Bool {
        contains(.of(address))
    }

    /// `IPv4`, `IPv6`, `IPv4+IPv6` or `none`.
    public var description: String {
        var names: [String] = []
        if contains(.ipv4) { names.append("IPv4") }
        if contains(.ipv6) { names.append("IPv6") }
        return names.isEmpty ? "none" : names.joined(separator: "+")
    }
}
