import IPv8

#if canImport(Glibc)
import Glibc
#endif

// The C entry points declared in include/ipv8.h. Each validates its arguments, runs through `embedCall`
// (errors become a negative code plus the thread's last error) and never traps on bad input.

private func node(_ pointer: OpaquePointer?) throws -> EmbedNode {
    try lookupHandle(pointer, .node, as: EmbedNode.self, name: "node")
}

private func community(_ pointer: OpaquePointer?) throws -> EmbedCommunity {
    try lookupHandle(pointer, .community, as: EmbedCommunity.self, name: "community")
}

/// The library version; keep it equal to `IPV8_VERSION_STRING` in ipv8.h (a test compares them).
private let libraryVersion: StaticString = "0.1.0"

@_cdecl("ipv8_version")
public func ipv8_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(libraryVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("ipv8_last_error")
public func ipv8_last_error() -> UnsafePointer<CChar> {
    if let message = pthread_getspecific(lastErrorKey) {
        return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
    }
    setLastError("")
    return UnsafePointer(pthread_getspecific(lastErrorKey)!.assumingMemoryBound(to: CChar.self))
}

@_cdecl("ipv8_node_create")
public func ipv8_node_create(_ json: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    embedCall {
        guard let out else { throw EmbedError(EmbedCode.null, "out_node is NULL") }
        out.pointee = nil
        let text = try requireString(json, "json")
        let created = try EmbedNode(json: text)
        out.pointee = registerHandle(created, .node)
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_node_port")
public func ipv8_node_port(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UInt16>?) -> Int32 {
    embedCall {
        let n = try node(handle)
        guard let out else { throw EmbedError(EmbedCode.null, "out_port is NULL") }
        out.pointee = try n.onLoop { [n] in n.service.endpoint.localAddress.port }
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_node_start_thread")
public func ipv8_node_start_thread(_ handle: OpaquePointer?) -> Int32 {
    embedCall {
        try node(handle).startThread()
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_run_once")
public func ipv8_run_once(_ handle: OpaquePointer?, _ timeoutMilliseconds: Int32) -> Int32 {
    embedCall { try node(handle).runOnce(timeoutMilliseconds: timeoutMilliseconds) }
}

@_cdecl("ipv8_backend_fd")
public func ipv8_backend_fd(_ handle: OpaquePointer?) -> Int32 {
    embedCall { try node(handle).backend { $0.backendFD } }
}

@_cdecl("ipv8_backend_timeout")
public func ipv8_backend_timeout(_ handle: OpaquePointer?) -> Int32 {
    embedCall { try node(handle).backend { $0.backendTimeoutMilliseconds } }
}

@_cdecl("ipv8_community_add")
public func ipv8_community_add(_ handle: OpaquePointer?, _ id: UnsafePointer<UInt8>?,
                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    embedCall {
        let n = try node(handle)
        guard let id else { throw EmbedError(EmbedCode.null, "community_id is NULL") }
        guard let out else { throw EmbedError(EmbedCode.null, "out_community is NULL") }
        out.pointee = nil
        let communityID = CommunityID(bytes: UnsafeBufferPointer(start: id, count: CommunityID.length))!
        let pointer = try n.onLoop { [n] () throws -> OpaquePointer in
            let overlay: Community
            do {
                overlay = try Community(communityID: communityID, context: n.service.context(key: n.key))
            } catch {
                throw EmbedError(EmbedCode.argument, "cannot add community \(communityID): \(error)")
            }
            n.service.addOverlay(overlay)
            let wrapper = EmbedCommunity(node: n, community: overlay)
            n.communities.append(wrapper)
            return registerHandle(wrapper, .community)
        }
        out.pointee = pointer
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_community_on_message")
public func ipv8_community_on_message(_ handle: OpaquePointer?, _ messageID: UInt8, _ callback: CMessageCallback?,
                                      _ context: UnsafeMutableRawPointer?) -> Int32 {
    embedCall {
        let c = try community(handle)
        guard let callback else { throw EmbedError(EmbedCode.null, "cb is NULL") }
        let work = HandlerInstall(community: c, id: messageID, callback: callback, context: context)
        try c.node.onLoop { try work.install() }
        return EmbedCode.ok
    }
}

/// What `ipv8_community_on_message` hands to the loop thread.
private struct HandlerInstall: @unchecked Sendable {
    // @unchecked Sendable: `context` is the host's pointer, only passed back to the host's callback.
    let community: EmbedCommunity
    let id: UInt8
    let callback: CMessageCallback
    let context: UnsafeMutableRawPointer?

    func install() throws {
        let (callback, context, depth) = (self.callback, self.context, community.node.depth)
        do {
            try community.community.addRawHandler(for: id) { packet, source in
                source.ip.withCString { ip in
                    depth.run {
                        callback(context, packet.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt(packet.count),
                                 ip, source.port)
                    }
                }
            }
        } catch {
            throw EmbedError(EmbedCode.argument, "message id \(id): \(error)")
        }
    }
}

@_cdecl("ipv8_community_add_strategy")
public func ipv8_community_add_strategy(_ handle: OpaquePointer?, _ step: CStepCallback?,
                                        _ context: UnsafeMutableRawPointer?, _ targetPeers: Int32) -> Int32 {
    embedCall {
        let c = try community(handle)
        guard let step else { throw EmbedError(EmbedCode.null, "step is NULL") }
        guard targetPeers >= -1 else { throw EmbedError(EmbedCode.argument, "target_peers must be -1 or more") }
        let work = StrategyInstall(community: c, handle: handle!, step: step, context: context, target: Int(targetPeers))
        try c.node.onLoop { work.install() }
        return EmbedCode.ok
    }
}

/// What `ipv8_community_add_strategy` hands to the loop thread.
private struct StrategyInstall: @unchecked Sendable {
    // @unchecked Sendable: the pointers are the host's, only passed back to the host's callback.
    let community: EmbedCommunity
    let handle: OpaquePointer
    let step: CStepCallback
    let context: UnsafeMutableRawPointer?
    let target: Int

    func install() {
        let strategy = CStrategy(overlay: community.community, step: step, context: context, handle: handle,
                                 depth: community.node.depth)
        community.node.service.addStrategy(strategy, targetPeers: target)
    }
}

@_cdecl("ipv8_send")
public func ipv8_send(_ handle: OpaquePointer?, _ ip: UnsafePointer<CChar>?, _ port: UInt16,
                      _ bytes: UnsafePointer<UInt8>?, _ length: UInt) -> Int32 {
    embedCall {
        let c = try community(handle)
        let address = try requireAddress(ip, port)
        let body = try requireBytes(bytes, length, "bytes")
        try c.node.onLoop { [c] in
            c.community.endpoint.send(c.community.prefix.bytes + body, to: address)
        }
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_community_send_signed")
public func ipv8_community_send_signed(_ handle: OpaquePointer?, _ ip: UnsafePointer<CChar>?, _ port: UInt16,
                                       _ messageID: UInt8, _ payload: UnsafePointer<UInt8>?, _ length: UInt) -> Int32 {
    embedCall {
        let c = try community(handle)
        let address = try requireAddress(ip, port)
        let body = try requireBytes(payload, length, "payload")
        try c.node.onLoop { [c] in
            let packet = PacketEncoder.ezSigned(RawPayload(bytes: body), prefix: c.community.prefix,
                                                key: c.community.key, messageID: messageID)
            c.community.endpoint.send(packet, to: address)
        }
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_walk_to")
public func ipv8_walk_to(_ handle: OpaquePointer?, _ ip: UnsafePointer<CChar>?, _ port: UInt16) -> Int32 {
    embedCall {
        let c = try community(handle)
        let address = try requireAddress(ip, port)
        try c.node.onLoop { [c] in c.community.walkTo(address) }
        return EmbedCode.ok
    }
}

/// The layout of `ipv8_peer_t` (checked by static asserts in the header).
private enum PeerLayout {
    static let size = 68
    static let ipOffset = 20
    static let ipCapacity = 46
    static let portOffset = 66
}

@_cdecl("ipv8_community_peers")
public func ipv8_community_peers(_ handle: OpaquePointer?, _ out: UnsafeMutableRawPointer?, _ max: UInt) -> Int32 {
    embedCall {
        let c = try community(handle)
        if max > 0 && out == nil { throw EmbedError(EmbedCode.null, "out is NULL but max is \(max)") }
        let peers = try c.node.onLoop { [c] in c.community.peers.map { ($0.mid, $0.address) } }
        for (i, (mid, address)) in peers.prefix(Int(clamping: max)).enumerated() {
            let entry = out! + i * PeerLayout.size
            entry.initializeMemory(as: UInt8.self, repeating: 0, count: PeerLayout.size)
            mid.prefix(20).withUnsafeBytes { entry.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            let ip = Array(address.ip.utf8.prefix(PeerLayout.ipCapacity - 1))
            ip.withUnsafeBytes { if $0.count > 0 { (entry + PeerLayout.ipOffset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
            (entry + PeerLayout.portOffset).storeBytes(of: address.port, as: UInt16.self)
        }
        return Int32(clamping: peers.count)
    }
}

@_cdecl("ipv8_node_stop")
public func ipv8_node_stop(_ handle: OpaquePointer?) -> Int32 {
    embedCall {
        try node(handle).stop()
        return EmbedCode.ok
    }
}

@_cdecl("ipv8_node_destroy")
public func ipv8_node_destroy(_ handle: OpaquePointer?) -> Int32 {
    embedCall {
        let n = try node(handle)
        try n.stop()
        for wrapper in n.communities {
            releaseHandle(OpaquePointer(Unmanaged.passUnretained(wrapper).toOpaque()), as: EmbedCommunity.self)
        }
        n.communities.removeAll()
        releaseHandle(handle!, as: EmbedNode.self)
        return EmbedCode.ok
    }
}
