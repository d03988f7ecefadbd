/// The two connection-type bits carried in introduction and similarity messages (spec §6.4).
///
/// Encoding: unknown → (0,0), public → (1,0), symmetric-NAT → (1,1); ``notApplicable`` (what (0,1)
/// decodes to) encodes as (0,0), like py-ipv8's `encode_connection_type`.
public enum ConnectionType: String, Hashable, Sendable, CaseIterable {
    /// The connection type is not known; bits (0, 0).
    case unknown = "unknown"
    /// A public address, reachable without a NAT; bits (1, 0).
    case `public` = "public"
    /// Behind a symmetric NAT (py-ipv8: `"symmetric-NAT"`); bits (1, 1).
    case symmetricNAT = "symmetric-NAT"
    /// What the bit pair (0, 1) decodes to (py-ipv8: `"N/A"`).
    case notApplicable = "N/A"

    /// Decodes the pair (bit 0 = `0x80`, bit 1 = `0x40`).
    public init(bit0: Bool, bit1: Bool) {
        switch (bit0, bit1) {
        case (false, false): self = .unknown
        case (true, false): self = .public
        case (true, true): self = .symmetricNAT
        case (false, true): self = .notApplicable
        }
    }

    /// The two bits as encoded (bit 0, bit 1).
    public var bits: (Bool, Bool) {
        switch self {
        case .public: return (true, false)
        case .symmetricNAT: return (true, true)
        case .unknown, .notApplicable: return (false, false)
        }
    }
}
