/// The values a DHT node holds for others (py-ipv8's `Storage`), by key. Loop-confined.
///
/// Under a key, values are told apart by an id (for a signed value the SHA-1 of its signer's key, so a signer
/// has one value per key; for an unsigned one the SHA-1 of its bytes). A value whose id is there already
/// replaces it when its version is not older. The newest values come first, except that values whose id is
/// the key itself go last (py-ipv8's order).
public final class DHTStorage {
    /// One stored value.
    public struct Entry: Sendable {
        /// What tells it from the other values under its key.
        public var id: [UInt8]
        /// The serialized value (``DHTValue``).
        public var data: [UInt8]
        /// When it was stored or last replaced.
        public var lastUpdate: Double
        /// How long it is kept after ``lastUpdate``, in seconds.
        public var maxAge: Double
        /// Its version (a signed value's timestamp; 0 for unsigned values).
        public var version: UInt32

        /// Whether it is older than its ``maxAge`` at `now`.
        public func isExpired(at now: Double) -> Bool { now - lastUpdate > maxAge }
    }

    /// The entries by key.
    public private(set) var items: [[UInt8]: [Entry]] = [:]

    /// An empty storage.
    public init() {}

    /// How many values are stored under all keys.
    public private(set) var count = 0

    /// Stores `data` under `key` (see the type's documentation for ids and order).
    public func put(_ key: [UInt8], data: [UInt8], id: [UInt8]? = nil, maxAge: Double = 86_400, version: UInt32 = 0,
                    now: Double) {
        let entry = Entry(id: id ?? SHA1Digest.hash(data), data: data, lastUpdate: now, maxAge: maxAge, version: version)
        var entries = items[key] ?? []
        if let index = entries.firstIndex(where: { $0.id == entry.id }) {
            guard entry.version >= entries[index].version else { return }
            entries.remove(at: index)
        }
        entries.insert(entry, at: 0)
        let own = entries.filter { $0.id == key }
        count += entries.count - (items[key]?.count ?? 0)
        items[key] = entries.filter { $0.id != key } + own
    }

    /// At most `limit` values under `key` from index `start` (all of them without a limit).
    public func get(_ key: [UInt8], start: Int = 0, limit: Int? = nil) -> [[UInt8]] {
        guard let entries = items[key], start < entries.count else { return [] }
        let end = limit.map { min(entries.count, start + $0) } ?? entries.count
        return entries[start..<end].map(\.data)
    }

    /// Drops expired values (py-ipv8's `clean`: from the end of each key's list up to the first live one).
    public func clean(now: Double) {
        for key in Array(items.keys) {
            guard var entries = items[key] else { continue }
            while let last = entries.last, last.isExpired(at: now) {
                entries.removeLast()
                count -= 1
            }
            items[key] = entries.isEmpty ? nil : entries
        }
    }
}
