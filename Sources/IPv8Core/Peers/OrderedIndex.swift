/// An insertion-ordered set with O(1) membership, append and removal (amortised).
///
/// Removal leaves a hole that iteration skips; holes are compacted away once they outnumber the elements,
/// which keeps iteration O(count) amortised. Iteration order is the order of insertion and depends only on
/// the sequence of operations, never on hash seeds, so seeded simulations are reproducible.
package struct OrderedIndex<Element: Hashable>: Sequence {
    private var slots: [Element?] = []
    private var positions: [Element: Int] = [:]

    package init() {}

    package var count: Int { positions.count }
    package var isEmpty: Bool { positions.isEmpty }

    package func contains(_ element: Element) -> Bool {
        positions[element] != nil
    }

    /// Appends `element` unless present. Returns whether it was inserted.
    @discardableResult
    package mutating func append(_ element: Element) -> Bool {
        guard positions[element] == nil else { return false }
        positions[element] = slots.count
        slots.append(element)
        return true
    }

    /// Removes `element` if present. Returns whether it was removed.
    @discardableResult
    package mutating func remove(_ element: Element) -> Bool {
        guard let index = positions.removeValue(forKey: element) else { return false }
        slots[index] = nil
        while let last = slots.last, last == nil {
            slots.removeLast()
        }
        if positions.isEmpty {
            slots.removeAll(keepingCapacity: false)
        } else if slots.count > 16 && positions.count * 2 < slots.count {
            compact()
        }
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
        let packed: [Element] = slots.compactMap { $0 }
        for (index, element) in packed.enumerated() {
            positions[element] = index
        }
        slots = packed
    }
}
