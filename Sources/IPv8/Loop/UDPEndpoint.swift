import IPv8Core
import CLibUV
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The one UDP socket every community of a node shares (a `uv_udp_t`).
///
/// - Receives with `recvmmsg` (20 datagrams per call) into the loop's shared slab and hands each datagram to
///   its ``router``, which picks the listener by the 22-byte prefix and hands it a borrowed view.
///   Datagrams shorter than 23 bytes and datagrams nobody listens for are counted and dropped.
/// - Sends with `uv_udp_try_send`; when the kernel queue is full it copies the datagram and queues it with
///   `uv_udp_send`. What a listener sends on this socket while it is handed a `recvmmsg` batch (its replies)
///   is copied into the loop's slab and leaves with one `sendmmsg` when the batch ends, in order.
///   Send errors are counted and logged at debug level, never thrown.
///
/// An endpoint is confined to its loop's thread (asserted in debug builds).
public final class UDPEndpoint: LoopResource, @unchecked Sendable {
    // @unchecked Sendable: every member is used on the loop thread only (asserted); the type is Sendable so
    // that it can be handed to `loop.execute {}` from another thread.

    /// The loop the socket lives on.
    public let loop: EventLoop
    private var handle: UnsafeMutablePointer<uv_udp_t>?
    private let logger: Logger
    let isIPv6Socket: Bool
    /// The receive path's counters, kept behind a pointer so that the per-packet code pays no dynamic
    /// exclusivity checks.
    let hot: UnsafeMutablePointer<EndpointCounters> = .allocate(capacity: 1)
    /// True while libuv hands this socket the datagrams of one `recvmmsg` batch: sends are batched.
    var inReceiveBatch = false

    /// Routes every received datagram to the community of its prefix (and to catch-all listeners).
    public let router = PrefixRouter()

    /// Per-prefix, per-message-id figures of what is sent and received, for the prefixes enabled in it
    /// (none by default; py-ipv8's `StatisticsEndpoint`).
    public let statistics = MessageStatistics()

    /// When set, every send to an address outside 127.0.0.0/8 and `::1` is refused before it reaches the
    /// socket and counted in ``EndpointCounters/sendsRefusedOffLoopback``: a guarantee for tests, fuzzers and
    /// demos that whatever the protocol or a request names, nothing leaves the machine. Off by default.
    public var sendsOnlyToLoopback = false

    /// Test hook: queue every send (as if the kernel had said EAGAIN). Loopback never pushes back, so
    /// tests use this to exercise the queued path and its cancellation on close.
    var alwaysQueueSends = false

    /// Test hook: a batch flush sends at most this many datagrams with `sendmmsg` and queues the rest (as if
    /// the kernel had said EAGAIN after them).
    var batchFlushRefusesAfter: Int?

    /// Counters since the socket was opened. Read on the loop thread.
    public var counters: EndpointCounters {
        var counters = hot.pointee
        let routing = router.counters
        counters.droppedTooShort = routing.droppedTooShort
        counters.droppedUnknownPrefix = routing.droppedUnknownPrefix
        return counters
    }

    /// The address the socket is bound to (with the real port when 0 was asked for).
    public let localAddress: Address

    /// What the socket sends to and receives from: IPv4, IPv6, or both for a dual-stack socket.
    public let families: AddressFamilies

    /// This machine's addresses (`InterfaceHosts`), read once at bind when the socket is bound to an
    /// unspecified address; empty otherwise.
    public let interfaceHosts: [Address.Host]

