/// An insertion-ordered set with O(1) membership, append and removal (amortised): an ``OrderedMap`` with no
/// values, so it keeps that type's order, compaction and small-set scanning.
///
/// Iteration order is the order of insertion and depends only on the sequence of operations, never on hash
/// seeds, so seeded simulations are reproducible. Most of a node's indices are small (the services of one
/// peer, the addresses one peer introduced; at a peer target of 20–30, the advertisers of a service too), and a
/// hash table per index cost about 150 bytes each for a handful of elements and 0.6–1.1 KiB for 20–30.
package struct OrderedIndex<Element: Hashable>: Sequence {
    /// Up to this many slots (elements and holes), lookups scan instead of hashing.
    static var linearLimit: Int { OrderedMap<Element, Void>.linearLimit }

    private var map = OrderedMap<Element, Void>()

    package init() {}

    package var count: Int { map.count }
    package var isEmpty: Bool { map.isEmpty }

    package func contains(_ element: Element) -> Bool {
        map.contains(element)
    }

    /// Appends `element` unless present. Returns whether it was inserted.
    @discardableResult
    package mutating func append(_ element: Element) -> Bool {
        map.insert((), forKey: element)
    }

    /// Removes `element` if present. Returns whether it was removed.
    @discardableResult
    package mutating func remove(_ element: Element) -> Bool {
        map.removeValue(forKey: element) != nil
    }

    /// The elements in insertion order.
    package var elements: [Element] { map.keys }

    package struct Iterator: IteratorProtocol {
        fileprivate var base: OrderedMap<Element, Void>.Iterator

        package mutating func next() -> Element? { base.next()?.key }
    }

    package func makeIterator() -> Iterator {
        Iterator(base: map.makeIterator())
    }
}
