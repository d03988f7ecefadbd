/// An insertion-ordered set with O(1) membership, append and removal (amortised).
///
/// Removal leaves a hole that iteration skips; holes are compacted away once they outnumber the elements,
/// which keeps iteration O(count) amortised. Iteration order is the order of insertion and depends only on
/// the sequence of operations, never on hash seeds, so seeded simulations are reproducible.
///
/// Small sets (at most ``linearLimit`` slots) keep no hash table: lookups scan the slots. Most of a node's
/// indices are small (the services of one peer, the addresses one peer introduced; at a peer target of 20–30,
/// the verified peers, the advertisers of a service and the known addresses too), and a hash table per index
/// cost about 150 bytes each for a handful of elements and 0.6–1.1 KiB for 20–30: 4 KiB per node of a 1,000-node
/// swarm for the small indices, 4 KiB more for the verified-peer and address indices. A scan of 32 slots costs
/// less than a microsecond; the indices that are scanned per step or per datagram are small.
package struct OrderedIndex<Element: Hashable>: Sequence {
    /// Up to this many slots (elements and holes), lookups scan instead of hashing.
    static var linearLimit: Int { 32 }

    private var slots: [Element?] = []
    /// Element → slot; empty while `slots.count <= linearLimit`.
    private var positions: [Element: Int] = [:]
    private var live = 0

    package init() {}

    package var count: Int { live }
    package var isEmpty: Bool { live == 0 }

    package func contains(_ element: Element) -> Bool {
        slot(of: element) != nil
    }

    private var isHashed: Bool { slots.count > Self.linearLimit }

    private func slot(of element: Element) -> Int? {
        isHashed ? positions[element] : slots.firstIndex { $0 == element }
    }

    /// Appends `element` unless present. Returns whether it was inserted.
    @discardableResult
    package mutating func append(_ element: Element) -> Bool {
        guard slot(of: element) == nil else { return false }
        slots.append(element)
        live += 1
        if isHashed {
            if positions.isEmpty { rebuildPositions() } else { positions[element] = slots.count - 1 }
        }
        return true
    }

    /// Removes `element` if present. Returns whether it was removed.
    @discardableResult
    package mutating func remove(_ element: Element) -> Bool {
        guard let index = slot(of: element) else { return false }
        if isHashed { positions[element] = nil }
        slots[index] = nil
        live -= 1
        while let last = slots.last, last == nil {
            slots.removeLast()
        }
        if live == 0 {
            slots.removeAll(keepingCapacity: false)
        } else if slots.count > 16 && live * 2 < slots.count {
            compact()
        }
        if !isHashed && !positions.isEmpty { positions = [:] }
        return true
    }

    /// The elements in insertion order.
    package var elements: [Element] {
        let packed: [Element] = slots.compactMap { $0 }
        return packed
    }

    package struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Element?]>

        package mutating func next() -> Element? {
            while let slot = base.next() {
                if let element = slot { return element }
            }
            return nil
        }
    }

    package func makeIterator() -> Iterator {
        Iterator(base: slots.makeIterator())
    }

    private mutating func compact() {
        slots = slots.compactMap { $0 }
        positions = [:]
        if isHashed { rebuildPositions() }
    }

    private mutating func rebuildPositions() {
        positions = Dictionary(minimumCapacity: slots.count)
        for (index, slot) in slots.enumerated() {
            if let element = slot { positions[element] = index }
        }
    }
}
