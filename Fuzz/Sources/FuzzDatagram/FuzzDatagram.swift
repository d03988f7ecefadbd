import Glibc
import FuzzKit
import IPv8Core

/// One datagram into a node running DiscoveryCommunity, DHTDiscoveryCommunity and a community of every
/// declarative format, from one of a few sources (a known peer's address among them). Must never trap.
let node = try! FuzzNode()

let fuzzDatagram: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    guard let data else { return 0 }
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let source = Address(127, 0, 0, 1, port: UInt16(size % 4) + 7000)
    node.endpoint.router.route(raw, from: source)
    // The same bytes under the other prefixes, so that one input reaches every community.
    if size >= 23 {
        var copy = Array(raw)
        for id in node.communityIDs where !id.bytes.elementsEqual(raw[2..<22]) {
            copy.replaceSubrange(2..<22, with: id.bytes)
            copy.withUnsafeBytes { _ = node.endpoint.router.route($0, from: source) }
        }
    }
    return 0
}

exit(runFuzzer(fuzzDatagram))
