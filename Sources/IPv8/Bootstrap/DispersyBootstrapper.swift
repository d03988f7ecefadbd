import IPv8Core
/// py-ipv8's `DispersyBootstrapper`: a list of tracker addresses (and DNS names) a community walks to
/// when it has no peers.
///
/// The trackers' addresses are blacklisted in the network, so a tracker never becomes a peer. DNS names
/// are resolved off the loop thread (``HostResolver``) on first use; their addresses join the list when
/// the answer arrives. A round happens at most once per `bootstrapTimeout` seconds.
///
/// Network safety: the public trackers are used only when a configuration names them; tests pass loopback
/// addresses.
public final class DispersyBootstrapper: Bootstrapper {
    public private(set) var ipAddresses: [Address]
    public let dnsAddresses: [(host: String, port: UInt16)]
    public let bootstrapTimeout: Double
    private let loop: EventLoop?
    private var lastRound: Double?
    private var resolving = false

    /// - Parameter loop: where DNS names are resolved; with `nil`, names are ignored.
    public init(ipAddresses: [Address], dnsAddresses: [(host: String, port: UInt16)] = [],
                bootstrapTimeout: Double = 30.0, loop: EventLoop? = nil) {
        self.ipAddresses = ipAddresses
        self.dnsAddresses = dnsAddresses
        self.bootstrapTimeout = bootstrapTimeout
        self.loop = loop
    }

    public func bootstrapAddresses(for community: Community) -> [Address] {
        let now = community.clock.now
        if let lastRound, now - lastRound < bootstrapTimeout { return [] }
        lastRound = now
        for address in ipAddresses { community.network.addToBlacklist(address) }
        resolveNames(blacklistingIn: community.network)
        return ipAddresses
    }

    private func resolveNames(blacklistingIn network: Network) {
        guard let loop, !resolving, !dnsAddresses.isEmpty else { return }
        resolving = true
        for (host, port) in dnsAddresses {
            HostResolver.resolve(host, port: port, on: loop) { [weak self, weak network] result in
                guard let self, case .success(let addresses) = result else { return }
                for address in addresses where address.isIPv4 && !self.ipAddresses.contains(address) {
                    self.ipAddresses.append(address)
                    network?.addToBlacklist(address)
                }
            }
        }
    }
}
