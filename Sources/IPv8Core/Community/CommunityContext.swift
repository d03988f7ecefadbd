import Logging

/// Everything a ``Community`` is built with: who we are, what we send through, the shared peer table,
/// the time and the timers, the random source and where to log. An `IPv8Service` hands these out
/// (`IPv8Service.context(key:maxPeers:)`); tests and simulations may build their own.
public struct CommunityContext {
    /// Our private key for this community.
    public var key: PrivateKey
    /// Our own peer object. Communities that share a key should share this object, and with it the
    /// Lamport clock (``Community/claimGlobalTime()``).
    public var myPeer: Peer
    /// The endpoint the community receives from and sends through.
    public var endpoint: any Endpoint
    /// The peer table shared by all communities of a node.
    public var network: Network
    /// The time.
    public var clock: any EngineClock
    /// Where the community asks for timers (ping timeouts, its own periodic work).
    public var timers: any TimerScheduler
    /// The random numbers (the community's strategies draw from it too).
    public var random: RandomSource
    /// Where the community logs.
    public var logger: Logger
    /// The peer cap (py-ipv8's `max_peers`, default 30; negative means unlimited). See ``Community/maxPeers``.
    public var maxPeers: Int
    /// Addresses to walk to when the community has no peers.
    public var bootstrappers: [any Bootstrapper]

    /// A context; `myPeer` defaults to a fresh peer for `key` at the endpoint's bound address
    /// (`Endpoint/preferredLocalAddress`).
    public init(key: PrivateKey, myPeer: Peer? = nil, endpoint: any Endpoint, network: Network,
                clock: any EngineClock, timers: any TimerScheduler, random: RandomSource = RandomSource(),
                logger: Logger = Logger(label: "ipv8.community", factory: { _ in SwiftLogNoOpLogHandler() }),
                maxPeers: Int = Community.defaultMaxPeers, bootstrappers: [any Bootstrapper] = []) {
        self.key = key
        self.myPeer = myPeer ?? Peer(key: key.publicKey, address: endpoint.preferredLocalAddress, intro: false, now: clock.now)
        self.endpoint = endpoint
        self.network = network
        self.clock = clock
        self.timers = timers
        self.random = random
        self.logger = logger
        self.maxPeers = maxPeers
        self.bootstrappers = bootstrappers
    }
}
