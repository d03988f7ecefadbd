import XCTest
@testable import IPv8Core

/// Large and randomized checks: correctness at scale, index consistency under random operations, and
/// deterministic output order.
final class NetworkScaleTests: XCTestCase {
    /// 5,000 verified peers and 20,000 known addresses; checks the per-service queries against brute force.
    func testScaleFiveThousandPeers() {
        let network = Network()
        let serviceA = testService(1), serviceB = testService(2)
        let count = 5_000
        let peers = (0..<count).map { testPeer($0, testAddress($0)) }
        for (i, peer) in peers.enumerated() {
            network.addVerifiedPeer(peer)
            network.discoverServices(peer, [i % 4 == 0 ? serviceA : serviceB])
        }
        var introducedBy: [Address: Int] = [:]
        for (i, peer) in peers.enumerated() {
            for j in 0..<3 {
                let fresh = testAddress(100_000 + 3 * i + j)
                network.discoverAddress(peer, fresh)
                introducedBy[fresh] = i
            }
            // A known address without an introducer: adopted by this peer.
            let next = peers[(i + 1) % count].address
            network.discoverAddress(peer, next)
            introducedBy[next] = i
        }
        XCTAssertEqual(network.knownAddressCount, 20_000)
        XCTAssertEqual(network.verifiedPeerCount, count)

        let members = network.peersForService(serviceA)
        XCTAssertEqual(Set(members.map(\.publicKeyBin)),
                       Set(peers.enumerated().filter { $0.offset % 4 == 0 }.map(\.element.publicKeyBin)))
        XCTAssertEqual(members.count, 1_250)
        XCTAssertEqual(network.peerCount(forService: serviceA), 1_250)

        // Brute force: introduced by an A member, and not the address of a verified A member.
        let memberAddresses = Set(members.map(\.address))
        let expected = Set(introducedBy.filter { $0.value % 4 == 0 && !memberAddresses.contains($0.key) }.keys)
        let walkable = network.walkableAddresses(service: serviceA)
        XCTAssertEqual(walkable.count, Set(walkable).count, "no duplicates")
        XCTAssertEqual(Set(walkable), expected)
        XCTAssertEqual(walkable.count, 1_250 * 4)   // 3 fresh + the next peer's (a B member's) address
        XCTAssertEqual(network.walkableAddresses().count, 15_000)
        XCTAssertEqual(network.indexConsistencyViolations(), [])

        // Removing a quarter of the peers keeps everything exact.
        for peer in peers where peer.midPrefix % 4 == 1 { network.removePeer(peer) }
        XCTAssertEqual(network.indexConsistencyViolations(), [])
    }

    /// Random operations; after each, the indices match a brute-force recomputation and every query
    /// matches the naive reference model.
    func testRandomizedOperationsKeepIndicesConsistent() {
        for seed in [1, 2, 3] as [UInt64] {
            _ = Self.runRandomized(seed: seed, steps: 700, checkEveryStep: true)
        }
    }

    /// The same seed gives the same ordered outputs (within this process).
    func testRandomizedRunIsReproducible() {
        XCTAssertEqual(Self.runRandomized(seed: 42, steps: 2_000, checkEveryStep: false),
                       Self.runRandomized(seed: 42, steps: 2_000, checkEveryStep: false))
    }

