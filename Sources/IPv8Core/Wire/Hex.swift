/// Lower-case hex of `bytes`, no separators.
func hexString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Parses hex text (upper or lower case, even length, no separators); `nil` for anything else.
package func bytes(fromHex text: String) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(utf8.count / 2)
    var i = 0
    while i < utf8.count {
        guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

/// Hexadecimal text for byte strings: what the tools and tests use to show and read packets.
public enum Hex {
    /// Lower-case hex of `bytes`, no separators.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { hexString(bytes) }

    /// Bytes from hex text (either case, even length). White space anywhere and a leading `0x` are
    /// ignored. `nil` for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        var cleaned = String(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0X") { cleaned.removeFirst(2) }
        return bytes(fromHex: cleaned)
    }
}
