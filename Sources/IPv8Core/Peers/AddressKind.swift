/// The address classes a ``Peer`` keeps one address for, modelled on py-ipv8's `UDPv4Address`,
/// `UDPv4LANAddress` and `UDPv6Address` classes (a plain tuple maps to ``ipv4`` or ``ipv6`` by its host).
///
/// The kind is *not* part of ``Address`` equality: the Network's maps and the blacklist compare addresses by
/// value only, exactly like py-ipv8 (spec §14 item 1). Only `Peer.addresses` is keyed by kind.
public enum AddressKind: Hashable, Sendable, CaseIterable {
    /// A public (WAN) IPv4 address.
    case ipv4
    /// An IPv4 address on the peer's LAN. Never becomes a peer's preferred address.
    case ipv4LAN
    /// An IPv6 address. Preferred over IPv4.
    case ipv6

    /// The kind py-ipv8 gives a plain `(host, port)` tuple: ``ipv4`` for IPv4 hosts, ``ipv6`` for IPv6 hosts.
    public static func `default`(for address: Address) -> AddressKind {
        address.isIPv4 ? .ipv4 : .ipv6
    }

    /// Fixed iteration order for a peer's addresses (never the random order of a dictionary).
    static let iterationOrder: [AddressKind] = [.ipv6, .ipv4, .ipv4LAN]
}
