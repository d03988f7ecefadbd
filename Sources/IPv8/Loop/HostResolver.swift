import IPv8Core
import CLibUV

#if canImport(Glibc)
import Glibc
#endif

/// Resolves host names with `uv_getaddrinfo`, which runs the blocking lookup on libuv's thread pool so
/// the loop thread never waits for DNS.
///
/// Used by bootstrappers that name trackers by DNS name. The completion runs on the loop thread, exactly
/// once: with the addresses found, or with an error (lookup failure or timeout).
public enum HostResolver {
    /// Why a lookup gave no address.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// `uv_getaddrinfo` failed for `host`; `reason` is libuv's message for the error.
        case lookupFailed(host: String, reason: String)
        /// No answer for `host` came within the timeout `after`.
        case timedOut(host: String, after: Duration)
        /// The event loop closed before the lookup finished.
        case loopClosed

        public var description: String {
            switch self {
            case .lookupFailed(let host, let reason): return "cannot resolve \(host): \(reason)"
            case .timedOut(let host, let after): return "resolving \(host) timed out after \(after)"
            case .loopClosed: return "the event loop is closed"
            }
        }
    }

    /// Looks up `host` (IPv4 and IPv6 results, UDP) and calls `completion` on the loop thread with every
    /// address found, each with `port`, in the resolver's order. A numeric host resolves at once.
    /// Must be called on the loop thread.
    public static func resolve(_ host: String, port: UInt16, on loop: EventLoop, timeout: Duration = .seconds(10),
                               completion: @escaping (Result<[Address], Failure>) -> Void) {
        loop.assertInEventLoop()
        if let numeric = Address(ip: host, port: port) {
            completion(.success([numeric]))
            return
        }
        let lookup = PendingLookup(host: host, port: port, completion: completion)
        let request = UnsafeMutablePointer<uv_getaddrinfo_t>.allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(lookup).toOpaque()   // released in the callback
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_family = AF_UNSPEC
        let rc = uv_getaddrinfo(loop.uvLoop, request, hostResolverOnResolved, host, nil, &hints)
        if rc != 0 {
            Unmanaged<PendingLookup>.fromOpaque(request.pointee.data).release()
            request.deallocate()
            completion(.failure(.lookupFailed(host: host, reason: String(cString: uv_strerror(rc)))))
            return
        }
        lookup.timer = loop.scheduleTimer(after: timeout) { [lookup] in
            lookup.finish(.failure(.timedOut(host: host, after: timeout)))
            uv_cancel(UnsafeMutableRawPointer(request).assumingMemoryBound(to: uv_req_t.self))
        }
    }
}

/// One lookup in flight; finishes once, whichever of the answer and the timeout comes first.
final class PendingLookup {
    let host: String
    let port: UInt16
    private var completion: ((Result<[Address], HostResolver.Failure>) -> Void)?
    var timer: LoopTimer?

    init(host: String, port: UInt16, completion: @escaping (Result<[Address], HostResolver.Failure>) -> Void) {
        self.host = host
        self.port = port
        self.completion = completion
    }

    func finish(_ result: Result<[Address], HostResolver.Failure>) {
        guard let completion else { return }
        self.completion = nil
        timer?.cancel()
        timer = nil
        completion(result)
    }
}

nonisolated func hostResolverOnResolved(_ request: UnsafeMutablePointer<uv_getaddrinfo_t>?, _ status: Int32,
                                        _ result: UnsafeMutablePointer<addrinfo>?) {
    guard let request else { return }
    let lookup = Unmanaged<PendingLookup>.fromOpaque(request.pointee.data).takeRetainedValue()
    defer {
        if let result { uv_freeaddrinfo(result) }
        request.deallocate()
    }
    if status == UV_ECANCELED.rawValue { return }   // timed out or loop closing: already finished or moot
    if status != 0 {
        lookup.finish(.failure(.lookupFailed(host: lookup.host, reason: String(cString: uv_strerror(status)))))
        return
    }
    var addresses: [Address] = []
    var node = result
    while let info = node {
        if let sa = info.pointee.ai_addr, var address = Address(sockaddr: sa) {
            address.port = lookup.port
            if !addresses.contains(address) { addresses.append(address) }
        }
        node = info.pointee.ai_next
    }
    lookup.finish(addresses.isEmpty ? .failure(.lookupFailed(host: lookup.host, reason: "no addresses")) : .success(addresses))
}
