import CLibUV
import IPv8Core

#if canImport(Glibc)
import Glibc
#endif

/// What the kernel holds for the socket's receive side (`SO_MEMINFO`).
public struct ReceiveQueueState: Sendable, Equatable {
    /// Bytes of queued datagrams, kernel overhead included (`SK_MEMINFO_RMEM_ALLOC`).
    public var queuedBytes: Int
    /// The receive buffer those bytes may fill (`SK_MEMINFO_RCVBUF`).
    public var bufferBytes: Int
    /// Datagrams the kernel dropped on this socket since it opened (`SK_MEMINFO_DROPS`).
    public var drops: UInt32
}

extension UDPEndpoint {
    /// The socket's receive queue now, or nil when the socket is closed or the kernel will not tell.
    public func receiveQueueState() -> ReceiveQueueState? {
        guard let handle = rawHandle else { return nil }
        var fd = uv_os_fd_t()
        guard uv_fileno(cuv_udp_as_handle(handle), &fd) == 0 else { return nil }
        // SO_MEMINFO (Linux ≥ 4.6) fills SK_MEMINFO_VARS (9) 32-bit counters.
        var info = [UInt32](repeating: 0, count: 9)
        var length = socklen_t(MemoryLayout<UInt32>.size * info.count)
        let soMeminfo: Int32 = 55
        let rc = info.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, soMeminfo, $0.baseAddress, &length) }
        guard rc == 0, length >= socklen_t(MemoryLayout<UInt32>.size * info.count) else { return nil }
        return ReceiveQueueState(queuedBytes: Int(info[0]), bufferBytes: Int(info[1]), drops: info[8])
    }

    /// Installs the verification gate's ``VerificationGate/backlogProbe``: the socket counts as backlogged
    /// while its queue holds more than half its buffer, or when the kernel dropped datagrams since
    /// the last asking. When the kernel will not tell, it always counts as backlogged (the safe side).
    func installBacklogProbe() {
        var lastDrops = receiveQueueState()?.drops ?? 0
        router.verificationGate.backlogProbe = { [weak self] in
            guard let state = self?.receiveQueueState() else { return true }
            defer { lastDrops = state.drops }
            return state.drops != lastDrops || state.queuedBytes * 2 > state.bufferBytes
        }
    }
}
