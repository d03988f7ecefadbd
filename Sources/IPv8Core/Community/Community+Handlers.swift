/// How a message's body is laid out after the prefix and message id: with or without the u64 global time.
/// Signed messages carry `auth` before and the signature after it; unsigned ones neither.
public enum MessageStyle: Sendable {
    /// `[auth ‖] u64 global time ‖ payload [‖ signature]` (py-ipv8's core messages and `_ez_senddist`).
    case core
    /// `[auth ‖] payload [‖ signature]` (py-ipv8's `ez_send`).
    case ez
}

extension Community {
    /// Registers `handler` for signed messages carrying `P` (slot `P.messageID`).
    ///
    /// The payload is decoded (it must consume every byte before the signature), then the signature is
    /// verified once; only then is `handler` called, with the sender (the network's canonical peer with its
    /// address updated, or a fresh unregistered `Peer`) and the payload. The packet buffer is not
    /// retained. Capture `self` unowned in the closure to avoid a reference cycle.
    /// - Throws: ``CommunityError/handlerAlreadyRegistered(messageID:)`` when the slot is taken (core ids
    ///   231–234, 245, 246, 249, 250 and the deprecated ids are taken from the start).
    public func addHandler<P: Payload>(for type: P.Type, style: MessageStyle = .core,
                                       _ handler: @escaping (Peer, P) throws -> Void) throws {
        try install(P.messageID) { [unowned self] packet, source in
            let (peer, payload) = try signedPayload(P.self, style: style, packet, from: source)
            do { try handler(peer, payload) } catch { throw HandlerFailure(underlying: error) }
        }
    }

    /// A signed datagram's sender and payload: admitted by the gate, decoded (every byte before the signature),
    /// then verified once.
    @inline(__always)
    func signedPayload<P: Payload>(_ type: P.Type, style: MessageStyle, _ packet: UnsafeRawBufferPointer,
                                   from source: Address) throws -> (Peer, P) {
        let view = try SignedPacketView(packet)
        try admit(view, from: source)
        let payload: P
        switch style {
        case .core: payload = try view.decodeCore(P.self).payload
        case .ez: payload = try view.decodeEz(P.self)
        }
        try verify(view)
        return (try sender(of: view, at: source), payload)
    }

    /// Registers `handler` for unsigned messages carrying `P` (slot `P.messageID`); `style` says whether a
    /// u64 global time precedes the payload (`.core`) or not (`.ez`). The payload must consume every byte.
    /// - Throws: ``CommunityError/handlerAlreadyRegistered(messageID:)`` when the slot is taken.
    public func addUnsignedHandler<P: Payload>(for type: P.Type, style: MessageStyle = .core,
                                               _ handler: @escaping (Address, P) throws -> Void) throws {
        try install(P.messageID) { packet, source in
            let payload = try Self.unsignedPayload(P.self, style: style, packet)
            do { try handler(source, payload) } catch { throw HandlerFailure(underlying: error) }
        }
    }

    /// An unsigned datagram's payload (it must consume every byte).
    @inline(__always)
    static func unsignedPayload<P: Payload>(_ type: P.Type, style: MessageStyle, _ packet: UnsafeRawBufferPointer) throws -> P {
        let view = try UnsignedPacketView(packet)
        switch style {
        case .core: return try view.decodeCore(P.self).payload
        case .ez: return try view.decodeEz(P.self)
        }
    }

    /// Registers a raw handler for message `id`: it gets the whole datagram (valid only for the call) and
    /// the source. Throwing drops the datagram and counts it as malformed.
    /// - Throws: ``CommunityError/handlerAlreadyRegistered(messageID:)`` when the slot is taken.
    public func addRawHandler(for id: UInt8, _ handler: @escaping (UnsafeRawBufferPointer, Address) throws -> Void) throws {
        try install(id, handler)
    }

    private func install(_ id: UInt8, _ handler: @escaping Handler) throws {
        guard case .none = handlers[Int(id)] else { throw CommunityError.handlerAlreadyRegistered(messageID: id) }
        handlers.set(Int(id), handler)
    }

    // MARK: Sending

    /// Sends a signed core-style message (`auth ‖ global time ‖ payload ‖ signature`) to `address`,
    /// claiming a new global time.
    public func sendSigned<P: Payload>(_ payload: P, to address: Address) {
        let gt = claimGlobalTime()
        endpoint.send(PacketEncoder.coreSigned(payload, prefix: prefix, globalTime: gt, key: key), to: address)
    }

    /// Sends `payload` to `peer` signed, without a global time (py-ipv8's `ez_send`): receivers register
    /// the handler with `addHandler(for: P.self, style: .ez)` (py-ipv8's `lazy_wrapper`).
    public func ezSend<P: Payload>(_ peer: Peer, _ payload: P) {
        ezSend(payload, to: peer.address)
    }

    /// Sends `payload` to `address` signed, without a global time (py-ipv8's `ez_send`).
    public func ezSend<P: Payload>(_ payload: P, to address: Address) {
        endpoint.send(PacketEncoder.ezSigned(payload, prefix: prefix, key: key), to: address)
    }

    /// Sends an unsigned core-style message (`global time ‖ payload`) to `address`, claiming a new global time.
    public func sendUnsigned<P: Payload>(_ payload: P, to address: Address) {
        let gt = claimGlobalTime()
        endpoint.send(PacketEncoder.coreUnsigned(payload, prefix: prefix, globalTime: gt), to: address)
    }
}
