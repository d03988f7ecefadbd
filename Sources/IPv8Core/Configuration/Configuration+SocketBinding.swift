extension Configuration {
    /// The one socket a node opens for its ``interfaces``: where it binds, and whether an IPv6 socket
    /// takes IPv6 only.
    public struct SocketBinding: Equatable, Sendable {
        /// The address to bind.
        public var address: Address
        /// True when the socket must not take IPv4 (only `UDPIPv6` was asked for).
        public var ipv6Only: Bool

        /// A binding to `address`, IPv6 only when `ipv6Only`.
        public init(address: Address, ipv6Only: Bool = false) {
            self.address = address
            self.ipv6Only = ipv6Only
        }

        /// The address families the socket serves.
        public var families: AddressFamilies { .served(byBinding: address, ipv6Only: ipv6Only) }
    }

    /// The socket the ``interfaces`` describe (py-ipv8's `DispatcherEndpoint`, spec §8.3, on one socket):
    /// - `UDPIPv4` alone: an IPv4 socket on its ip and port.
    /// - `UDPIPv6` alone: an IPv6-only socket on its ip and port (py-ipv8 sets `IPV6_V6ONLY` too).
    /// - both: **one dual-stack socket** on `[::]:port`, which needs the `UDPIPv4` ip to be `0.0.0.0`, the
    ///   `UDPIPv6` ip to be `::` and the two ports to be equal: a dual-stack socket binds every address of
    ///   both families on one port. py-ipv8 opens two sockets there; one keeps the engine's one-socket
    ///   receive path, and IPv4 peers still appear as plain IPv4 addresses.
    ///
    /// - Throws: `ConfigurationErrors` naming the field: no interface, an interface listed twice, an ip that
    ///   is not an address of the interface's family, or two interfaces one dual-stack socket cannot serve.
    public func socketBinding() throws(ConfigurationErrors) -> SocketBinding {
        var errors: [ConfigurationError] = []
        var chosen: [String: (index: Int, address: Address)] = [:]
        if interfaces.isEmpty { errors.append(ConfigurationError(path: "interfaces", problem: "at least one interface is needed")) }
        for (i, entry) in interfaces.enumerated() {
            let path = "interfaces[\(i)]"
            guard Self.interfaceNames.contains(entry.interface) else {
                errors.append(ConfigurationError(path: "\(path).interface", problem:
                    "unknown interface \"\(entry.interface)\" (known: \(Self.interfaceNames.joined(separator: ", ")))"))
                continue
            }
            if let first = chosen[entry.interface] {
                errors.append(ConfigurationError(path: "\(path).interface", problem:
                    "\(entry.interface) is already interfaces[\(first.index)]; a node has one socket per address family"))
                continue
            }
            let wantsIPv6 = entry.interface == "UDPIPv6"
            guard let address = Address(ip: entry.ip, port: entry.port), address.isIPv6 == wantsIPv6 else {
                errors.append(ConfigurationError(path: "\(path).ip", problem:
                    "\"\(entry.ip)\" is not an \(wantsIPv6 ? "IPv6" : "IPv4") address, which \(entry.interface) needs"))
                continue
            }
            chosen[entry.interface] = (i, address)
        }
        guard errors.isEmpty else { throw ConfigurationErrors(errors: errors) }
        switch (chosen["UDPIPv4"], chosen["UDPIPv6"]) {
        case (let v4?, nil): return SocketBinding(address: v4.address)
        case (nil, let v6?): return SocketBinding(address: v6.address, ipv6Only: true)
        case (let v4?, let v6?):
            let dual = "UDPIPv4 and UDPIPv6 share one dual-stack socket, which binds every address of both families"
            if !v4.address.isUnspecified {
                errors.append(ConfigurationError(path: "interfaces[\(v4.index)].ip", problem: "must be 0.0.0.0, not \(v4.address.ip): \(dual)"))
            }
            if !v6.address.isUnspecified {
                errors.append(ConfigurationError(path: "interfaces[\(v6.index)].ip", problem: "must be ::, not \(v6.address.ip): \(dual)"))
            }
            if v4.address.port != v6.address.port {
                errors.append(ConfigurationError(path: "interfaces[\(v6.index)].port", problem:
                    "must equal the UDPIPv4 port \(v4.address.port), not \(v6.address.port): \(dual) on one port"))
            }
            guard errors.isEmpty else { throw ConfigurationErrors(errors: errors) }
            return SocketBinding(address: v6.address)
        case (nil, nil):
            throw ConfigurationErrors(errors: [ConfigurationError(path: "interfaces", problem: "at least one interface is needed")])
        }
    }
}
