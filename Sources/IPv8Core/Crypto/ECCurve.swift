/// The named binary curves of py-ipv8's legacy EC keys ("M2Crypto" keys, spec §6.5), by the security
/// level names its configuration uses for generation.
public enum ECCurve: String, Sendable, CaseIterable, CustomStringConvertible {
    /// "very-low": sect163k1 (py-ipv8's public trackers sign with it).
    case sect163k1
    /// "low": sect233k1.
    case sect233k1
    /// "medium": sect409k1.
    case sect409k1
    /// "high" as py-ipv8 documents it: sect571r1.
    case sect571r1
    /// "high" as py-ipv8 3.2.1 generates it: sect571k1.
    case sect571k1

    /// The curve a configuration's `generation` names (`very-low`, `low`, `medium`, `high`); `nil` for any
    /// other name. "high" generates sect571k1, as py-ipv8 3.2.1 does.
    public init?(generation: String) {
        switch generation {
        case "very-low": self = .sect163k1
        case "low": self = .sect233k1
        case "medium": self = .sect409k1
        case "high": self = .sect571k1
        default: return nil
        }
    }

    /// The generation names, weakest first.
    public static let generationNames = ["very-low", "low", "medium", "high"]

    /// The field degree in bits (163, 233, 409 or 571).
    public var degree: Int {
        switch self {
        case .sect163k1: 163
        case .sect233k1: 233
        case .sect409k1: 409
        case .sect571r1, .sect571k1: 571
        }
    }

    /// The length of one signature half (r or s): ceil(degree / 8) bytes.
    public var scalarLength: Int { (degree + 7) / 8 }

    /// The length of a signature, r ‖ s: 42, 60, 104 or 144 bytes.
    public var signatureLength: Int { 2 * scalarLength }

    /// The OpenSSL short name.
    public var description: String { rawValue }
}
