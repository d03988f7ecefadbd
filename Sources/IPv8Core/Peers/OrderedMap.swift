/// An insertion-ordered dictionary with O(1) lookup, insertion and removal (amortised): keys and values in one
/// array of slots, in the order the keys were first inserted.
///
/// Replacing the value of a present key keeps its place; removal leaves a hole (a slot with no value) that iteration
/// skips; holes are compacted away once they outnumber the entries (in maps of more than 16 slots), which keeps
/// iteration O(count) amortised, and trailing holes go at once. A hole keeps its key until then: at most 16, or
/// as many as the entries, removed keys stay allocated per map. The order depends
/// only on the sequence of operations, never on hash seeds, so seeded simulations are reproducible.
///
/// Small maps (at most ``linearLimit`` slots) keep no hash table: lookups scan the slots. A node of a swarm
/// knows a few dozen addresses and peers, and a `Dictionary` plus a separate order index stored each key twice
/// and kept a quarter to half of its buckets empty: merging them into one scanned array saved about 1.5 KiB per
/// node of a 1,000-node swarm. A scan of 32 slots costs less than a microsecond.
package struct OrderedMap<Key: Hashable, Value>: Sequence {
    /// Up to this many slots (entries and holes), lookups scan instead of hashing.
    static var linearLimit: Int { 32 }

    /// A key and its value; `value` is nil in a hole. A tuple with an optional value, not an optional tuple, so that
    /// a scan reads a slot's key in place: projecting the key out of an optional tuple copied the whole entry
    /// (retaining its value and releasing it again), about a third of a simulated swarm's time. Not a struct either:
    /// a generic struct whose layout depends on `Key` and `Value` is laid out by the Swift runtime
    /// (`swift_initStructMetadata`), which valgrind reports as reading uninitialised bytes (the C host's leak check).
    fileprivate typealias Slot = (key: Key, value: Value?)

    private var slots: [Slot] = []
    /// Key → slot; empty while `slots.count <= linearLimit`.
    private var positions: [Key: Int] = [:]
    private var live = 0

    package init() {}

    package var count: Int { live }
    package var isEmpty: Bool { live == 0 }

    /// The slots the map has room for without growing (entries and holes).
    var capacity: Int { slots.capacity }

    /// Whether lookups use the hash table (more than ``linearLimit`` slots).
    package var isHashed: Bool { slots.count > Self.linearLimit }

    private func slot(of key: Key) -> Int? {
        if isHashed { return positions[key] }
        // Compares keys in place (no copy of the entries, hence no retain of their values); a hole may keep the
        // key of a removed entry, present again further on.
        return slots.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].key == key && buffer[index].value != nil { return index }
            return nil
        }
    }

    /// Whether `key` is present.
    package func contains(_ key: Key) -> Bool {
        slot(of: key) != nil
    }

    /// The value of `key`; setting `nil` removes it, setting a value for a present key replaces it in place.
    package subscript(key: Key) -> Value? {
        get { slot(of: key).flatMap { slots[$0].value } }
        set {
            if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// Sets the value of `key`, appending the key when absent. Returns the value it replaced, if any.
    @discardableResult
    package mutating func updateValue(_ value: Value, forKey key: Key) -> Value? {
        if let index = slot(of: key) {
            let old = slots[index].value
            slots[index].value = value
            return old
        }
        append(key, value)
        return nil
    }

    /// Appends `key` with `value` unless `key` is present (then nothing changes). Returns whether it was added.
    @discardableResult
    package mutating func insert(_ value: Value, forKey key: Key) -> Bool {
        guard slot(of: key) == nil else { return false }
        append(key, value)
        return true
    }

    private mutating func append(_ key: Key, _ value: Value) {
        // Small maps grow by a quarter, not by doubling: a node's maps stop growing at a few dozen entries, where
        // doubling left a quarter to half of each array unused. Copies stay amortised O(1).
        if slots.count == slots.capacity, slots.count >= 8, !isHashed {
            slots.reserveCapacity(slots.count + slots.count / 4)
        }
        slots.append((key: key, value: value))
        live += 1
        if isHashed {
            if positions.isEmpty { rebuildPositions() } else { positions[key] = slots.count - 1 }
        }
    }

    /// Calls `body` with the value of `key` in place (no copy of it), appending `key` with `defaultValue()` first
    /// when absent.
    package mutating func modify<R>(_ key: Key, default defaultValue: @autoclosure () -> Value,
                                    _ body: (inout Value) -> R) -> R {
        let index: Int
        if let found = slot(of: key) {
            index = found
        } else {
            append(key, defaultValue())
            index = slots.count - 1
        }
        return body(&slots[index].value!)
    }

    /// Calls `body` with the value of `key` in place when `key` is present; `nil` when it is absent.
    package mutating func modifyIfPresent<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let index = slot(of: key) else { return nil }
        return body(&slots[index].value!)
    }

    /// Removes `key` if present. Returns its value.
    @discardableResult
    package mutating func removeValue(forKey key: Key) -> Value? {
        guard let index = slot(of: key) else { return nil }
        let old = slots[index].value
        if isHashed { positions[key] = nil }
        slots[index].value = nil
        live -= 1
        while !slots.isEmpty && slots[slots.count - 1].value == nil {
            slots.removeLast()
        }
        if live == 0 {
            slots.removeAll(keepingCapacity: false)
        } else if slots.count > 16 && live * 2 < slots.count {
            compact()
        }
        if !isHashed && !positions.isEmpty { positions = [:] }
        return old
    }

    /// The key inserted first among those present. O(holes before it).
    package var firstKey: Key? {
        slots.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].value != nil { return buffer[index].key }
            return nil
        }
    }

    /// The keys in insertion order.
    package var keys: [Key] { slots.compactMap { $0.value == nil ? nil : $0.key } }

    /// The values in key insertion order.
    package var values: [Value] { slots.compactMap { $0.value } }

    package struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Slot]>

        package mutating func next() -> (key: Key, value: Value)? {
            while let slot = base.next() {
                if let value = slot.value { return (slot.key, value) }
            }
            return nil
        }
    }

    /// The entries in key insertion order.
    package func makeIterator() -> Iterator {
        Iterator(base: slots.makeIterator())
    }

    private mutating func compact() {
        var packed: [Slot] = []
        packed.reserveCapacity(live)
        for slot in slots where slot.value != nil { packed.append(slot) }
        slots = packed
        positions = [:]
        if isHashed { rebuildPositions() }
    }

    private mutating func rebuildPositions() {
        positions = Dictionary(minimumCapacity: slots.count)
        for (index, slot) in slots.enumerated() {
            if slot.value != nil { positions[slot.key] = index }
        }
    }
}
