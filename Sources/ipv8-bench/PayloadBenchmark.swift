import CReferenceReceiver
import IPv8

/// The cost of a declarative payload (``DataClassPayload``, Codable through our wire coder) against the
/// same message written by hand as a ``Payload``, in one run: encode, and decode, per message, for
/// overlay_tutorial_5-like `clock: q, text: varlenHutf8`.
struct PayloadBenchmark {
    var operations = 200_000
    var rounds = 3

    struct Declared: DataClassPayload {
        static let messageID: UInt8 = 1
        var clock: Int64
        var text: String
    }

    struct HandWritten: Payload {
        static let messageID: UInt8 = 1
        var clock: Int64
        var text: String
        init(clock: Int64, text: String) { self.clock = clock; self.text = text }
        func encode(into packer: inout Packer) {
            packer.i64(clock)
            packer.varlenH(Array(text.utf8))
        }
        init(from u: inout Unpacker) throws(WireError) {
            clock = try u.i64("clock")
            let raw = try u.varlenH("text")
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw .invalidValue(field: "text", offset: u.offset, reason: "not valid UTF-8")
            }
            self.text = text
        }
    }

    struct Rates { var encodeHand = 0.0, encodeDeclared = 0.0, decodeHand = 0.0, decodeDeclared = 0.0 }

    func run() throws -> [Rates] {
        let hand = HandWritten(clock: 42, text: "hello, lamport")
        let declared = Declared(clock: 42, text: "hello, lamport")
        var a = Packer(), b = Packer()
        hand.encode(into: &a)
        declared.encode(into: &b)
        guard a.bytes == b.bytes else { throw BenchError("the two encodings differ") }
        let bytes = a.bytes
        var results: [Rates] = []
        for round in 1...rounds {
            var r = Rates()
            var sink = 0
            r.encodeHand = nanos { for _ in 0..<operations { var p = Packer(capacity: 32); hand.encode(into: &p); sink &+= p.bytes.count } }
            r.encodeDeclared = nanos { for _ in 0..<operations { var p = Packer(capacity: 32); declared.encode(into: &p); sink &+= p.bytes.count } }
            r.decodeHand = try bytes.withUnsafeBytes { raw in
                try nanosThrowing { for _ in 0..<operations { var u = Unpacker(raw); sink &+= Int(try HandWritten(from: &u).clock) } }
            }
            r.decodeDeclared = try bytes.withUnsafeBytes { raw in
                try nanosThrowing { for _ in 0..<operations { var u = Unpacker(raw); sink &+= Int(try Declared(from: &u).clock) } }
            }
            guard sink != 0 else { throw BenchError("nothing measured") }
            print("round \(round): encode hand \(format(r.encodeHand)) ns, declared \(format(r.encodeDeclared)) ns "
                + "(\(format(r.encodeDeclared / r.encodeHand, digits: 2))×); decode hand \(format(r.decodeHand)) ns, "
                + "declared \(format(r.decodeDeclared)) ns (\(format(r.decodeDeclared / r.decodeHand, digits: 2))×)")
            results.append(r)
        }
        return results
    }

    /// Thread-CPU nanoseconds per operation of `body`.
    private func nanos(_ body: () -> Void) -> Double {
        let t0 = reference_thread_cpu_ns()
        body()
        return Double(reference_thread_cpu_ns() - t0) / Double(operations)
    }

    private func nanosThrowing(_ body: () throws -> Void) throws -> Double {
        let t0 = reference_thread_cpu_ns()
        try body()
        return Double(reference_thread_cpu_ns() - t0) / Double(operations)
    }
}
