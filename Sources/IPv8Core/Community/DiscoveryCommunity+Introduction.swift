extension DiscoveryCommunity {
    /// The 246 override (spec §5.11): accepts the legacy Dispersy `"Y" ‖ mid ‖ 246 fields` form as well as
    /// the ordinary one, verifies the sender, records it as a peer of this community and answers old style.
    func handleDiscoveryIntroductionRequest(_ packet: UnsafeRawBufferPointer, from source: Address) throws {
        let view = try SignedPacketView(packet)
        try admit(view, from: source)
        let request: IntroductionRequestPayload
        if view.signatureOffset > view.bodyOffset + 8, packet[view.bodyOffset + 8] == 0x59,
           let legacy = try? view.decodeCore(DiscoveryIntroductionRequestPayload.self).payload {
            request = legacy.request
        } else {
            request = try view.decodeCore(IntroductionRequestPayload.self).payload
        }
        try verify(view)
        let peer = try sender(of: view, at: source)
        let alreadyPeer = network.isVerified(peer) && network.advertises(peer, communityID)
        if !isAtPeerLimit || alreadyPeer {
            network.addVerifiedPeer(peer)
            network.discoverServices(peer, [communityID])
        }
        answerIntroductionRequest(lanSocket: request.destinationAddress, socket: source,
                                  identifier: request.identifier, newStyle: false)
    }
}
