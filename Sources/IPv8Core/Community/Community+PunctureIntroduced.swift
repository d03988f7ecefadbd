extension Community {
    /// Sends a puncture with ``punctureTTL`` to each address in `introduced` that is not a verified peer
    /// and not on our own host, when ``puncturesIntroduced`` is set, ``punctureTTL`` is not `nil` and the
    /// responders see us behind a NAT (``isBehindNAT``; see ``puncturesIntroduced`` for why).
    /// ``lowTTLPunctureCopies`` datagrams per address a response names; public addresses first, as the far
    /// node's puncture races to those.
    ///
    /// A node with no NAT has no mapping to open, and its low-TTL puncture can still reach a NAT one router
    /// away, whose conntrack then keeps an unreplied entry on the very port pair the NATed node's own
    /// puncture needs (measured in the NAT lab: a public node punctured a NATed py-ipv8 node that way).
    func punctureIntroduced(_ introduced: [Address], newStyle: Bool) {
        guard puncturesIntroduced, let ttl = punctureTTL, isBehindNAT else { return }
        let publicFirst = introduced.filter { !$0.isPrivateIPv4 } + introduced.filter(\.isPrivateIPv4)
        var puncture: [UInt8]?
        for address in publicFirst where !address.isUnspecified && address.port != 0
            && address.host != myEstimatedLAN.host && network.verifiedPeer(byAddress: address) == nil {
            let bytes = puncture ?? createPuncture(lan: myEstimatedLAN, wan: myEstimatedWAN, identifier: 0, newStyle: newStyle)
            puncture = bytes   // one signed puncture for every address of this response
            sendLowTTLPuncture(bytes, to: address, ttl: ttl)
            counters.puncturesIntroduced += 1
        }
    }

    /// Sends a low-TTL puncture, ``lowTTLPunctureCopies`` times when we are behind a NAT, else once. A lost
    /// puncture is what lets the walker's first request reach a NAT with no mapping and poison it (measured: a
    /// NAT lab with 20 % loss at each NAT), and a copy costs one small datagram that dies at the next router;
    /// without a NAT of our own there is no mapping to open, and a copy would only reach the walker twice.
    func sendLowTTLPuncture(_ puncture: [UInt8], to address: Address, ttl: UInt8) {
        for _ in 0..<(isBehindNAT ? Self.lowTTLPunctureCopies : 1) { endpoint.send(puncture, to: address, ttl: ttl) }
    }

    /// How many copies of a low-TTL puncture a node behind a NAT sends (2). py-ipv8 sends one puncture at the
    /// system's TTL.
    public static let lowTTLPunctureCopies = 2

    /// True when the responders see us behind a NAT (``connectionEstimate`` is `NAT` or `symmetric-NAT`).
    var isBehindNAT: Bool {
        switch connectionEstimate {
        case .nat, .symmetricNAT: return true
        case .public, .unknown: return false
        }
    }
}
