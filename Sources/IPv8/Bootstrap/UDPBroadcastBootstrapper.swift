import IPv8Core
/// py-ipv8's `UDPBroadcastBootstrapper` (spec §9.4): finds nodes of the same community on the LAN by
/// broadcasting a beacon, `00 00 49 50 76 38 00` ("\0\0IPv8\0") followed by the community's 22-byte prefix.
///
/// It has a socket of its own (`SO_BROADCAST`, ephemeral port). A beacon is sent to every port in ``ports`` of
/// ``target`` (py-ipv8: 255.255.255.255, ports 0…65534) at most once per `bootstrapTimeout`. On that socket, a
/// beacon carrying our prefix makes the community walk to its sender, and a datagram with our prefix (the
/// introduction request such a walk sends) is handed to the community. It never returns addresses itself.
///
/// Network safety: the defaults broadcast to the whole LAN. Tests set ``target`` to 127.0.0.1 and ``ports`` to the
/// other node's broadcast port.
public final class UDPBroadcastBootstrapper: Bootstrapper, DatagramListener {
    /// The 7 bytes every beacon starts with.
    public static let beaconMagic: [UInt8] = [0x00, 0x00, 0x49, 0x50, 0x76, 0x38, 0x00]

    /// The host beacons go to (default 255.255.255.255); its port is ignored, each port in `ports` is used instead.
    public var target: Address
    /// The ports every beacon is sent to (default 0…65534, like py-ipv8).
    public var ports: [UInt16]
    /// The least time between two beacons, in seconds (default 30).
    public let bootstrapTimeout: Double
    private let loop: EventLoop
    private var socket: UDPEndpoint?
    private weak var community: Community?
    private var lastBeacon: Double?
    /// Beacons sent (each to every port in ``ports``).
    public private(set) var beaconsSent = 0

    /// Creates a bootstrapper on `loop`; the socket is opened on first use, by `open(for:)` or
    /// `bootstrapAddresses(for:)`.
    public init(loop: EventLoop, bootstrapTimeout: Double = 30.0,
                target: Address = Address(255, 255, 255, 255, port: 0), ports: [UInt16] = Array(0...65534)) {
        self.loop = loop
        self.bootstrapTimeout = bootstrapTimeout
        self.target = target
        self.ports = ports
    }

    /// Opens the broadcast socket (once) for `community`; its port is where other nodes' beacons must go.
    /// - Returns: the socket's address.
    @discardableResult
    public func open(for community: Community) throws -> Address {
        if let socket { return socket.localAddress }
        let socket = try UDPEndpoint(loop: loop, bindTo: Address(0, 0, 0, 0, port: 0), logger: community.logger)
        try socket.setBroadcast(true)
        socket.addCatchAllListener(self)
        self.socket = socket
        self.community = community
        return socket.localAddress
    }

    public func bootstrapAddresses(for community: Community) -> [Address] {
        do { try open(for: community) } catch {
            community.logger.warning("UDP broadcast bootstrapper cannot open its socket: \(error)")
            return []
        }
        let now = community.clock.now
        if let lastBeacon, now - lastBeacon < bootstrapTimeout { return [] }
        lastBeacon = now
        sendBeacon(prefix: community.prefix.bytes)
        return []
    }

    private func sendBeacon(prefix: [UInt8]) {
        guard let socket else { return }
        let beacon = Self.beaconMagic + prefix
        for port in ports { socket.send(beacon, to: Address(host: target.host, port: port)) }
        beaconsSent += 1
    }

    public func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
        guard let community else { return }
        let prefix = community.prefix.bytes
        if packet.count == 29 && packet.starts(with: Self.beaconMagic) && packet.dropFirst(7).elementsEqual(prefix) {
            community.walkTo(source)
        } else if packet.starts(with: prefix) {
            community.receive(packet, from: source)
        }
    }

    /// Closes the broadcast socket.
    public func close() {
        socket?.close()
        socket = nil
    }
}
