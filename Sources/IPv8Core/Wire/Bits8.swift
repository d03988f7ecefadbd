/// Eight flags packed into one byte, py-ipv8's `bits` format: flag 0 is the most significant bit
/// (`0x80`), flag 7 the least significant (`0x01`).
public struct Bits8: Hashable, Sendable {
    /// The packed byte as it appears on the wire.
    public var rawValue: UInt8

    /// Wraps a byte read from (or destined for) the wire.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Packs eight flags; `f0` becomes `0x80`, `f7` becomes `0x01`.
    public init(_ f0: Bool, _ f1: Bool, _ f2: Bool, _ f3: Bool, _ f4: Bool, _ f5: Bool, _ f6: Bool, _ f7: Bool) {
        var v: UInt8 = 0
        if f0 { v |= 0x80 }
        if f1 { v |= 0x40 }
        if f2 { v |= 0x20 }
        if f3 { v |= 0x10 }
        if f4 { v |= 0x08 }
        if f5 { v |= 0x04 }
        if f6 { v |= 0x02 }
        if f7 { v |= 0x01 }
        rawValue = v
    }

    /// Flag `index` (0 = MSB … 7 = LSB). Indices outside 0…7 read as `false` and are ignored on write.
    public subscript(index: Int) -> Bool {
        get {
            guard (0..<8).contains(index) else { return false }
            return rawValue & (0x80 >> UInt8(index)) != 0
        }
        set {
            guard (0..<8).contains(index) else { return }
            let mask: UInt8 = 0x80 >> UInt8(index)
            if newValue { rawValue |= mask } else { rawValue &= ~mask }
        }
    }
}
