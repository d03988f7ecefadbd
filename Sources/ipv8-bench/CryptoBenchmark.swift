import CReferenceReceiver
import CSodium
import IPv8

/// Framing cost on top of the signature operations, in one run:
/// - decode + verify of a signed introduction request (`SignedPacketView.open`) against raw
///   `crypto_sign_verify_detached` over the same bytes;
/// - encode + sign of an introduction response (`PacketEncoder.coreSigned`) against raw `crypto_sign_detached`
///   over a message of the same length.
struct CryptoBenchmark {
    var operations = 20_000
    var rounds = 3

    struct Rates {
        var verifyReference = 0.0, verifyEngine = 0.0, signReference = 0.0, signEngine = 0.0
    }

    func run() throws -> [Rates] {
        let fixture = SignedPacketFixture()
        let (key, prefix, packet, response, sk) = (fixture.key, fixture.prefix, fixture.packet, fixture.response,
                                                   fixture.rawSecretKey)
        let message = [UInt8](repeating: 0x5A, count: fixture.responseSignedLength)

        var results: [Rates] = []
        for round in 1...rounds {
            var r = Rates()
            var failures = 0
            // Raw libsodium verify of the very same signed bytes.
            r.verifyReference = rate {
                packet.withUnsafeBytes { raw in
                    for _ in 0..<operations where !SignedPacketFixture.rawVerify(raw) { failures += 1 }
                }
            }
            r.verifyEngine = rate {
                packet.withUnsafeBytes { raw in
                    for _ in 0..<operations {
                        do { _ = try SignedPacketView.open(raw, as: IntroductionRequestPayload.self) } catch { failures += 1 }
                    }
                }
            }
            var signature = [UInt8](repeating: 0, count: 64)
            r.signReference = rate {
                for _ in 0..<operations { crypto_sign_detached(&signature, nil, message, UInt64(message.count), sk) }
            }
            var total = 0
            r.signEngine = rate {
                for i in 0..<operations {
                    total &+= PacketEncoder.coreSigned(response, prefix: prefix, globalTime: UInt64(i), key: key).count
                }
            }
            guard failures == 0, total > 0 else { throw BenchError("verification failed in the crypto benchmark") }
            print("round \(round): verify raw \(Int(r.verifyReference))/s, decode+verify \(Int(r.verifyEngine))/s "
                + "(overhead \(format((r.verifyReference / r.verifyEngine - 1) * 100, digits: 1)) %); "
                + "sign raw \(Int(r.signReference))/s, encode+sign \(Int(r.signEngine))/s "
                + "(overhead \(format((r.signReference / r.signEngine - 1) * 100, digits: 1)) %)")
            results.append(r)
        }
        return results
    }

    /// The signature bound of answering one signed introduction request: raw libsodium verifies of a signed
    /// request, each followed by a raw sign of a response-sized message, per CPU second of this thread (the best
    /// of `rounds`).
    func verifySignBound() throws -> Double {
        let fixture = SignedPacketFixture()
        let sk = fixture.rawSecretKey
        let message = [UInt8](repeating: 0x5A, count: fixture.responseSignedLength)
        var signature = [UInt8](repeating: 0, count: 64)
        var failures = 0, best = 0.0
        for _ in 0..<rounds {
            best = max(best, rate {
                fixture.packet.withUnsafeBytes { raw in
                    for _ in 0..<operations {
                        if !SignedPacketFixture.rawVerify(raw) { failures += 1 }
                        crypto_sign_detached(&signature, nil, message, UInt64(message.count), sk)
                    }
                }
            })
        }
        guard failures == 0 else { throw BenchError("verification failed in the bound measurement") }
        return best
    }

    /// Operations per second of `body` (which performs `operations` operations), by thread CPU time.
    private func rate(_ body: () -> Void) -> Double {
        let t0 = reference_thread_cpu_ns()
        body()
        let ns = reference_thread_cpu_ns() - t0
        return Double(operations) / (Double(ns) / 1e9)
    }
}
