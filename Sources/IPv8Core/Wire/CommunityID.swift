/// A 20-byte community id, stored inline (no heap), usable as a dictionary key.
public struct CommunityID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The length of a community id in bytes.
    public static let length = 20

    var storage: (UInt64, UInt64, UInt32) = (0, 0, 0)

    /// The id from exactly 20 bytes; `nil` for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == Self.length else { return nil }
        withUnsafeMutableBytes(of: &storage) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
    }

    /// The id from 40 hex digits; `nil` for anything else.
    public init?(hex: String) {
        guard let b = IPv8Core.bytes(fromHex: hex) else { return nil }
        self.init(bytes: b)
    }

    /// The id from a raw 20-byte view (internal: callers check the length).
    init(unchecked raw: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[raw.startIndex..<raw.startIndex + Self.length]))
        }
    }

    /// The 20 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0) }
    }

    /// Lower-case hex, 40 digits.
    public var hex: String { hexString(bytes) }

    public var description: String { hex }

    /// The DiscoveryCommunity's id, `7e313685c1912a141279f8248fc8db5899c5df5a`.
    public static let discovery = CommunityID(hex: "7e313685c1912a141279f8248fc8db5899c5df5a")!

    public static func == (a: CommunityID, b: CommunityID) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2
    }

    /// Byte-wise (lexicographic) order.
    public static func < (a: CommunityID, b: CommunityID) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
    }
}

