import Glibc
import FuzzKit
import IPv8Core

/// Network snapshots: loading any bytes leaves a consistent network, never traps.
let fuzzSnapshot: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    guard let data else { return 0 }
    let network = Network()
    network.loadSnapshot(Array(UnsafeBufferPointer(start: data, count: size)))
    _ = network.snapshot()
    return 0
}

exit(runFuzzer(fuzzSnapshot))
