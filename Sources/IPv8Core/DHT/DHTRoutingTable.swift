/// A Kademlia k-bucket (py-ipv8's `Bucket`): the nodes whose ids start with ``prefixLength`` bits of
/// ``prefix``, at most ``maxSize`` of them, in the order they were added.
public final class DHTBucket {
    /// The bits every node id in the bucket starts with (only the first ``prefixLength`` bits count).
    public let prefix: DHTNodeID
    /// How many leading bits of ``prefix`` the bucket covers (0 for the root bucket, at most 160).
    public let prefixLength: Int
    /// The most nodes the bucket holds (py-ipv8's `MAX_BUCKET_SIZE`, 8).
    public let maxSize: Int
    /// The nodes, in the order they were added.
    public private(set) var nodes: [DHTNode] = []
    /// When a node was last added or updated.
    public var lastChanged: Double = 0

    /// A bucket covering the ids that start with `prefixLength` bits of `prefix`.
    public init(prefix: DHTNodeID, prefixLength: Int, maxSize: Int) {
        self.prefix = prefix
        self.prefixLength = prefixLength
        self.maxSize = maxSize
    }

    /// The prefix as a string of `0` and `1` (py-ipv8's `prefix_id`).
    public var prefixBits: String {
        String((0..<prefixLength).map { prefix.bit($0) ? "1" : "0" })
    }

    /// Whether `id` belongs in this bucket.
    public func owns(_ id: DHTNodeID) -> Bool {
        let whole = prefixLength / 8
        for i in 0..<whole where id.bytes[i] != prefix.bytes[i] { return false }
        let rest = prefixLength % 8
        guard rest > 0 else { return true }
        let mask = UInt8(0xff) << UInt8(8 - rest)
        return id.bytes[whole] & mask == prefix.bytes[whole] & mask
    }

    /// The node with `id`, if the bucket has it.
    public func node(withID id: DHTNodeID) -> DHTNode? { nodes.first { $0.id == id } }

    /// Adds `node` or refreshes the node with its id (py-ipv8's `Bucket.add`). A full bucket first drops one
    /// bad node, then one node at least twice as slow as `node`. Returns whether `node` is now in the bucket.
    func add(_ node: DHTNode, now: Double) -> Bool {
        guard owns(node.id) else { return false }
        if let existing = self.node(withID: node.id) {
            existing.address = node.address
            lastChanged = now
            return true
        }
        if nodes.count >= maxSize {
            if let bad = nodes.firstIndex(where: { $0.status(at: now) == .bad }) { nodes.remove(at: bad) }
            if node.rtt > 0, let slow = nodes.firstIndex(where: { $0.rtt / node.rtt >= 2 }) { nodes.remove(at: slow) }
        }
        guard nodes.count < maxSize else { return false }
        nodes.append(node)
        lastChanged = now
        return true
    }

    func remove(where predicate: (DHTNode) -> Bool) -> [DHTNode] {
        let removed = nodes.filter(predicate)
        nodes.removeAll(where: predicate)
        return removed
    }

    /// A random id inside the bucket (py-ipv8's `generate_id`), for refreshing it.
    public func randomID(_ random: RandomSource) -> DHTNodeID {
        var bytes = (0..<20).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for bit in 0..<prefixLength {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if prefix.bit(bit) { bytes[bit / 8] |= mask } else { bytes[bit / 8] &= ~mask }
        }
        return DHTNodeID(bytes: bytes)!
    }

    /// The two halves of a full bucket, its nodes placed in them; `nil` while it is not full.
    func split(now: Double) -> (DHTBucket, DHTBucket)? {
        guard nodes.count >= maxSize, prefixLength < 160 else { return nil }
        var oneBytes = prefix.bytes
        oneBytes[prefixLength / 8] |= UInt8(0x80) >> UInt8(prefixLength % 8)
        var zeroBytes = prefix.bytes
        zeroBytes[prefixLength / 8] &= ~(UInt8(0x80) >> UInt8(prefixLength % 8))
        let zero = DHTBucket(prefix: DHTNodeID(bytes: zeroBytes)!, prefixLength: prefixLength + 1, maxSize: maxSize)
        let one = DHTBucket(prefix: DHTNodeID(bytes: oneBytes)!, prefixLength: prefixLength + 1, maxSize: maxSize)
        for node in nodes {
            _ = zero.owns(node.id) ? zero.add(node, now: now) : one.add(node, now: now)
        }
        return (zero, one)
    }
}

/// The nodes we know in one address family (py-ipv8's `RoutingTable`): k-buckets that split, along our own
/// id only, as they fill up. Loop-confined.
public final class DHTRoutingTable {
    /// Our own node id in this family (fixed when the table was made).
    public let myNodeID: DHTNodeID
    /// The most nodes a bucket holds.
    public let bucketSize: Int
    /// The buckets, which together cover every id exactly once, ordered by prefix.
    public private(set) var buckets: [DHTBucket]

    /// An empty table for `myNodeID`: one bucket covering every id.
    public init(myNodeID: DHTNodeID, bucketSize: Int = 8) {
        self.myNodeID = myNodeID
        self.bucketSize = bucketSize
        buckets = [DHTBucket(prefix: myNodeID, prefixLength: 0, maxSize: bucketSize)]
    }

    /// Every node in the table.
    public var nodes: [DHTNode] { buckets.flatMap(\.nodes) }

    /// How many nodes the table holds.
    public var count: Int { buckets.reduce(0) { $0 + $1.nodes.count } }

    /// The bucket `id` belongs in.
    public func bucket(for id: DHTNodeID) -> DHTBucket {
        buckets.first { $0.owns(id) }!
    }

    /// The node with `id`, if the table has it.
    public func node(withID id: DHTNodeID) -> DHTNode? { bucket(for: id).node(withID: id) }

    /// Whether the table has a node with `id`.
    public func has(_ id: DHTNodeID) -> Bool { node(withID: id) != nil }

    /// Adds `node` (or refreshes the node with its id, taking `node`'s address), splitting the bucket of
    /// our own id when it is full. Returns the table's node with that id (which may be an older object than
    /// `node`), or `nil` when there was no room.
    @discardableResult
    public func add(_ node: DHTNode, now: Double) -> DHTNode? {
        while true {
            let index = buckets.firstIndex { $0.owns(node.id) }!
            let bucket = buckets[index]
            if bucket.add(node, now: now) { return bucket.node(withID: node.id) }
            guard bucket.owns(myNodeID), let (zero, one) = bucket.split(now: now) else { return nil }
            buckets.replaceSubrange(index...index, with: [zero, one])
        }
    }

    /// Removes and returns the nodes that are bad at `now`.
    public func removeBadNodes(now: Double) -> [DHTNode] {
        buckets.flatMap { $0.remove { $0.status(at: now) == .bad } }
    }

    /// At most `max` nodes closest to `target` by XOR distance, bad nodes and `excluded` left out; ties
    /// put unknown nodes before good ones, as py-ipv8's sort does.
    public func closestNodes(to target: DHTNodeID, max: Int = 8, excluding excluded: DHTNodeID? = nil,
                             now: Double) -> [DHTNode] {
        let candidates = nodes.filter { $0.id != excluded && $0.status(at: now) != .bad }
        let sorted = candidates.sorted { a, b in
            if a.id == b.id { return a.status(at: now) < b.status(at: now) }
            return target.isCloser(a.id, than: b.id)
        }
        return Array(sorted.prefix(max))
    }
}