    /// Opens a UDP socket on `loop` and binds it to `address`.
    ///
    /// Binding `::` gives one dual-stack socket (`IPV6_V6ONLY` off, whatever the system default) that also
    /// sends to and receives from IPv4 addresses; IPv4 peers appear as plain IPv4 addresses, never as
    /// IPv4-mapped IPv6. With `ipv6Only`, an IPv6 socket takes IPv6 only (py-ipv8's `UDPIPv6` interface
    /// alone). Port 0 picks a free port; ``localAddress`` tells which.
    /// - Throws: `LibUVError` naming the address when the socket cannot be created or bound (for example
    ///   `EADDRINUSE`). The loop is unaffected.
    public init(loop: EventLoop, bindTo address: Address, ipv6Only: Bool = false, logger: Logger? = nil) throws {
        loop.assertInEventLoop()
        hot.initialize(to: EndpointCounters())
        self.loop = loop
        self.logger = logger ?? loop.logger
        self.isIPv6Socket = address.isIPv6
        self.families = .served(byBinding: address, ipv6Only: ipv6Only)
        self.interfaceHosts = address.isUnspecified ? InterfaceHosts.discover() : []
        let handle = UnsafeMutablePointer<uv_udp_t>.allocate(capacity: 1)
        let family = UInt32(address.isIPv6 ? AF_INET6 : AF_INET)
        let initResult = uv_udp_init_ex(loop.uvLoop, handle, family | UV_UDP_RECVMMSG.rawValue)
        // A throwing initialiser runs no deinit, so each failure path below frees `hot` itself.
        guard initResult == 0 else {
            handle.deallocate()
            hot.deinitialize(count: 1)
            hot.deallocate()
            throw LibUVError(code: initResult, operation: "create a UDP socket for \(address)")
        }
        do {
            if address.isIPv6 && !ipv6Only { try Self.allowIPv4(on: handle, address) }
            let bindResult = address.withSockaddr { uv_udp_bind(handle, $0, ipv6Only && address.isIPv6 ? UV_UDP_IPV6ONLY.rawValue : 0) }
            try LibUVError.check(bindResult, "bind UDP socket to \(address)")
            localAddress = try Self.boundAddress(of: handle, requested: address)
        } catch {
            uv_close(cuv_udp_as_handle(handle), udpEndpointOnClose)
            hot.deinitialize(count: 1)
            hot.deallocate()
            throw error
        }
        self.handle = handle
        uv_handle_set_data(cuv_udp_as_handle(handle), Unmanaged.passUnretained(self).toOpaque())
        loop.register(self)
        installBacklogProbe()
        let recvResult = uv_udp_recv_start(handle, udpEndpointOnAlloc, udpEndpointOnReceive)
        if recvResult != 0 {
            close()
            throw LibUVError(code: recvResult, operation: "start receiving on \(address)")
        }
    }

    deinit {
        hot.deinitialize(count: 1)
        hot.deallocate()
    }

