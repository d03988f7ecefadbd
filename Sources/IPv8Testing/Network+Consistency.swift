import IPv8Core

extension Network {
    /// Recomputes every index from the primary state (known addresses, verified peers, services per peer)
    /// by brute force and lists each disagreement. Empty when the indices are exact. O(everything): a
    /// debugging and testing aid, never called by the engine.
    public func indexConsistencyViolations() -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }

        // Primary state agrees with its own ordering.
        let order = entries.keys
        check(order.count == entries.count && Set(order).count == order.count, "entry order ≠ entries")
        let verified = verifiedPeers
        check(verified.count == self.verified.count, "verified order count ≠ key map count")
        for (key, peer) in self.verified {
            check(peer.keyBin == key && self.verified[peer.keyBin] === peer, "key map does not hold the canonical \(peer)")
        }

        // Address → verified peers.
        var byAddress: [Address: Set<ObjectIdentifier>] = [:]
        for peer in verified {
            for address in peer.distinctAddresses { byAddress[address, default: []].insert(ObjectIdentifier(peer)) }
        }
        check(byAddress.count == verifiedByAddress.count, "address index size \(verifiedByAddress.count) ≠ \(byAddress.count)")
        for (address, list) in verifiedByAddress {
            let peers = list.peers
            check(peers.count == Set(peers.map(ObjectIdentifier.init)).count, "duplicate peers at \(address)")
            check(byAddress[address] == Set(peers.map(ObjectIdentifier.init)), "address index wrong at \(address)")
        }

        // Mid → verified peer (indexed only while the verified peers are hashed).
        let expectedMids = self.verified.isHashed ? Set(verified.map(\.midKey)).count : 0
        check(verifiedByMid.count == expectedMids, "mid index size")
        for (mid, peer) in verifiedByMid {
            check(self.verified[peer.keyBin] === peer && peer.midKey == mid, "mid index holds a stale peer")
        }
        for peer in verified {
            check(verifiedPeer(byMid: peer.mid) != nil, "mid lookup misses \(peer)")
        }

        // Introducer → addresses and entry service → addresses.
        var introduced: [ByteKey: Set<Address>] = [:]
        var viaService: [CommunityID: Set<Address>] = [:]
        for (address, entry) in entries {
            if let introducer = entry.introducer { introduced[introducer, default: []].insert(address) }
            if let service = entry.service { viaService[service, default: []].insert(address) }
        }
        check(introduced.count == introducedBy.count, "introducer index size")
        for (key, addresses) in introducedBy {
            check(introduced[key] == Set(addresses.elements), "introducer index wrong")
        }
        check(viaService.count == addressesByEntryService.count, "entry-service index size")
        for (service, addresses) in addressesByEntryService {
            check(viaService[service] == Set(addresses.elements), "entry-service index wrong for \(service)")
        }

        // Service → advertisers and service → verified peers.
        var advertising: [CommunityID: Set<ByteKey>] = [:]
        var verifiedAdvertising: [CommunityID: Set<ObjectIdentifier>] = [:]
        for (key, services) in servicesPerPeer {
            check(!services.elements.isEmpty, "empty service set kept")
            for service in services {
                advertising[service, default: []].insert(key)
                if let peer = self.verified[key] { verifiedAdvertising[service, default: []].insert(ObjectIdentifier(peer)) }
            }
        }
        check(advertising.count == advertisers.count, "advertiser index size")
        for (service, keys) in advertisers {
            check(advertising[service] == Set(keys.elements), "advertiser index wrong for \(service)")
        }
        check(verifiedAdvertising.count == verifiedByService.count, "service index size")
        for (service, peers) in verifiedByService {
            check(verifiedAdvertising[service] == Set(peers.elements.map(ObjectIdentifier.init)),
                  "service index wrong for \(service)")
        }
        return problems
    }
}
