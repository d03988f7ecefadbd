import Glibc
import FuzzKit
import IPv8Core

/// Public and private key bins (LibNaCL and EC DER), as a key file holds them: parse or throw, never trap;
/// a parsed key re-encodes to a bin that parses to the same key.
let fuzzKeys: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let key = try? PublicKey(bin: bytes) {
        precondition((try? PublicKey(bin: key.bin))?.mid == key.mid, "public key bin does not round-trip")
    }
    if let key = try? PrivateKey(bin: bytes) {
        precondition((try? PrivateKey(bin: key.bin))?.mid == key.mid, "private key bin does not round-trip")
    }
    return 0
}

exit(runFuzzer(fuzzKeys))
