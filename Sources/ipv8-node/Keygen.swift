import ArgumentParser
import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// `ipv8-node keygen`: writes a new curve25519 private key in the format py-ipv8 reads.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a curve25519 key file (the raw LibNaCLSK: private key bin py-ipv8 loads).",
        discussion: "Prints the key's public key bin and mid as hex. Refuses to overwrite an existing file."
    )

    @Option(name: .long, help: "Where to write the key (mode 0600).")
    var out: String

    func run() throws {
        if access(out, F_OK) == 0 {
            throw CleanExit.failure("\(out) already exists; not overwriting a key")
        }
        let key = PrivateKey.generate()
        do {
            try KeyFile.write(key, to: out)
        } catch {
            throw CleanExit.failure("\(error)")
        }
        print("wrote \(out)")
        print("public key: \(Hex.encode(key.publicKey.bin))")
        print("mid: \(Hex.encode(key.mid))")
    }
}
