extension Network {
    /// The preferred address of every verified peer, in verification order, in py-ipv8's `address`
    /// encoding (7 bytes per IPv4 peer, 19 per IPv6 peer). Peers whose address is `0.0.0.0:0` are skipped.
    public func snapshot() -> [UInt8] {
        var packer = Packer(capacity: 7 * verified.count)
        for (_, peer) in verified where peer.address != .zero {
            packer.ipAddress(peer.address)
        }
        return packer.bytes
    }

    /// Adds the addresses of a ``snapshot()`` as known addresses with no introducer (so they are walkable
    /// only when walking without a service; spec §14 item 18). Decoding stops at the first error; the
    /// entries decoded before it are kept. Well-formed domain-name entries are skipped. An address that is
    /// already known has its entry reset (no introducer), like py-ipv8.
    public func loadSnapshot(_ bytes: [UInt8]) {
        var decoded: [Address] = []
        bytes.withUnsafeBytes { raw in
            var unpacker = Unpacker(raw)
            while !unpacker.isAtEnd {
                do {
                    if let address = try unpacker.addressOrDomain() { decoded.append(address) }
                } catch {
                    return
                }
            }
        }
        for address in decoded { setEntry(address, Entry(introducer: nil, service: nil, newStyle: false)) }
    }
}
