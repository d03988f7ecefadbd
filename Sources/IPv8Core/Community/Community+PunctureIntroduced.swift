extension Community {
    /// Sends a puncture with ``punctureTTL`` to each address in `introduced` that is not a verified peer
    /// and not on our own host, when ``puncturesIntroduced`` is set and ``punctureTTL`` is not `nil`
    /// (see ``puncturesIntroduced`` for why). At most one datagram per address a response names; public
    /// addresses first, as the far node's puncture races to those.
    func punctureIntroduced(_ introduced: [Address], newStyle: Bool) {
        guard puncturesIntroduced, let ttl = punctureTTL else { return }
        let publicFirst = introduced.filter { !$0.isPrivateIPv4 } + introduced.filter(\.isPrivateIPv4)
        for address in publicFirst where !address.isUnspecified && address.port != 0
            && address.host != myEstimatedLAN.host && network.verifiedPeer(byAddress: address) == nil {
            let puncture = createPuncture(lan: myEstimatedLAN, wan: myEstimatedWAN, identifier: 0, newStyle: newStyle)
            sendLowTTLPuncture(puncture, to: address, ttl: ttl)
            counters.puncturesIntroduced += 1
        }
    }

    /// Sends a low-TTL puncture ``lowTTLPunctureCopies`` times. A lost puncture is what lets the walker's first
    /// request reach a NAT with no mapping and poison it (measured: a NAT lab with 20 % loss at each NAT), and a
    /// copy costs one small datagram that dies at the next router.
    func sendLowTTLPuncture(_ puncture: [UInt8], to address: Address, ttl: UInt8) {
        for _ in 0..<Self.lowTTLPunctureCopies { endpoint.send(puncture, to: address, ttl: ttl) }
    }

    /// How many copies of a low-TTL puncture go out (2). py-ipv8 sends one puncture at the system's TTL.
    public static let lowTTLPunctureCopies = 2
}
