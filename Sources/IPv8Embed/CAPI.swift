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

/// C `ipv8_version`, any thread: the version of the library actually loaded (`IPV8_VERSION_STRING` when it
/// built), a static string.
@_cdecl("ipv8_version")
public func ipv8_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(libraryVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// C `ipv8_last_error`, any thread: the message of the last failing call on the calling thread (`""` if none).
/// Owned by the library, valid until the next failing call on this thread; never NULL.
@_cdecl("ipv8_last_error")
public func ipv8_last_error() -> UnsafePointer<CChar> {
    if let message = pthread_getspecific(lastErrorKey) {
        return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
    }
    setLastError("")
    return UnsafePointer(pthread_getspecific(lastErrorKey)!.assumingMemoryBound(to: CChar.self))
}

/// C `ipv8_node_create`, any thread: builds a node from py-ipv8 configuration JSON and binds its socket.
/// On success `*out_node` is a new handle and the result is `IPV8_OK`; on failure it is set to NULL and the
/// result is a negative `IPV8_ERR_*` code (`IPV8_ERR_CONFIG` for bad JSON), with the message in `ipv8_last_error`.
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

/// C `ipv8_node_port`, any thread: stores the UDP port the node is bound to in `*out_port` (useful with
/// `"port": 0`). Returns `IPV8_OK`, or a negative `IPV8_ERR_*` code (`IPV8_ERR_NULL`, `IPV8_ERR_HANDLE`, …).
@_cdecl("ipv8_node_port")
public func ipv8_node_port(_ handle: OpaquePointer?, _ out: UnsafeMutablePointer<UInt16>?) -> Int32 {
    embedCall {
        let n = try node(handle)
        guard let out else { throw EmbedError(EmbedCode.null, "out_port is NULL") }
        out.pointee = try n.onLoop { [n] in n.service.endpoint.localAddress.port }
        return EmbedCode.ok
    }
}

/// C `ipv8_node_start_thread`, any thread but not from a callback: starts the strategy ticks and runs the node
/// on a new thread until `ipv8_node_stop` or `ipv8_node_destroy`. Returns `IPV8_OK`, or `IPV8_ERR_STATE` if the
/// node already runs (or was driven), or another negative `IPV8_ERR_*` code.
@_cdecl("ipv8_node_start_thread")
public func ipv8_node_start_thread(_ handle: OpaquePointer?) -> Int32 {
    embedCall {
        try node(handle).startThread()
        return EmbedCode.ok
    }
}

/// C `ipv8_run_once`, driven mode (the caller becomes the loop thread; not from a callback): runs one loop
/// iteration, waiting at most `timeout_ms` (0: do not wait, -1: until something happens); the first call starts
/// the strategy ticks. Returns 1 while the node is alive, 0 once it is stopped, a negative `IPV8_ERR_*` code on error.
@_cdecl("ipv8_run_once")
public func ipv8_run_once(_ handle: OpaquePointer?, _ timeoutMilliseconds: Int32) -> Int32 {
    embedCall { try node(handle).runOnce(timeoutMilliseconds: timeoutMilliseconds) }
}

/// C `ipv8_backend_fd`, loop thread, driven mode: the fd to poll for POLLIN (the epoll fd), >= 0; a negative
/// `IPV8_ERR_*` code on error.
@_cdecl("ipv8_backend_fd")
public func ipv8_backend_fd(_ handle: OpaquePointer?) -> Int32 {
    embedCall { try node(handle).backend { $0.backendFD } }
}

/// C `ipv8_backend_timeout`, loop thread, driven mode: how long poll may wait, in ms (-1: no timer pending,
/// 0: run now); a negative `IPV8_ERR_*` code (all below -1) on error.
@_cdecl("ipv8_backend_timeout")
public func ipv8_backend_timeout(_ handle: OpaquePointer?) -> Int32 {
    embedCall { try node(handle).backend { $0.backendTimeoutMilliseconds } }
}

/// C `ipv8_community_add`, any thread: adds a community with the 20-byte id `community_id` (prefix version 2)
/// using the node's identity; it answers introduction requests and keeps a peer list like any py-ipv8 community.
/// `*out_community` is owned by the node. Returns `IPV8_OK`, or a negative `IPV8_ERR_*` code
/// (`IPV8_ERR_ARGUMENT` for a duplicate community).
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

/// C `ipv8_community_on_message`, any thread: calls `cb(ctx, ...)` on the loop thread for every datagram of
/// this community with message id `message_id`; `ctx` is the host's and never freed. Returns `IPV8_OK`, or
/// `IPV8_ERR_ARGUMENT` when the id is taken (core ids 231-255, or a handler already set), or another negative
/// `IPV8_ERR_*` code.
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

/// C `ipv8_community_add_strategy`, any thread: adds a discovery strategy whose `step(ctx, community)` runs on
/// the loop thread once per walk interval while the community has fewer than `target_peers` peers (-1: always,
/// 0: never). Returns `IPV8_OK`, or `IPV8_ERR_ARGUMENT` for a target below -1, or another negative `IPV8_ERR_*` code.
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

/// C `ipv8_send`, any thread: sends one datagram to ip:port, this community's 22-byte prefix followed by
/// `bytes` (so `bytes[0]` is the message id), which are copied and may be NULL when `len` is 0. Returns
/// `IPV8_OK`, or a negative `IPV8_ERR_*` code (`IPV8_ERR_ARGUMENT` for a bad address).
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

/// C `ipv8_community_send_signed`, any thread: sends a signed ez-style message (py-ipv8 `ez_send`: prefix, id,
/// u16 key length, public key, payload, signature) carrying `payload` verbatim, signed with the community's
/// key. Returns `IPV8_OK`, or a negative `IPV8_ERR_*` code (`IPV8_ERR_ARGUMENT` for a bad address).
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

/// C `ipv8_walk_to`, any thread: sends an introduction request to ip:port (py-ipv8 `walk_to`). Returns
/// `IPV8_OK`, or a negative `IPV8_ERR_*` code (`IPV8_ERR_ARGUMENT` for a bad address).
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

/// C `ipv8_community_peers`, any thread: copies up to `max` peers of the community into `out` as `ipv8_peer_t`
/// (`out` may be NULL when `max` is 0). Returns the total number of peers, which may exceed `max`, or a
/// negative `IPV8_ERR_*` code.
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

/// C `ipv8_node_stop`, from any thread but the loop thread, or from the driving thread outside callbacks: stops
/// the node (strategies, communities, socket and loop; joins the node's thread). Idempotent; other calls on
/// a stopped node return `IPV8_ERR_STATE`. Returns `IPV8_OK`, or a negative `IPV8_ERR_*` code
/// (`IPV8_ERR_THREAD` from inside a callback).
@_cdecl("ipv8_node_stop")
public func ipv8_node_stop(_ handle: OpaquePointer?) -> Int32 {
    embedCall {
        try node(handle).stop()
        return EmbedCode.ok
    }
}

/// C `ipv8_node_destroy`, same rules as `ipv8_node_stop`: stops the node if needed and frees it and all its
/// community handles. Returns `IPV8_OK`, or a negative `IPV8_ERR_*` code (`IPV8_ERR_NULL` for NULL, which does
/// nothing).
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
