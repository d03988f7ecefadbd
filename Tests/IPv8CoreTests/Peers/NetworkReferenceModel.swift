@testable import IPv8Core

/// A deliberately naive Network: py-ipv8's algorithms (spec §3) with this port's documented fixes, using
/// linear scans and no indices. The randomized test checks the real Network's answers against it.
final class NetworkReferenceModel {
    struct Entry {
        var introducer: [UInt8]?
        var service: CommunityID?
        var newStyle: Bool
    }

    var all: [Address: Entry] = [:]
    var verified: [Peer] = []
    var services: [[UInt8]: Set<CommunityID>] = [:]
    var blacklist: Set<Address> = []
    var blacklistMids: Set<[UInt8]> = []

    func canonical(_ bin: [UInt8]) -> Peer? {
        verified.first { $0.publicKeyBin == bin }
    }

    func addVerifiedPeer(_ peer: Peer) {
        if blacklistMids.contains(peer.mid) { return }
        if let known = canonical(peer.publicKeyBin) {
            if known !== peer { known.mergeAddresses(peer.addresses) }
            return
        }
        let addresses = Array(peer.addresses.values)
        if addresses.contains(where: { all[$0] != nil }) {
            verified.append(peer)
        } else if addresses.allSatisfy({ !blacklist.contains($0) }) {
            for a in addresses where all[a] == nil { all[a] = Entry(introducer: nil, service: nil, newStyle: false) }
            verified.append(peer)
        }
    }

    func discoverAddress(_ peer: Peer, _ address: Address, service: CommunityID?, newStyle: Bool) {
        if blacklist.contains(address) {
            addVerifiedPeer(peer)
            return
        }
        if let entry = all[address], let introducer = entry.introducer, canonical(introducer) != nil {
            // keeps its live introducer
        } else {
            all[address] = Entry(introducer: peer.publicKeyBin, service: service, newStyle: newStyle)
        }
        addVerifiedPeer(peer)
    }

    func discoverServices(_ peer: Peer, _ list: [CommunityID]) {
        services[peer.publicKeyBin, default: []].formUnion(list)
    }

    func removeByAddress(_ address: Address) {
        all[address] = nil
        let removed = verified.filter { $0.addresses.values.contains(address) }
        verified.removeAll { $0.addresses.values.contains(address) }
        for peer in removed { services[peer.publicKeyBin] = nil }
    }

    func removePeer(_ peer: Peer) {
        for a in peer.addresses.values { all[a] = nil }
        if let known = canonical(peer.publicKeyBin) {
            for a in known.addresses.values { all[a] = nil }
        }
        verified.removeAll { $0 == peer }
        services[peer.publicKeyBin] = nil
    }

    func loadSnapshot(_ addresses: [Address]) {
        for a in addresses { all[a] = Entry(introducer: nil, service: nil, newStyle: false) }
    }

    func peersForService(_ service: CommunityID) -> [Peer] {
        verified.filter { services[$0.publicKeyBin]?.contains(service) == true }
    }

    func walkable(service: CommunityID?, oldStyle: Bool) -> Set<Address> {
        let known = service.map { peersForService($0) } ?? verified
        var out = Set(all.keys).subtracting(known.flatMap { $0.addresses.values })
        if let service {
            out = out.filter { address in
                let entry = all[address]!
                if oldStyle && entry.newStyle { return false }
                var advertised = entry.introducer.flatMap { services[$0] } ?? []
                if let s = entry.service { advertised.insert(s) }
                return advertised.contains(service)
            }
        }
        return out
    }

    func introductions(from peer: Peer) -> Set<Address> {
        Set(all.filter { $0.value.introducer == peer.publicKeyBin }.keys)
    }
}
