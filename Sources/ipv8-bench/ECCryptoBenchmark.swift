import CLibCrypto
import CReferenceReceiver
import IPv8

/// Legacy EC keys, per curve, in one run: decode + verify of an EC-signed introduction request
/// (`SignedPacketView.open`) against raw libcrypto (`EVP_DigestVerify` with SHA-1, a parsed key and a
/// ready DER signature), and encode + sign of an introduction response (`PacketEncoder.coreSigned`)
/// against raw `EVP_DigestSign` over a message of the same length. Each measurement alternates the two,
/// `rounds` times per curve.
struct ECCryptoBenchmark {
    var operations = 300
    var rounds = 3

    struct Rates {
        var curve: ECCurve
        var verifyReference = 0.0, verifyEngine = 0.0, signReference = 0.0, signEngine = 0.0
    }

    func run() throws -> [Rates] {
        let prefix = CommunityPrefix(communityID: CommunityID(bytes: Array(0..<20))!)
        let request = IntroductionRequestPayload(destinationAddress: Address(127, 0, 0, 1, port: 2),
                                                 sourceLANAddress: Address(127, 0, 0, 1, port: 1),
                                                 sourceWANAddress: Address(127, 0, 0, 1, port: 1), identifier: 7)
        let response = IntroductionResponsePayload(destinationAddress: Address(127, 0, 0, 1, port: 1),
                                                   sourceLANAddress: Address(127, 0, 0, 1, port: 2),
                                                   sourceWANAddress: Address(127, 0, 0, 1, port: 2),
                                                   lanIntroductionAddress: .zero,
                                                   wanIntroductionAddress: Address(127, 0, 0, 1, port: 3), identifier: 7)
        var results: [Rates] = []
        for curve in [ECCurve.sect163k1, .sect233k1, .sect409k1, .sect571k1] {
            let key = try PrivateKey.generate(curve: curve)
            let packet = PacketEncoder.coreSigned(request, prefix: prefix, globalTime: 7, key: key)
            let signedLength = packet.count - curve.signatureLength
            let der = try derSignature(packet, signedLength: signedLength, curve: curve)
            guard let pkey = parsePublicKey(key.publicKey.bin) else { throw BenchError("cannot parse the public key") }
            defer { EVP_PKEY_free(pkey) }
            guard let secret = parsePrivateKey(key.bin) else { throw BenchError("cannot parse the private key") }
            defer { EVP_PKEY_free(secret) }
            let message = [UInt8](repeating: 0x5A, count: PacketEncoder.coreSigned(response, prefix: prefix, globalTime: 8,
                                                                                 key: key).count - curve.signatureLength)
            for _ in 1...rounds {
            var r = Rates(curve: curve)
            var failures = 0
            r.verifyReference = rate {
                packet.withUnsafeBytes { raw in
                    for _ in 0..<operations where !rawVerify(pkey, der, raw.baseAddress!, signedLength) { failures += 1 }
                }
            }
            r.verifyEngine = rate {
                packet.withUnsafeBytes { raw in
                    for _ in 0..<operations {
                        do { _ = try SignedPacketView.open(raw, as: IntroductionRequestPayload.self) } catch { failures += 1 }
                    }
                }
            }
            r.signReference = rate {
                for _ in 0..<operations where !rawSign(secret, message) { failures += 1 }
            }
            var total = 0
            r.signEngine = rate {
                for i in 0..<operations {
                    total &+= PacketEncoder.coreSigned(response, prefix: prefix, globalTime: UInt64(i), key: key).count
                }
            }
            guard failures == 0, total > 0 else { throw BenchError("an EC operation failed in the benchmark (\(curve))") }
            print("\(curve): verify raw \(Int(r.verifyReference))/s, decode+verify \(Int(r.verifyEngine))/s "
                + "(ratio \(format(r.verifyEngine / r.verifyReference, digits: 3))); "
                + "sign raw \(Int(r.signReference))/s, encode+sign \(Int(r.signEngine))/s "
                + "(ratio \(format(r.signEngine / r.signReference, digits: 3)))")
            results.append(r)
            }
        }
        return results
    }

    private func derSignature(_ packet: [UInt8], signedLength: Int, curve: ECCurve) throws -> [UInt8] {
        let n = curve.scalarLength
        guard let sig = ECDSA_SIG_new() else { throw BenchError("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        let (r, s) = packet.withUnsafeBufferPointer { b in
            (BN_bin2bn(b.baseAddress! + signedLength, Int32(n), nil), BN_bin2bn(b.baseAddress! + signedLength + n, Int32(n), nil))
        }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else { throw BenchError("ECDSA_SIG_set0") }
        let length = i2d_ECDSA_SIG(sig, nil)
        var der = [UInt8](repeating: 0, count: Int(length))
        der.withUnsafeMutableBufferPointer { b in
            var cursor: UnsafeMutablePointer<UInt8>? = b.baseAddress
            _ = i2d_ECDSA_SIG(sig, &cursor)
        }
        return der
    }

    private func parsePublicKey(_ bin: [UInt8]) -> OpaquePointer? {
        bin.withUnsafeBufferPointer { b in
            var cursor: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_PUBKEY(nil, &cursor, b.count)
        }
    }

    private func parsePrivateKey(_ bin: [UInt8]) -> OpaquePointer? {
        bin.withUnsafeBufferPointer { b in
            var cursor: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, b.count)
        }
    }

    private func rawVerify(_ pkey: OpaquePointer, _ der: [UInt8], _ message: UnsafeRawPointer, _ length: Int) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestVerifyInit(context, nil, EVP_sha1(), nil, pkey) == 1
            && EVP_DigestVerify(context, der, der.count, message.assumingMemoryBound(to: UInt8.self), length) == 1
    }

    private func rawSign(_ pkey: OpaquePointer, _ message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 256)
        var length = signature.count
        return EVP_DigestSignInit(context, nil, EVP_sha1(), nil, pkey) == 1
            && EVP_DigestSign(context, &signature, &length, message, message.count) == 1
    }

    /// Operations per second of `body` (which performs `operations` operations), by thread CPU time.
    private func rate(_ body: () -> Void) -> Double {
        let t0 = reference_thread_cpu_ns()
        body()
        return Double(operations) / (Double(reference_thread_cpu_ns() - t0) / 1e9)
    }
}
