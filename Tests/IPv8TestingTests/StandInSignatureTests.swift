import IPv8
@testable import IPv8Core
import IPv8Testing
import XCTest

/// Simulations with `signatures: .skipped`: stand-in signatures keep the wire layout, differ per message, are
/// refused by any real verifier, and a swarm still converges, reproducibly, without a datagram taken for a repeat.
final class StandInSignatureTests: XCTestCase {
    private let prefix = CommunityPrefix(communityID: PlainCommunity.defaultID)

    private func request(_ identifier: UInt16, key: PrivateKey) -> [UInt8] {
        let address = Address(127, 0, 0, 1, port: 8000)
        return PacketEncoder.coreSigned(IntroductionRequestPayload(destinationAddress: address, sourceLANAddress: address,
                                                                   sourceWANAddress: address, identifier: identifier),
                                        prefix: prefix, globalTime: UInt64(identifier), key: key)
    }

    func testStandInsKeepTheIdentityAndLayoutAndNoRealVerifierTakesThem() throws {
        let real = PrivateKey.deterministic(seed: 5)
        let standIn = PrivateKey(standInFor: real)
        XCTAssertTrue(standIn.signsWithStandIn)
        XCTAssertFalse(real.signsWithStandIn)
        XCTAssertEqual(standIn.publicKey.bin, real.publicKey.bin)
        XCTAssertEqual(standIn.mid, real.mid)

        let genuine = request(1, key: real), fake = request(1, key: standIn)
        XCTAssertEqual(fake.count, genuine.count, "same layout and length as a real signed datagram")
        XCTAssertEqual(Array(fake.dropLast(64)), Array(genuine.dropLast(64)), "only the signature differs")
        XCTAssertTrue(try genuine.withUnsafeBytes { try SignedPacketView($0).verify() })
        XCTAssertFalse(try fake.withUnsafeBytes { try SignedPacketView($0).verify() }, "a stand-in never verifies")
        let verdict = try fake.withUnsafeBytes {
            VerificationGate(settings: .unmetered).check(try SignedPacketView($0), from: Address(127, 0, 0, 1, port: 8000))
        }
        XCTAssertEqual(verdict, .invalid, "a node's gate refuses it")
        XCTAssertNotEqual(Array(request(2, key: standIn).suffix(64)), Array(fake.suffix(64)), "distinct per message")
    }

    func testSwarmWithSkippedSignaturesConvergesReproduciblyWithNoRepeatsDropped() throws {
        func run(seed: UInt64) throws -> (converged: Bool, digest: UInt64, duplicates: UInt64) {
            let swarm = try SimulatedSwarm(count: 200, seed: seed, signatures: .skipped, bootstrapToFirst: true,
                                           randomWalkTarget: 20) { try PlainCommunity(context: $0) }
            let converged = swarm.simulation.run(until: { swarm.minimumPeerCount >= 20 }, within: 120)
            let duplicates = swarm.nodes.reduce(UInt64(0)) { $0 + $1.endpoint.router.verificationGate.counters.duplicates }
            return (converged, swarm.digest, duplicates)
        }
        let first = try run(seed: 9)
        XCTAssertTrue(first.converged, "200 nodes reach 20 peers each within 120 simulated seconds")
        XCTAssertEqual(first.duplicates, 0, "stand-ins differ per message, so no datagram passes for a repeat")
        XCTAssertEqual(try run(seed: 9).digest, first.digest, "same seed, same final state")
    }
}
