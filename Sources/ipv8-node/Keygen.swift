import ArgumentParser
import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// `ipv8-node keygen`: writes a new private key (curve25519 or a legacy EC level) in the format py-ipv8 reads.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a key file (the raw private key bin py-ipv8 loads: LibNaCLSK: or EC DER).",
        discussion: "Prints the key's public key bin and mid as hex. Refuses to overwrite an existing file."
    )

    @Option(name: .long, help: "Where to write the key (mode 0600).")
    var out: String

    @Option(name: .long, help: "The key generation: curve25519, very-low, low, medium or high (legacy EC).")
    var curve: String = "curve25519"

    func validate() throws {
        guard curve == "curve25519" || ECCurve(generation: curve) != nil else {
            throw ValidationError("--curve: unknown generation '\(curve)' (known: curve25519, \(ECCurve.generationNames.joined(separator: ", ")))")
        }
    }

    func run() throws {
        if access(out, F_OK) == 0 {
            throw CleanExit.failure("\(out) already exists; not overwriting a key")
        }
        let key: PrivateKey
        do {
            key = try ECCurve(generation: curve).map { try PrivateKey.generate(curve: $0) } ?? PrivateKey.generate()
            try KeyFile.write(key, to: out)
        } catch {
            throw CleanExit.failure("\(error)")
        }
        print("wrote \(out)")
        print("public key: \(Hex.encode(key.publicKey.bin))")
        print("mid: \(Hex.encode(key.mid))")
    }
}
