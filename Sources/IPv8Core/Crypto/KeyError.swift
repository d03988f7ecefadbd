/// Why a key could not be parsed, loaded, stored or made.
public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bin is shorter than the 74 bytes a LibNaCL key needs.
    case tooShort(length: Int, needed: Int)
    /// A key file could not be read or written: `reason` is the system's explanation.
    case file(path: String, reason: String)
    /// A key file's content is not a private key bin.
    case badFileContent(path: String, reason: String)
    /// The configuration's `bin` field is not valid base64 or not a private key bin.
    case badConfiguredBin(alias: String, reason: String)
    /// The configuration asks for a key generation that cannot be made.
    case unsupportedGeneration(String)
    /// A legacy EC key bin is not the DER py-ipv8 writes (`reason` says what is wrong).
    case malformedDER(reason: String)
    /// A legacy EC key is on a curve py-ipv8 does not use.
    case unsupportedCurve(String)
    /// libcrypto refused an operation (`reason` is its explanation).
    case crypto(reason: String)

    public var description: String {
        switch self {
        case let .tooShort(length, needed):
            return "key bin is \(length) byte(s), at least \(needed) needed"
        case let .file(path, reason):
            return "key file \(path): \(reason)"
        case let .badFileContent(path, reason):
            return "key file \(path) does not hold a private key bin: \(reason)"
        case let .badConfiguredBin(alias, reason):
            return "key \"\(alias)\": bad bin: \(reason)"
        case let .malformedDER(reason):
            return "EC key bin is not valid DER: \(reason)"
        case let .unsupportedCurve(name):
            return "EC key curve \(name) is not one py-ipv8 uses (\(ECCurve.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .crypto(reason):
            return "libcrypto: \(reason)"
        case let .unsupportedGeneration(g):
            return "unknown key generation '\(g)' (known: curve25519, \(ECCurve.generationNames.joined(separator: ", ")))"
        }
    }
}
