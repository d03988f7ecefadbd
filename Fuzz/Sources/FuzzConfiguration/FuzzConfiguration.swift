import Glibc
import FuzzKit
import IPv8Core

/// Configuration JSON: parses or throws a named error, never traps.
let fuzzConfiguration: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Configuration(json: text)
    return 0
}

exit(runFuzzer(fuzzConfiguration))
