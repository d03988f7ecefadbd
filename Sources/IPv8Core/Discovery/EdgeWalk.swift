/// A depth-first crawler that builds chains ("edges") of peers, each introduced by the previous one
/// (py-ipv8's `EdgeWalk`, spec §2.3).
///
/// Until it has ``Settings/neighborhoodSize`` peers it bootstraps and walks to walkable addresses. Then it
/// starts an edge at each neighbour (asking it for an introduction) and extends every edge under construction
/// by a random verified peer its tail introduced, walking to it; an edge is complete at
/// ``Settings/edgeLength`` peers, or when its tail stayed silent for ``Settings/edgeTimeout`` (kept if it has
/// at least two peers). ``completeEdges`` grows without limit; this is meant for crawlers.
open class EdgeWalk: DiscoveryStrategy {
    /// The shape of the edges; the defaults are py-ipv8's (and the configuration loader's).
    public struct Settings: Sendable, Equatable {
        /// Peers per complete edge. Default 4.
        public var edgeLength: Int
        /// The number of neighbours edges start from. Default 6.
        public var neighborhoodSize: Int
        /// How long an edge may wait for its tail's introduction before it ends. Default 3 s.
        public var edgeTimeout: Duration

        /// Settings; every argument left out takes py-ipv8's default.
        public init(edgeLength: Int = 4, neighborhoodSize: Int = 6, edgeTimeout: Duration = .seconds(3)) {
            self.edgeLength = edgeLength
            self.neighborhoodSize = neighborhoodSize
            self.edgeTimeout = edgeTimeout
        }
    }

    /// The settings this walk was made with.
    public let settings: Settings
    private var edgeLength: Int { settings.edgeLength }
    private var neighborhoodSize: Int { settings.neighborhoodSize }
    private let edgeTimeout: Double

    /// The peers edges start from (fixed once full).
    public private(set) var neighborhood: [Peer] = []
    /// The edges built so far, root first.
    public private(set) var completeEdges: [[Peer]] = []
    /// Edges being built, in the order they were started.
    public private(set) var underConstruction: [(root: Peer, edge: [Peer])] = []
    private var lastEdgeResponses: [Peer: Double] = [:]

    /// An edge walk over `overlay` (py-ipv8's defaults unless `settings` says otherwise).
    public init(overlay: Community, settings: Settings = Settings()) {
        self.settings = settings
        self.edgeTimeout = settings.edgeTimeout.seconds
        super.init(overlay: overlay)
    }

    open override func step() {
        let now = overlay.clock.now
        if neighborhood.isEmpty || neighborhood.count < neighborhoodSize {
            neighborhood = Array(overlay.peers.prefix(neighborhoodSize))
            overlay.bootstrap()
            for address in overlay.walkableAddresses.prefix(neighborhoodSize) { overlay.walkTo(address) }
            return
        }
        let building = Set(underConstruction.map(\.root))
        if let root = overlay.random.element(of: neighborhood.filter { !building.contains($0) }) {
            underConstruction.append((root, [root]))
            lastEdgeResponses[root] = now
            overlay.getNewIntroduction(from: root)
            return
        }
        extendEdges(now: now)
    }

    private func extendEdges(now: Double) {
        let network = overlay.network
        var completed = Set<Peer>()
        for i in underConstruction.indices {
            let root = underConstruction[i].root
            let tail = underConstruction[i].edge[underConstruction[i].edge.count - 1]
            var verifiedIntros: [Peer] = []
            for address in network.introductions(from: tail) {
                if let peer = network.verifiedPeer(byAddress: address) {
                    verifiedIntros.append(peer)
                } else {
                    overlay.walkTo(address)
                }
            }
            if let next = overlay.random.element(of: verifiedIntros) {
                lastEdgeResponses[root] = now
                underConstruction[i].edge.append(next)
                if underConstruction[i].edge.count == edgeLength {
                    completeEdges.append(underConstruction[i].edge)
                    completed.insert(root)
                } else {
                    overlay.walkTo(next.address)
                }
            } else if (lastEdgeResponses[root] ?? now) + edgeTimeout < now {
                if underConstruction[i].edge.count > 1 { completeEdges.append(underConstruction[i].edge) }
                completed.insert(root)
            }
        }
        underConstruction.removeAll { completed.contains($0.root) }
        for root in completed { lastEdgeResponses[root] = nil }
    }
}
