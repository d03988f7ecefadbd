extension Community {
    /// Our own address in `family` (py-ipv8's `my_peer.addresses` with its `guess_address` fallback): what
    /// introduction responses over that family told us (their destination address), else our estimate
    /// (IPv4: ``myEstimatedWAN``; IPv6: the bound address). `nil` when the endpoint does not serve
    /// `family` or we know no specified address in it (a socket bound to `::` learns its IPv6 address from
    /// the first IPv6 response).
    public func ownAddress(in family: AddressFamilies) -> Address? {
        guard endpoint.families.contains(family) else { return nil }
        if let known = myPeer.address(of: family == .ipv4 ? .ipv4 : .ipv6), !known.isUnspecified { return known }
        let estimate = family == .ipv4 ? myEstimatedWAN : endpoint.localAddress
        return AddressFamilies.of(estimate) == family && !estimate.isUnspecified ? estimate : nil
    }

    /// The source WAN address of a new-style message to `destination`: our address in the destination's
    /// family, so that IPv6 peers are told our IPv6 address and IPv4 peers our IPv4 WAN estimate.
    ///
    /// **Differs from py-ipv8 on purpose.** py-ipv8 writes `my_preferred_address()` here, which is its IPv6
    /// address whenever it knows one, also towards IPv4 peers. A py-ipv8 3.2.1 node whose endpoint is not a
    /// `DispatcherEndpoint` then fails on that response (`AttributeError` in its interface switching) and
    /// drops it, and an IPv4-only node learns an address it cannot use. We never claim an address in the
    /// other family, so only peers that do (py-ipv8 dual-stack nodes) start the switch of §5.8.
    func sourceWANAddress(toward destination: Address) -> Address {
        if destination.isIPv4 { return myEstimatedWAN }
        if let mine = ownAddress(in: .ipv6) { return mine }
        let local = endpoint.localAddress
        return local.isIPv6 ? local : Address(host: .v6(0, 0), port: local.port)
    }

    /// Spec §5.8's dual-stack interface switching, done on every introduction response of a new-style
    /// `peer` before it is added: when the response's `sourceWAN` is in the other address family than the
    /// one we reach the peer at, and our endpoint serves that family, the address is discovered (walkable,
    /// new style; the walk there makes it the peer's preferred address when it is IPv6) and the peer gets a
    /// new-style puncture request naming our own address in that family, so that it opens its side
    /// towards us. Unspecified addresses and port 0 are ignored. Counted in
    /// ``CommunityCounters/interfaceSwitches``.
    func switchInterfaceIfAsked(by peer: Peer, sourceWAN: Address, identifier: UInt16) {
        let current = peer.address
        guard peer.newStyleIntro, AddressFamilies.of(sourceWAN) != .of(current), sourceWAN != current,
              endpoint.families.serves(sourceWAN), !sourceWAN.isUnspecified, sourceWAN.port != 0 else { return }
        counters.interfaceSwitches += 1
        network.discoverAddress(peer, sourceWAN, service: communityID, newStyle: true)
        guard let mine = ownAddress(in: .of(sourceWAN)) else { return }
        endpoint.send(createPunctureRequest(lanWalker: .zero, wanWalker: mine, identifier: identifier, newStyle: true),
                      to: current)
    }
}