    /// Turns `IPV6_V6ONLY` off before the bind, so that `::` is dual-stack even where the system
    /// default (`net.ipv6.bindv6only`) says otherwise.
    private static func allowIPv4(on handle: UnsafeMutablePointer<uv_udp_t>, _ address: Address) throws {
        var fd = uv_os_fd_t()
        try LibUVError.check(uv_fileno(cuv_udp_as_handle(handle), &fd), "read the socket of \(address)")
        var off: Int32 = 0
        if setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw LibUVError(code: -errno, operation: "turn IPV6_V6ONLY off for \(address)")
        }
    }

    private static func boundAddress(of handle: UnsafeMutablePointer<uv_udp_t>, requested: Address) throws -> Address {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { uv_udp_getsockname(handle, $0, &length) }
        }
        try LibUVError.check(rc, "read the bound address of \(requested)")
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Address(sockaddr: $0) }
        }
        // A dual-stack socket bound to :: reports ::, never an IPv4-mapped form; keep the requested host.
        return Address(host: requested.host, port: bound?.port ?? requested.port)
    }

    /// The libuv handle while open (for socket options set in extensions).
    var rawHandle: UnsafeMutablePointer<uv_udp_t>? { handle }

    /// True until ``close()``.
    public var isOpen: Bool { handle != nil }

    /// Whether libuv really reads with `recvmmsg` on this socket.
    public var usesRecvmmsg: Bool {
        guard let handle else { return false }
        return uv_udp_using_recvmmsg(handle) != 0
    }

    // MARK: Socket options

    /// The kernel receive buffer (`SO_RCVBUF`) in bytes. Linux reports twice the value that was set.
    public func receiveBufferSize() throws -> Int { try bufferSize(uv_recv_buffer_size, "SO_RCVBUF", set: 0) }

    /// Sets `SO_RCVBUF`. Busy nodes lose datagrams with the default of a few hundred KiB; the kernel caps the
    /// value at `net.core.rmem_max` unless the process may raise it.
    public func setReceiveBufferSize(_ bytes: Int) throws { _ = try bufferSize(uv_recv_buffer_size, "SO_RCVBUF", set: bytes) }

    /// The kernel send buffer (`SO_SNDBUF`) in bytes. Linux reports twice the value that was set.
    public func sendBufferSize() throws -> Int { try bufferSize(uv_send_buffer_size, "SO_SNDBUF", set: 0) }

    /// Sets `SO_SNDBUF` (capped by `net.core.wmem_max`).
    public func setSendBufferSize(_ bytes: Int) throws { _ = try bufferSize(uv_send_buffer_size, "SO_SNDBUF", set: bytes) }

    private func bufferSize(_ call: (UnsafeMutablePointer<uv_handle_t>?, UnsafeMutablePointer<Int32>?) -> Int32,
                            _ name: String, set bytes: Int) throws -> Int {
        loop.assertInEventLoop()
        guard let handle else { throw EndpointError.closed }
        guard bytes >= 0, bytes <= Int(Int32.max) else { throw EndpointError.invalidBufferSize(bytes) }
        var value = Int32(bytes)
        try LibUVError.check(call(cuv_udp_as_handle(handle), &value), "\(bytes == 0 ? "read" : "set") \(name)")
        return Int(value)
    }

    // MARK: Receive path

    @inline(__always)
    fileprivate func deliver(_ base: UnsafeRawPointer, count: Int, from sa: UnsafePointer<sockaddr>, batched: Bool) {
        if batched { inReceiveBatch = true }
        hot.pointee.packetsIn &+= 1
        hot.pointee.bytesIn &+= UInt64(count)
        guard let source = Address(sockaddr: sa) else { return }
        let packet = UnsafeRawBufferPointer(start: base, count: count)
        if statistics.isRecording { statistics.record(packet, up: false, now: Self.unixNow()) }
        router.route(packet, from: source)
    }

    fileprivate func receiveFailed(_ status: Int) {
        hot.pointee.receiveErrors &+= 1
        logger.debug("UDP receive error on \(localAddress): \(LibUVError(code: Int32(status), operation: "receive"))")
    }

    // MARK: Send path

    /// Sends `bytes` to `address`. Never throws: failures are counted in ``counters`` and logged at debug
    /// level. The bytes are copied only when the datagram has to wait in libuv's queue.
    public func send(_ bytes: UnsafeRawBufferPointer, to address: Address) {
        loop.assertInEventLoop()
        if sendsOnlyToLoopback && !address.isLoopback {
            hot.pointee.sendsRefusedOffLoopback &+= 1
            return
        }
        guard let handle else {
            hot.pointee.sendErrors &+= 1
            return
        }
        if !families.serves(address) {
            hot.pointee.sendErrors &+= 1
            logger.debug("cannot send to \(address) from \(families) socket \(localAddress)")
            return
        }
        if statistics.isRecording { statistics.record(bytes, up: true, now: Self.unixNow()) }
        if alwaysQueueSends {
            enqueueSend(bytes, to: address, handle: handle)
            return
        }
        if inReceiveBatch && appendToSendBatch(bytes, to: address) { return }
        let result = trySend(bytes, to: address, handle: handle)
        if result == UV_EAGAIN.rawValue {
            enqueueSend(bytes, to: address, handle: handle)
        } else if result < 0 {
            sendFailed(result, to: address)
        }
    }

    /// One `uv_udp_try_send`, counted when it went out; returns its result.
    private func trySend(_ bytes: UnsafeRawBufferPointer, to address: Address, handle: UnsafeMutablePointer<uv_udp_t>) -> Int32 {
        let result: Int32 = address.withSockaddr(mapToIPv6: isIPv6Socket) { sa in
            var buf = uv_buf_init(UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: CChar.self)),
                                  UInt32(bytes.count))
            return uv_udp_try_send(handle, &buf, 1, sa)
        }
        if result >= 0 {
            hot.pointee.packetsOut &+= 1
            hot.pointee.bytesOut &+= UInt64(bytes.count)
        }
        return result
    }

    /// Sends `bytes` to `address`; see ``send(_:to:)-(UnsafeRawBufferPointer,_)``.
    public func send(_ bytes: [UInt8], to address: Address) {
        bytes.withUnsafeBytes { send($0, to: address) }
    }

    /// Sends `bytes` to `address` with the IP time to live (IPv6 hop limit) `ttl`, then puts the socket's
    /// default back. Only a send that goes out at once can carry it: when the socket would block (or sends
    /// are always queued), the datagram is dropped and counted (``EndpointCounters/lowTTLSendsDropped``),
    /// which suits punctures, the one thing sent this way.
    public func send(_ bytes: [UInt8], to address: Address, ttl: UInt8) {
        loop.assertInEventLoop()
        flushSendBatch()   // what was sent before goes out before
        guard let handle, !alwaysQueueSends, !(sendsOnlyToLoopback && !address.isLoopback),
              families.serves(address) else {
            send(bytes, to: address)
            return
        }
        var fd = uv_os_fd_t()
        guard uv_fileno(cuv_udp_as_handle(handle), &fd) == 0 else {
            send(bytes, to: address)
            return
        }
        guard setTTL(fd, Int32(ttl)) else {
            _ = setTTL(fd, -1)   // one of the two options may have taken
            send(bytes, to: address)
            return
        }
        defer { _ = setTTL(fd, -1) }   // -1: the route's default again
        if statistics.isRecording { bytes.withUnsafeBytes { statistics.record($0, up: true, now: Self.unixNow()) } }
        let result = bytes.withUnsafeBytes { trySend($0, to: address, handle: handle) }
        if result == UV_EAGAIN.rawValue {
            hot.pointee.lowTTLSendsDropped &+= 1
        } else if result < 0 {
            sendFailed(result, to: address)
        }
    }

    /// Sets the unicast TTL (and, on an IPv6 socket, the hop limit, which IPv4-mapped sends use too);
    /// `-1` restores the default. False when the kernel refuses.
    private func setTTL(_ fd: uv_os_fd_t, _ ttl: Int32) -> Bool {
        var value = ttl
        let size = socklen_t(MemoryLayout<Int32>.size)
        if isIPv6Socket {
            return setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, &value, size) == 0
                && setsockopt(fd, Int32(IPPROTO_IP), IP_TTL, &value, size) == 0
        }
        return setsockopt(fd, Int32(IPPROTO_IP), IP_TTL, &value, size) == 0
    }

    /// Wall-clock time as Unix seconds (what py-ipv8's statistics hold).
    static func unixNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// A queued send is one block: the `uv_udp_send_t`, the datagram length, then the datagram bytes.
    static let queuedLengthOffset = (MemoryLayout<uv_udp_send_t>.stride + 7) & ~7
    static let queuedDataOffset = queuedLengthOffset + MemoryLayout<Int>.size

    func enqueueSend(_ bytes: UnsafeRawBufferPointer, to address: Address, handle: UnsafeMutablePointer<uv_udp_t>) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: Self.queuedDataOffset + bytes.count,
                                                     alignment: max(8, MemoryLayout<uv_udp_send_t>.alignment))
        let request = block.bindMemory(to: uv_udp_send_t.self, capacity: 1)
        block.storeBytes(of: bytes.count, toByteOffset: Self.queuedLengthOffset, as: Int.self)
        let data = block + Self.queuedDataOffset
        if let base = bytes.baseAddress { data.copyMemory(from: base, byteCount: bytes.count) }
        var buf = uv_buf_init(data.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
        let result = address.withSockaddr(mapToIPv6: isIPv6Socket) { sa in
            uv_udp_send(request, handle, &buf, 1, sa, udpEndpointOnSent)
        }
        if result < 0 {
            block.deallocate()
            sendFailed(result, to: address)
        } else {
            hot.pointee.queuedSends &+= 1
        }
    }

    fileprivate func sendCompleted(status: Int32, bytes: Int) {
        if status >= 0 {
            hot.pointee.packetsOut &+= 1
            hot.pointee.bytesOut &+= UInt64(bytes)
        } else if status != UV_ECANCELED.rawValue {
            sendFailed(status, to: nil)
        }
    }

    func sendFailed(_ status: Int32, to address: Address?) {
        hot.pointee.sendErrors &+= 1
        logger.debug("UDP send from \(localAddress) to \(address.map(String.init(describing:)) ?? "queued destination") failed: \(String(cString: uv_strerror(status)))")
    }

    // MARK: Closing

    /// Closes the socket. Batched replies are sent first; queued sends are cancelled (their memory is freed
    /// when libuv reports them); listeners receive nothing more. Idempotent.
    public func close() {
        guard let handle else { return }
        loop.assertInEventLoop()
        flushSendBatch()
        inReceiveBatch = false
        self.handle = nil
        uv_udp_recv_stop(handle)
        uv_handle_set_data(cuv_udp_as_handle(handle), nil)
        uv_close(cuv_udp_as_handle(handle), udpEndpointOnClose)
        router.removeAll()
        loop.unregister(self)
    }
}

