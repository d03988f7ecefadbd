extension Configuration {
    /// py-ipv8's public bootstrap trackers (`DISPERSY_BOOTSTRAPPER`), as IP addresses.
    ///
    /// These are public addresses: a node contacts them only when its configuration names this bootstrapper.
    /// Tests and demos must never use them.
    public static let publicTrackerAddresses = [
        "130.161.119.206:6421", "130.161.119.206:6422", "131.180.27.155:6423", "131.180.27.156:6424",
        "131.180.27.161:6427", "131.180.27.161:6521", "131.180.27.161:6522", "131.180.27.162:6523",
        "131.180.27.162:6524", "130.161.119.215:6525", "130.161.119.215:6526", "130.161.119.201:6527",
        "130.161.119.201:6528",
    ]

    /// py-ipv8's public bootstrap trackers by DNS name.
    public static let publicTrackerNames = [
        "dispersy1.tribler.org:6421", "dispersy1.st.tudelft.nl:6421", "dispersy2.tribler.org:6422",
        "dispersy2.st.tudelft.nl:6422", "dispersy3.tribler.org:6423", "dispersy3.st.tudelft.nl:6423",
        "dispersy4.tribler.org:6424",
    ]

    /// py-ipv8's `DISPERSY_BOOTSTRAPPER` definition (the public trackers, 30 s between rounds).
    public static var publicTrackers: BootstrapperDefinition {
        BootstrapperDefinition(className: "DispersyBootstrapper", initArguments: [
            "ip_addresses": .array(publicTrackerAddresses.map { address in
                let (host, port) = address.split(separator: ":").map(String.init).pair
                return .array([.string(host), .integer(Int64(port)!)])
            }),
            "dns_addresses": .array(publicTrackerNames.map { name in
                let (host, port) = name.split(separator: ":").map(String.init).pair
                return .array([.string(host), .integer(Int64(port)!)])
            }),
            "bootstrap_timeout": .double(30.0),
        ])
    }

    /// py-ipv8's `get_default_configuration()`: one IPv4 interface on port 8090, one curve25519 key,
    /// and the Discovery, HiddenTunnel and DHTDiscovery overlays with the public trackers.
    public static var `default`: Configuration {
        let trackers = [publicTrackers]
        return Configuration(
            interfaces: [Interface(interface: "UDPIPv4", ip: "0.0.0.0", port: 8090)],
            keys: [Key(alias: "anonymous id", generation: "curve25519", file: "ec_multichain.pem")],
            logLevel: "INFO",
            workingDirectory: ".",
            walkerInterval: StrategyScheduler.Settings().walkInterval.seconds,
            overlays: [
                Overlay(className: "DiscoveryCommunity", key: "anonymous id", walkers: [
                    Walker(strategy: "RandomWalk", peers: 20, initArguments: ["timeout": .double(3.0)]),
                    Walker(strategy: "RandomChurn", peers: -1, initArguments: [
                        "sample_size": .integer(8), "ping_interval": .double(10.0),
                        "inactive_time": .double(27.5), "drop_time": .double(57.5),
                    ]),
                    Walker(strategy: "PeriodicSimilarity", peers: -1),
                ], bootstrappers: trackers),
                Overlay(className: "HiddenTunnelCommunity", key: "anonymous id", walkers: [
                    Walker(strategy: "RandomWalk", peers: 20, initArguments: ["timeout": .double(3.0)]),
                ], bootstrappers: trackers, initialize: [
                    "min_circuits": .integer(1), "max_circuits": .integer(1), "max_joined_circuits": .integer(100),
                    "max_time": .integer(600), "max_time_inactive": .integer(20), "max_traffic": .integer(262_144_000),
                    "dht_lookup_interval": .integer(30),
                ], onStart: [[.string("build_tunnels"), .integer(1)]]),
                Overlay(className: "DHTDiscoveryCommunity", key: "anonymous id", walkers: [
                    Walker(strategy: "RandomWalk", peers: 20, initArguments: ["timeout": .double(3.0)]),
                    Walker(strategy: "PingChurn", peers: -1),
                ], bootstrappers: trackers),
            ])
    }
}

private extension Array where Element == String {
    var pair: (String, String) { (self[0], self[1]) }
}