    /// Runs a seeded random scenario and returns a transcript of every ordered output.
    static func runRandomized(seed: UInt64, steps: Int, checkEveryStep: Bool) -> [String] {
        let rng = RandomSource(seed: seed)
        let network = Network()
        let model = NetworkReferenceModel()
        let identities = 40
        let addressPool = (0..<60).map { $0 % 10 == 9 ? Address(ip: "2001:db8::\($0)", port: UInt16($0))! : testAddress($0) }
        let services = (0..<4).map(testService)
        var transcript: [String] = []

        func randomAddress() -> Address { addressPool[rng.below(addressPool.count)] }
        func freshPeer() -> Peer {
            let peer = testPeer(rng.below(identities), randomAddress())
            if rng.below(4) == 0 { peer.addAddress(randomAddress(), kind: .ipv4LAN) }
            return peer
        }
        func somePeer() -> Peer {
            // Half the time the canonical object, when there is one.
            if rng.below(2) == 0, !model.verified.isEmpty { return model.verified[rng.below(model.verified.count)] }
            return freshPeer()
        }

        for step in 0..<steps {
            switch rng.below(100) {
            case 0..<20:
                let peer = somePeer()
                network.addVerifiedPeer(peer)
                model.addVerifiedPeer(peer)
            case 20..<50:
                let peer = somePeer(), address = randomAddress()
                let service = rng.below(3) == 0 ? services[rng.below(services.count)] : nil
                let newStyle = rng.below(2) == 0
                network.discoverAddress(peer, address, service: service, newStyle: newStyle)
                model.discoverAddress(peer, address, service: service, newStyle: newStyle)
            case 50..<65:
                let peer = somePeer()
                let list = (0..<1 + rng.below(2)).map { _ in services[rng.below(services.count)] }
                network.discoverServices(peer, list)
                model.discoverServices(peer, list)
            case 65..<73:
                let address = randomAddress()
                network.removeByAddress(address)
                model.removeByAddress(address)
            case 73..<81:
                let peer = somePeer()
                network.removePeer(peer)
                model.removePeer(peer)
            case 81..<91:
                // External address change on a canonical verified peer.
                guard !model.verified.isEmpty else { break }
                let peer = model.verified[rng.below(model.verified.count)]
                let kind = AddressKind.allCases[rng.below(3)]
                if rng.below(3) == 0 { network.removeAddress(kind: kind, from: peer) } else { network.addAddress(randomAddress(), kind: kind, to: peer) }
            case 91..<94:
                let address = randomAddress()
                network.addToBlacklist(address)
                model.blacklist.insert(address)
            case 94..<96:
                let address = randomAddress()
                network.removeFromBlacklist(address)
                model.blacklist.remove(address)
            case 96..<97:
                let mid = testKey(rng.below(identities)).mid
                network.addToBlacklist(mid: mid)
                model.blacklistMids.insert(mid)
            default:
                let addresses = (0..<rng.below(4)).map { _ in randomAddress() }
                var packer = Packer()
                for a in addresses { packer.ipAddress(a) }
                network.loadSnapshot(packer.bytes)
                model.loadSnapshot(addresses)
            }

            if checkEveryStep || step == steps - 1 {
                compare(network, model, services: services, addresses: addressPool, step: step, seed: seed)
            }
            transcript.append(describe(network, services: services))
        }
        return transcript
    }

    private static func compare(_ network: Network, _ model: NetworkReferenceModel, services: [CommunityID],
                         addresses: [Address], step: Int, seed: UInt64) {
        let context = "seed \(seed) step \(step)"
        XCTAssertEqual(network.indexConsistencyViolations(), [], context)
        XCTAssertEqual(network.verifiedPeers.map(ObjectIdentifier.init), model.verified.map(ObjectIdentifier.init),
                       "verified peers, in verification order; \(context)")
        XCTAssertEqual(Set(network.knownAddresses), Set(model.all.keys), context)
        XCTAssertEqual(Set(network.walkableAddresses()), model.walkable(service: nil, oldStyle: false), context)
        for service in services {
            XCTAssertEqual(Set(network.peersForService(service).map(ObjectIdentifier.init)),
                           Set(model.peersForService(service).map(ObjectIdentifier.init)), context)
            for oldStyle in [false, true] {
                let walkable = network.walkableAddresses(service: service, oldStyle: oldStyle)
                XCTAssertEqual(walkable.count, Set(walkable).count, context)
                XCTAssertEqual(Set(walkable), model.walkable(service: service, oldStyle: oldStyle), context)
            }
        }
        for address in addresses {
            let expected = model.verified.filter { $0.addresses.values.contains(address) }
            if let found = network.verifiedPeer(byAddress: address) {
                XCTAssertTrue(expected.contains { $0 === found }, context)
            } else {
                XCTAssertTrue(expected.isEmpty, context)
            }
            XCTAssertEqual(network.isNewStyle(address), model.all[address]?.newStyle ?? false, context)
        }
        for n in 0..<40 {
            let probe = testPeer(n)
            XCTAssertTrue(network.verifiedPeer(byPublicKeyBin: probe.publicKeyBin) === model.canonical(probe.publicKeyBin), context)
            XCTAssertTrue(network.verifiedPeer(byMid: probe.mid) === model.canonical(probe.publicKeyBin), context)
            XCTAssertEqual(Set(network.introductions(from: probe)), model.introductions(from: probe), context)
            XCTAssertEqual(Set(network.services(for: probe)), model.services[probe.publicKeyBin] ?? [], context)
        }
    }

    /// Every ordered output of the network in one line.
    static func describe(_ network: Network, services: [CommunityID]) -> String {
        var parts = [network.walkableAddresses().description, network.snapshot().description]
        for service in services {
            parts.append(network.peersForService(service).map(\.description).description)
            parts.append(network.walkableAddresses(service: service).description)
        }
        return parts.joined(separator: "|")
    }
}