// libuv callbacks: nonisolated global functions that reach the endpoint through handle->data.

nonisolated func udpEndpointOnAlloc(_ handle: UnsafeMutablePointer<uv_handle_t>?, _ suggested: Int,
                                    _ buf: UnsafeMutablePointer<uv_buf_t>?) {
    guard let data = uv_handle_get_data(handle) else {
        buf!.pointee = uv_buf_init(nil, 0)
        return
    }
    Unmanaged<UDPEndpoint>.fromOpaque(data)._withUnsafeGuaranteedRef { endpoint in
        buf!.pointee = uv_buf_init(endpoint.loop.receiveSlab.assumingMemoryBound(to: CChar.self),
                                   UInt32(EventLoop.receiveSlabSize))
    }
}

nonisolated func udpEndpointOnReceive(_ handle: UnsafeMutablePointer<uv_udp_t>?, _ nread: Int,
                                      _ buf: UnsafePointer<uv_buf_t>?, _ addr: UnsafePointer<sockaddr>?,
                                      _ flags: UInt32) {
    // The slab belongs to the loop: nothing to free on UV_UDP_MMSG_FREE, EAGAIN or errors.
    guard let data = uv_handle_get_data(cuv_udp_as_handle(handle)) else { return }
    // A recvmmsg batch: each datagram comes with UV_UDP_MMSG_CHUNK, then one callback without an address
    // (UV_UDP_MMSG_FREE) ends it; EAGAIN and errors also come without one. Replies wait for that end.
    Unmanaged<UDPEndpoint>.fromOpaque(data)._withUnsafeGuaranteedRef { endpoint in
        if nread >= 0, let addr, let base = buf?.pointee.base {
            endpoint.deliver(UnsafeRawPointer(base), count: nread, from: addr,
                             batched: flags & UV_UDP_MMSG_CHUNK.rawValue != 0)
        } else {
            if nread < 0 { endpoint.receiveFailed(nread) }
            if endpoint.inReceiveBatch { endpoint.receiveBatchEnded() }
        }
    }
}

nonisolated func udpEndpointOnSent(_ request: UnsafeMutablePointer<uv_udp_send_t>?, _ status: Int32) {
    guard let request else { return }
    let block = UnsafeMutableRawPointer(request)
    let length = block.load(fromByteOffset: UDPEndpoint.queuedLengthOffset, as: Int.self)
    if let handle = request.pointee.handle, let data = uv_handle_get_data(cuv_udp_as_handle(handle)) {
        Unmanaged<UDPEndpoint>.fromOpaque(data)._withUnsafeGuaranteedRef {
            $0.sendCompleted(status: status, bytes: length)
        }
    }
    block.deallocate()
}

nonisolated func udpEndpointOnClose(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    UnsafeMutableRawPointer(handle)?.deallocate()
}

extension UDPEndpoint {
    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    public func setBroadcast(_ enabled: Bool) throws {
        loop.assertInEventLoop()
        guard let handle = rawHandle else { throw EndpointError.closed }
        try LibUVError.check(uv_udp_set_broadcast(handle, enabled ? 1 : 0), "set SO_BROADCAST on \(localAddress)")
    }
}

extension UDPEndpoint: Endpoint {}
