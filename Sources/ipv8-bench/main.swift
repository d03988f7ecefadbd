#if canImport(Glibc)
import Glibc
#endif
import IPv8

// ipv8-bench: engine benchmarks, each printed as a ratio against a reference measured in the same run.
// Usage: ipv8-bench [receive] [--datagrams N] [--rounds N]

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}

var receive = ReceiveBenchmark()
if let n = option("--datagrams").flatMap(UInt64.init) { receive.datagrams = n }
if let n = option("--rounds").flatMap(Int.init) { receive.rounds = max(1, n) }
if let n = option("--pause-us").flatMap(UInt32.init) { receive.senderPauseMicros = n }
let which = arguments.first ?? "receive"

do {
    switch which {
    case "receive":
        print("receive path: \(receive.datagrams) datagrams of \(receive.size) bytes per round, 127.0.0.1, recvmmsg")
        let results = try receive.run()
        let ratios = results.map { $0.swift.nanosPerPacket / $0.reference.nanosPerPacket }
        let c = median(results.map { $0.reference.nanosPerPacket })
        let s = median(results.map { $0.swift.nanosPerPacket })
        print("median: C \(format(c)) ns/datagram, Swift \(format(s)) ns/datagram, "
            + "Swift/C ratio \(format(median(ratios), digits: 3)) (target <= 1.10)")
    case "crypto":
        var crypto = CryptoBenchmark()
        if let n = option("--operations").flatMap(Int.init) { crypto.operations = max(1, n) }
        print("signed packets: \(crypto.operations) operations per measurement, one core")
        let r = try crypto.run()
        let verifyOverhead = median(r.map { $0.verifyReference / $0.verifyEngine - 1 }) * 100
        let signOverhead = median(r.map { $0.signReference / $0.signEngine - 1 }) * 100
        print("median: decode+verify costs \(format(verifyOverhead)) % over raw verify, "
            + "encode+sign \(format(signOverhead)) % over raw sign (target < 5 %)")
    case "ec":
        var ec = ECCryptoBenchmark()
        if let n = option("--operations").flatMap(Int.init) { ec.operations = max(1, n) }
        print("legacy EC keys: \(ec.operations) operations per measurement and curve, one core")
        let r = try ec.run()
        print("median over curves and rounds: decode+verify/raw verify \(format(median(r.map { $0.verifyEngine / $0.verifyReference }), digits: 3)), "
            + "encode+sign/raw sign \(format(median(r.map { $0.signEngine / $0.signReference }), digits: 3))")
    case "tracker":
        var tracker = TrackerBenchmark()
        if let n = option("--seconds").flatMap(Double.init) { tracker.seconds = max(0.5, n) }
        if let n = option("--senders").flatMap(Int.init) { tracker.senders = max(1, n) }
        if let path = option("--python") { tracker.python = path }
        if let curve = option("--curve") { tracker.curve = curve }
        if let text = option("--address") {
            guard let address = Address(text) else { throw BenchError("--address: \"\(text)\" is not IP:PORT") }
            tracker.existing = address
        }
        if let i = arguments.firstIndex(of: "--compare-pyipv8") { arguments.remove(at: i); tracker.comparePyIPv8 = true }
        print("tracker: \(tracker.senders) senders in one community, \(tracker.window) requests in flight, "
            + "\(format(tracker.seconds)) s per tracker, 127.0.0.1")
        try tracker.run()
    case "payload":
        var payload = PayloadBenchmark()
        if let n = option("--operations").flatMap(Int.init) { payload.operations = max(1, n) }
        print("declarative payloads: clock q + text varlenHutf8, \(payload.operations) messages per measurement")
        let r = try payload.run()
        print("median: declared/hand-written encode \(format(median(r.map { $0.encodeDeclared / $0.encodeHand }), digits: 2))×, "
            + "decode \(format(median(r.map { $0.decodeDeclared / $0.decodeHand }), digits: 2))×")
    case "swarm":
        var swarm = SwarmBenchmark()
        if let n = option("--nodes").flatMap(Int.init) { swarm.nodes = max(2, n) }
        try swarm.run()
    default:
        print("unknown benchmark '\(which)'; available: receive, crypto, ec, payload, tracker, swarm")
        exit(2)
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
