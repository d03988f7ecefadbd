import CLibUV
import CUDPBatch
import IPv8Core

#if canImport(Glibc)
import Glibc
#endif

/// Replies batched per receive batch: what a socket sends while it hands out the datagrams of one `recvmmsg`
/// call is copied into its loop's ``SendBatch`` and leaves with one `sendmmsg(2)` when that batch ends (or
/// when the slab is full, before a low-TTL send, and on close). Order is kept: the batch goes out in the
/// order it was filled, and behind datagrams still in libuv's queue.
extension UDPEndpoint {
    /// Copies a send into the loop's batch; false when the slab holds another socket's datagrams (receive
    /// callbacks do not nest, so this should not happen) and the send must go out at once.
    func appendToSendBatch(_ bytes: UnsafeRawBufferPointer, to address: Address) -> Bool {
        let batch = loop.sendBatch
        let me = ObjectIdentifier(self)
        if batch.count > 0 && batch.owner != me { return false }
        if !batch.hasRoom(for: bytes.count) { flushSendBatch() }
        guard batch.hasRoom(for: bytes.count) else { return false }
        batch.owner = me
        batch.append(bytes, to: address, mapToIPv6: isIPv6Socket)
        return true
    }

    /// Sends what this socket's batch holds: with `sendmmsg` on the socket, or through libuv's queue when
    /// datagrams already wait there or the kernel would block (EAGAIN). Other failures are counted per
    /// datagram, as ``send(_:to:)-(UnsafeRawBufferPointer,_)`` counts them.
    func flushSendBatch() {
        guard loop.hasSendBatch else { return }
        let batch = loop.sendBatch
        guard batch.count > 0, batch.owner == ObjectIdentifier(self) else { return }
        defer { batch.removeAll() }
        guard let handle = rawHandle else {
            hot.pointee.sendErrors &+= UInt64(batch.count)
            return
        }
        var next = 0
        var fd = uv_os_fd_t()
        if uv_udp_get_send_queue_count(handle) == 0 && uv_fileno(cuv_udp_as_handle(handle), &fd) == 0 {
            let limit = min(batch.count, batchFlushRefusesAfter ?? batch.count)
            while next < limit {
                let result = Int(cudp_send_batch(fd, batch.datagrams + next, UInt32(limit - next)))
                if result > 0 {
                    for i in next..<(next + result) {
                        hot.pointee.bytesOut &+= UInt64(batch.datagrams[i].length)
                    }
                    hot.pointee.packetsOut &+= UInt64(result)
                    hot.pointee.batchedSends &+= UInt64(result)
                    next += result
                } else if result == -Int(EAGAIN) || result == -Int(EWOULDBLOCK) || result == 0 {
                    break
                } else {
                    sendFailed(Int32(result), to: batch.destinations[next])
                    next += 1
                }
            }
        }
        // What is left waits in libuv's queue, in order (copied there).
        for i in next..<batch.count {
            enqueueSend(batch.bytes(at: i), to: batch.destinations[i], handle: handle)
        }
    }

    /// The end of a receive batch (libuv's last callback for it): sends the batched replies.
    func receiveBatchEnded() {
        inReceiveBatch = false
        flushSendBatch()
    }
}
