/// Turns host names into addresses for protocol logic, without blocking the thread that asks. The shell's
/// event loop resolves through libuv's thread pool; tests may answer from a table.
public protocol HostNameResolver: AnyObject {
    /// Looks up `host` and calls `completion` later, on the loop thread, with its addresses (each with
    /// `port`), or with an empty list when the name does not resolve.
    func resolve(_ host: String, port: UInt16, completion: @escaping ([Address]) -> Void)
}

/// py-ipv8's `DispersyBootstrapper`: a list of tracker addresses (and DNS names) a community walks to
/// when it has no peers, and now and then although it has some (``keepAliveAddress(for:)``).
///
/// The trackers' addresses are blacklisted in the network, so a tracker never becomes a peer. DNS names
/// are resolved through the `resolver` on first use; their IPv4 addresses join the list when the answer
/// arrives. A round happens at most once per `bootstrapTimeout` seconds.
///
/// Network safety: the public trackers are used only when a configuration names them; tests pass loopback
/// addresses.
public final class DispersyBootstrapper: Bootstrapper {
    /// The trackers by address: those given, those added with `addIPAddress(_:)`, and the IPv4 addresses resolved
    /// from `dnsAddresses`.
    public private(set) var ipAddresses: [Address]
    /// The trackers by host name and port, resolved through the resolver on the first round.
    public let dnsAddresses: [(host: String, port: UInt16)]
    /// The least time between two bootstrap rounds, in seconds (py-ipv8: 30).
    public let bootstrapTimeout: Double
    private let resolver: (any HostNameResolver)?
    private var lastRound: Double?
    private var resolving = false

    /// Adds a tracker address (py-ipv8's `POST /isolation` with `bootstrapnode`); idempotent.
    public func addIPAddress(_ address: Address) {
        if !ipAddresses.contains(address) { ipAddresses.append(address) }
    }

    /// - Parameters:
    ///   - ipAddresses: trackers by address.
    ///   - dnsAddresses: trackers by host name and port.
    ///   - bootstrapTimeout: seconds between bootstrap rounds (py-ipv8: 30).
    ///   - resolver: resolves `dnsAddresses`; with `nil`, names are ignored.
    public init(ipAddresses: [Address], dnsAddresses: [(host: String, port: UInt16)] = [],
                bootstrapTimeout: Double = 30.0, resolver: (any HostNameResolver)? = nil) {
        self.ipAddresses = ipAddresses
        self.dnsAddresses = dnsAddresses
        self.bootstrapTimeout = bootstrapTimeout
        self.resolver = resolver
    }

    public func bootstrapAddresses(for community: Community) -> [Address] {
        let now = community.clock.now
        if let lastRound, now - lastRound < bootstrapTimeout { return [] }
        lastRound = now
        for address in ipAddresses { community.network.addToBlacklist(address) }
        resolveNames(blacklistingIn: community.network)
        return ipAddresses
    }

    /// A random tracker, blacklisted, once the first round has happened (py-ipv8's `keep_alive`, which
    /// needs an initialised bootstrapper).
    public func keepAliveAddress(for community: Community) -> Address? {
        guard lastRound != nil, let address = community.random.element(of: ipAddresses) else { return nil }
        community.network.addToBlacklist(address)
        return address
    }

    private func resolveNames(blacklistingIn network: Network) {
        guard let resolver, !resolving, !dnsAddresses.isEmpty else { return }
        resolving = true
        for (host, port) in dnsAddresses {
            resolver.resolve(host, port: port) { [weak self, weak network] addresses in
                guard let self else { return }
                for address in addresses where address.isIPv4 && !self.ipAddresses.contains(address) {
                    self.ipAddresses.append(address)
                    network?.addToBlacklist(address)
                }
            }
        }
    }
}
