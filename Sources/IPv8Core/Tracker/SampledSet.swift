/// A set with O(1) insert, remove, membership and uniform random pick (elements packed in an array;
/// removal swaps the last element into the hole, so order is not kept).
package struct SampledSet<Element: Hashable> {
    package private(set) var elements: [Element] = []
    private var positions: [Element: Int] = [:]

    package init() {}

    package var count: Int { elements.count }
    package var isEmpty: Bool { elements.isEmpty }

    package func contains(_ element: Element) -> Bool { positions[element] != nil }

    /// Inserts `element` unless present; returns whether it was inserted.
    @discardableResult
    package mutating func insert(_ element: Element) -> Bool {
        guard positions[element] == nil else { return false }
        positions[element] = elements.count
        elements.append(element)
        return true
    }

    /// Removes `element` if present; returns whether it was removed.
    @discardableResult
    package mutating func remove(_ element: Element) -> Bool {
        guard let index = positions.removeValue(forKey: element) else { return false }
        let last = elements.removeLast()
        if index < elements.count {
            elements[index] = last
            positions[last] = index
        }
        return true
    }

    /// A uniformly random element other than `excluded`; `nil` when there is none.
    package func randomElement(excluding excluded: Element?, using random: RandomSource) -> Element? {
        guard let excluded, let skip = positions[excluded] else { return random.element(of: elements) }
        guard elements.count > 1 else { return nil }
        let pick = random.int(in: 0...(elements.count - 2))
        return elements[pick < skip ? pick : pick + 1]
    }

    /// Up to `k` distinct elements chosen uniformly at random (a partial Fisher–Yates over indices).
    package func sample(_ k: Int, using random: RandomSource) -> [Element] {
        let n = elements.count
        guard k < n else { return elements }
        var picked: [Int: Int] = [:]   // index -> swapped-in index, for the virtual shuffle
        var out: [Element] = []
        out.reserveCapacity(k)
        for i in 0..<k {
            let j = random.int(in: i...(n - 1))
            let chosen = picked[j] ?? j
            picked[j] = picked[i] ?? i
            out.append(elements[chosen])
        }
        return out
    }
}
