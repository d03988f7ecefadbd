/// What protocol logic (communities, strategies) sends through and receives from.
///
/// The libuv `UDPEndpoint` is one implementation; the test kit's simulated and embedded endpoints are
/// others. Every implementation demultiplexes inbound datagrams with its ``router``, so the prefix rules
/// are the same everywhere. Implementations are loop-confined: every call happens on the thread that
/// owns the engine.
public protocol Endpoint: AnyObject {
    /// The address the endpoint is bound to (with the real port when port 0 was asked for).
    var localAddress: Address { get }
    /// The address families the endpoint can send to (by default what a socket bound to ``localAddress``
    /// serves: ``AddressFamilies/served(byBinding:ipv6Only:)``).
    var families: AddressFamilies { get }
    /// This machine's own addresses (not loopback, not link-local), the one the default route leaves from
    /// first in each family, for an endpoint bound to an unspecified address: what it guesses its LAN address
    /// from (``estimatedLANAddress``) and what tells a responder's report of our own address
    /// (``Community/connectionEstimate``). Empty (the default) when the endpoint is bound to a specific
    /// address or cannot tell, as simulated endpoints cannot.
    var interfaceHosts: [Address.Host] { get }
    /// Routes inbound datagrams to the communities by their 22-byte prefix.
    var router: PrefixRouter { get }
    /// Sends one datagram. Never throws: send failures are counted by the endpoint.
    func send(_ bytes: [UInt8], to address: Address)
    /// Sends one datagram from a borrowed buffer (valid only for the call).
    func send(_ bytes: UnsafeRawBufferPointer, to address: Address)
    /// Sends one datagram whose IP time to live (hop limit) is `ttl`, so that it expires after `ttl`
    /// routers: a puncture that opens our own NAT's mapping without reaching (and poisoning) the far NAT.
    /// Best effort: an endpoint that cannot set it sends normally; one that cannot send at once may drop it.
    func send(_ bytes: [UInt8], to address: Address, ttl: UInt8)
}

extension Endpoint {
    /// What a socket bound to ``localAddress`` serves (``AddressFamilies/served(byBinding:ipv6Only:)``).
    public var families: AddressFamilies { .served(byBinding: localAddress) }

    /// None: bound to a specific address, or unable to tell.
    public var interfaceHosts: [Address.Host] { [] }

    /// The bound address as our own peer's first address: a dual-stack socket bound to `[::]:p` gives
    /// `0.0.0.0:p`, since the IPv4-only fields of old-style messages cannot carry IPv6 and py-ipv8 prefers
    /// its IPv4 interface too; any other address as it is. What responses tell us is added to it later.
    public var preferredLocalAddress: Address {
        let local = localAddress
        if local.isIPv6 && local.isUnspecified && families.contains(.ipv4) { return Address(host: .v4(0), port: local.port) }
        return local
    }

    /// Our first LAN address estimate (``Community/myEstimatedLAN``): ``preferredLocalAddress``, except that
    /// an unspecified IPv4 host (`0.0.0.0:p`, or `[::]:p` with IPv4) becomes the first IPv4 host of
    /// ``interfaceHosts`` at port `p`, as py-ipv8 guesses its LAN address from its interfaces (it stays
    /// `0.0.0.0:p` when there is none). An IPv6-only `[::]:p` stays as it is: its IPv6 address is learnt
    /// from the first IPv6 response (``Community/ownAddress(in:)``).
    public var estimatedLANAddress: Address {
        let preferred = preferredLocalAddress
        guard preferred.isIPv4 && preferred.isUnspecified,
              let host = interfaceHosts.first(where: { if case .v4 = $0 { return true } else { return false } }) else {
            return preferred
        }
        return Address(host: host, port: preferred.port)
    }

    /// Sends normally: simulated and embedded endpoints have no routers to expire in.
    public func send(_ bytes: [UInt8], to address: Address, ttl: UInt8) {
        send(bytes, to: address)
    }

    /// Routes every datagram starting with `prefix` to `listener`. One listener per prefix.
    /// - Throws: ``EndpointError/prefixInUse(_:)`` when another listener already has the prefix.
    public func addListener(_ listener: any DatagramListener, prefix: CommunityPrefix) throws {
        try router.addListener(listener, prefix: prefix)
    }

    /// Hands `listener` every routable datagram, whatever its prefix.
    public func addCatchAllListener(_ listener: any DatagramListener) {
        router.addCatchAllListener(listener)
    }

    /// Stops routing datagrams to `listener`.
    public func removeListener(_ listener: any DatagramListener) {
        router.removeListener(listener)
    }
}

/// Why an endpoint refused a call.
public enum EndpointError: Error, CustomStringConvertible, Equatable {
    /// Another listener already registered this prefix.
    case prefixInUse(CommunityPrefix)
    /// The endpoint was closed.
    case closed
    /// A socket buffer size outside 1…Int32.max.
    case invalidBufferSize(Int)

    public var description: String {
        switch self {
        case .prefixInUse(let p): return "prefix \(p) already has a listener"
        case .closed: return "the endpoint is closed"
        case .invalidBufferSize(let n): return "invalid socket buffer size \(n)"
        }
    }
}
