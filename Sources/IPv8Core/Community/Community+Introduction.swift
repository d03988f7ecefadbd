extension Community {
    // MARK: Creating (spec §5.5, §5.7)

    /// An introduction request to `address`, signed, claiming a global time (truncated to 16 bits, which is
    /// also the identifier). New style (234) when `newStyle` or for IPv6, else old style (246). A new-style
    /// request names our address in `address`'s family as its source WAN address
    /// (`sourceWANAddress(toward:)`).
    public func createIntroductionRequest(to address: Address, newStyle: Bool = false,
                                          extraBytes: [UInt8] = []) -> [UInt8] {
        let id = UInt16(truncatingIfNeeded: claimGlobalTime())
        reflectionGuard.contacted(address, now: clock.now)
        if newStyle || address.isIPv6 {
            let payload = NewIntroductionRequestPayload(destinationAddress: address, sourceLANAddress: myEstimatedLAN,
                                                        sourceWANAddress: sourceWANAddress(toward: address), identifier: id,
                                                        extraBytes: extraBytes)
            return PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: UInt64(id), key: key)
        }
        let payload = IntroductionRequestPayload(destinationAddress: address, sourceLANAddress: myEstimatedLAN,
                                                 sourceWANAddress: myEstimatedWAN, identifier: id,
                                                 extraBytes: extraBytes, supportsNewStyle: false)
        return PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: UInt64(id), key: key)
    }

    /// Sends an introduction request to `peer`'s address, in the style the peer showed it supports.
    public func sendIntroductionRequest(to peer: Peer) {
        let address = peer.address
        endpoint.send(createIntroductionRequest(to: address, newStyle: peer.newStyleIntro), to: address)
    }

    /// Answers an introduction request from `socket` that reached us at `lanSocket`: a puncture request to
    /// the peer we introduce (if any, spec §5.7), then the signed introduction response to `socket`.
    ///
    /// **Differs from py-ipv8 on purpose** when the requester is on our LAN (a private `socket`) and we know
    /// our public address: py-ipv8 names `socket`, a LAN address, as the walker to puncture, which a peer
    /// behind another NAT cannot reach (it punctures nothing useful, and the requester's walk to it then
    /// poisons its NAT). We name the requester's public address as py-ipv8 introduces a LAN peer, our WAN
    /// host with the requester's port, and `socket` as the LAN walker, which a peer on our LAN punctures.
    public func answerIntroductionRequest(lanSocket: Address, socket: Address, identifier: UInt16, newStyle: Bool) {
        let response = createIntroductionResponse(lanSocket: lanSocket, socket: socket, identifier: identifier,
                                                  newStyle: newStyle)
        if let introduced = response.introduced {
            let lanRequester = socket.isPrivateIPv4 && myEstimatedWAN.isIPv4 && !myEstimatedWAN.isPrivateIPv4
            let request = lanRequester
                ? createPunctureRequest(lanWalker: socket, wanWalker: Address(host: myEstimatedWAN.host, port: socket.port),
                                        identifier: identifier, newStyle: newStyle)
                : createPunctureRequest(lanWalker: lanSocket, wanWalker: socket, identifier: identifier,
                                        newStyle: newStyle)
            endpoint.send(request, to: introduced.address)
        }
        endpoint.send(response.packet, to: socket)
    }

    /// An introduction response to a requester at `socket` that reached us at `lanSocket`, signed.
    ///
    /// Introduces `introduction`, or ``peerForIntroduction(excluding:newStyle:)``'s choice other than the
    /// requester (the result's `introduced`, who should get a puncture request first: ``answerIntroductionRequest(lanSocket:socket:identifier:newStyle:)``
    /// does both, spec §5.7). Sends nothing. Old-style responses set `supports_new_style`
    /// and `peer_limit_reached` (when ``peerCount`` ≥ ``maxPeers`` ≥ 0).
    public func createIntroductionResponse(lanSocket: Address, socket: Address, identifier: UInt16,
                                           introduction: Peer? = nil, newStyle: Bool = false,
                                           extraBytes: [UInt8] = []) -> (packet: [UInt8], introduced: Peer?) {
        let gt = UInt64(UInt16(truncatingIfNeeded: claimGlobalTime()))
        var introLAN = Address.zero, introWAN = Address.zero
        let requester = network.verifiedPeer(byAddress: socket)
        let introduced = introduction ?? peerForIntroduction(excluding: requester, newStyle: newStyle)
        if let introduced {
            let address = introduced.address
            if address.isIPv4 && address.host == myEstimatedLAN.host {
                // On our LAN (for loopback: this machine): the address itself is the LAN address.
                introLAN = address
                introWAN = Address(host: myEstimatedWAN.host, port: address.port)
            } else {
                introLAN = introduced.address(of: .ipv4LAN) ?? .zero
                introWAN = address
            }
        }
        let introNewStyle = introduced?.newStyleIntro ?? false
        let packet: [UInt8]
        if newStyle {
            let payload = NewIntroductionResponsePayload(
                destinationAddress: socket, sourceLANAddress: myEstimatedLAN, sourceWANAddress: sourceWANAddress(toward: socket),
                lanIntroductionAddress: introLAN, wanIntroductionAddress: introWAN, identifier: identifier,
                introSupportsNewStyle: introNewStyle, extraBytes: extraBytes)
            packet = PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key)
        } else {
            let payload = IntroductionResponsePayload(
                destinationAddress: socket, sourceLANAddress: myEstimatedLAN, sourceWANAddress: myEstimatedWAN,
                lanIntroductionAddress: introLAN, wanIntroductionAddress: introWAN, identifier: identifier,
                extraBytes: extraBytes, supportsNewStyle: true, introSupportsNewStyle: introNewStyle,
                peerLimitReached: isAtPeerLimit)
            packet = PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key)
        }
        return (packet, introduced)
    }

    /// An unsigned puncture request (232 when `newStyle` or an address is IPv6, else 250), claiming a full
    /// global time.
    public func createPunctureRequest(lanWalker: Address, wanWalker: Address, identifier: UInt16,
                                      newStyle: Bool = false) -> [UInt8] {
        let gt = claimGlobalTime()
        if newStyle || !lanWalker.isIPv4 || !wanWalker.isIPv4 {
            let payload = NewPunctureRequestPayload(lanWalkerAddress: lanWalker, wanWalkerAddress: wanWalker,
                                                    identifier: identifier)
            return PacketEncoder.coreUnsigned(payload, prefix: prefix, globalTime: gt)
        }
        let payload = PunctureRequestPayload(lanWalkerAddress: lanWalker, wanWalkerAddress: wanWalker, identifier: identifier)
        return PacketEncoder.coreUnsigned(payload, prefix: prefix, globalTime: gt)
    }

    /// A signed puncture (231 when `newStyle`, else 249), claiming a full global time.
    public func createPuncture(lan: Address, wan: Address, identifier: UInt16, newStyle: Bool = false) -> [UInt8] {
        let gt = claimGlobalTime()
        if newStyle {
            let payload = NewPuncturePayload(sourceLANAddress: lan, sourceWANAddress: wan, identifier: identifier)
            return PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key)
        }
        let payload = PuncturePayload(sourceLANAddress: lan, sourceWANAddress: wan, identifier: identifier)
        return PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key)
    }

    /// True when ``peerCount`` ≥ ``maxPeers`` ≥ 0.
    public var isAtPeerLimit: Bool { maxPeers >= 0 && peerCount >= maxPeers }

    /// Whom to introduce to a requester: a random one of the last few nodes that asked us for an
    /// introduction (`RecentRequesters`: verified senders, taken as peers or not), else a uniformly random
    /// peer; never `excluded`. Without `newStyle`, only those whose preferred address is IPv4 qualify.
    ///
    /// **Differs from py-ipv8 on purpose**, which introduces a uniformly random peer: a node that asked lately
    /// still wants peers, so introducing it gives the next requester a walk that both sides gain a peer from
    /// (see `RecentRequesters`). The wire format is unchanged. The trade-off: a node that keeps asking
    /// (with fresh keys) gets introduced more often than one random peer among thirty would be.
    public func peerForIntroduction(excluding excluded: Peer? = nil, newStyle: Bool = false) -> Peer? {
        func qualifies(_ peer: Peer) -> Bool {
            if let excluded, peer == excluded { return false }
            return newStyle || (peer.address(of: .ipv6) == nil && peer.address(of: .ipv4) != nil)
        }
        if let recent = random.element(of: recentRequesters.peers.filter(qualifies)) { return recent }
        return random.element(of: peers.filter(qualifies))
    }
}
