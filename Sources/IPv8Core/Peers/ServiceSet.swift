/// The services one key advertised, in discovery order. Almost always one, which is stored inline: an
/// `OrderedIndex` of one service cost 64 bytes of heap per peer, about 1.3 KiB per node of a 1,000-node swarm.
package enum ServiceSet: Sequence {
    case one(CommunityID)
    case many(OrderedIndex<CommunityID>)

    /// A set of one service.
    package init(_ service: CommunityID) {
        self = .one(service)
    }

    /// Whether `service` is in the set.
    package func contains(_ service: CommunityID) -> Bool {
        switch self {
        case .one(let only): only == service
        case .many(let services): services.contains(service)
        }
    }

    /// Appends `service` unless present. Returns whether it was added.
    @discardableResult
    package mutating func insert(_ service: CommunityID) -> Bool {
        switch self {
        case .one(let only):
            guard only != service else { return false }
            var services = OrderedIndex<CommunityID>()
            services.append(only)
            services.append(service)
            self = .many(services)
            return true
        case .many(var services):
            guard services.append(service) else { return false }
            self = .many(services)
            return true
        }
    }

    /// The services in discovery order.
    package var elements: [CommunityID] {
        switch self {
        case .one(let only): [only]
        case .many(let services): services.elements
        }
    }

    package struct Iterator: IteratorProtocol {
        fileprivate var only: CommunityID?
        fileprivate var many: OrderedIndex<CommunityID>.Iterator?

        package mutating func next() -> CommunityID? {
            if let service = only {
                only = nil
                return service
            }
            return many?.next()
        }
    }

    /// The services in discovery order, without allocating.
    package func makeIterator() -> Iterator {
        switch self {
        case .one(let only): Iterator(only: only, many: nil)
        case .many(let services): Iterator(only: nil, many: services.makeIterator())
        }
    }
}
