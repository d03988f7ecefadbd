import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking UDP socket bound to a 127.0.0.0/8 address (any port) that sends only to 127.0.0.0/8.
/// Closed by ``close()``.
struct LoopbackSocket: Sendable {
    let fd: Int32

    /// Binds to `host` (127.x.y.z), with a receive buffer of `receiveBuffer` bytes when given.
    init(host: String = "127.0.0.1", receiveBuffer: Int32? = nil) throws {
        guard let bindAddress = Address(ip: host, port: 0), bindAddress.isLoopback else {
            throw BenchError("\(host) is not on 127.0.0.0/8")
        }
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw BenchError("bind \(host): \(reason)")
        }
        if var size = receiveBuffer {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Sends one datagram to `destination` (which must be on 127.0.0.0/8); false when the kernel refused it.
    @discardableResult
    func send(_ packet: [UInt8], to destination: Address) -> Bool {
        guard destination.isLoopback, case .v4(let ip) = destination.host else { return false }
        var to = sockaddr_in()
        to.sin_family = sa_family_t(AF_INET)
        to.sin_port = destination.port.bigEndian
        to.sin_addr.s_addr = ip.bigEndian
        let sent = packet.withUnsafeBytes { raw in
            withUnsafePointer(to: &to) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == packet.count
    }

    /// Receives one waiting datagram into `buffer`; its length, or nil when none waits.
    func receive(into buffer: inout [UInt8]) -> Int? {
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? n : nil
    }

    func close() { Glibc.close(fd) }
}
