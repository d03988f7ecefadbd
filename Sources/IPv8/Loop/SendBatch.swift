import CUDPBatch
import IPv8Core

#if canImport(Glibc)
import Glibc
#endif

/// A loop's slab for the datagrams one socket sends while it hands out a receive batch: copies of up to
/// ``capacity`` datagrams (``arenaSize`` bytes in all) with their destinations, which the socket sends with one
/// `sendmmsg(2)` when the batch ends (`UDPEndpoint`). One slab serves every socket of the loop, because
/// receive callbacks do not nest: only the socket whose batch is being handed out fills it. Its memory is
/// allocated when a loop first batches a send.
final class SendBatch {
    /// The most datagrams the slab holds (one `sendmmsg` call's worth).
    static let capacity = Int(CUDP_BATCH_MAX)
    /// Bytes of datagrams the slab holds: room for the largest UDP datagram.
    static let arenaSize = 65_536
    /// Room for one destination: a `sockaddr_in6` (28 bytes) or a `sockaddr_in` (16), 8-byte aligned.
    private static let addressStride = 32

    /// Datagrams held.
    private(set) var count = 0
    /// Arena bytes in use.
    private var used = 0
    /// The socket whose datagrams the slab holds (meaningful while `count > 0`).
    var owner: ObjectIdentifier?

    private let arena: UnsafeMutableRawPointer = .allocate(byteCount: arenaSize, alignment: 16)
    /// What `cudp_send_batch` reads: pointers into `arena` and `addresses`.
    let datagrams: UnsafeMutablePointer<cudp_datagram> = .allocate(capacity: capacity)
    private let addresses: UnsafeMutableRawPointer = .allocate(byteCount: capacity * addressStride, alignment: 8)
    /// The destination of each datagram (for the queue fallback and error logs).
    let destinations: UnsafeMutablePointer<Address> = .allocate(capacity: capacity)

    deinit {
        destinations.deinitialize(count: count)
        destinations.deallocate()
        arena.deallocate()
        datagrams.deallocate()
        addresses.deallocate()
    }

    /// True when `bytes` more bytes fit beside what the slab holds.
    func hasRoom(for bytes: Int) -> Bool { count < Self.capacity && used + bytes <= Self.arenaSize }

    /// Copies `bytes` and its destination (as IPv4-mapped IPv6 when `mapToIPv6`) into the slab, which must
    /// have room (``hasRoom(for:)``).
    func append(_ bytes: UnsafeRawBufferPointer, to address: Address, mapToIPv6: Bool) {
        precondition(hasRoom(for: bytes.count))
        let data = arena + used
        if let base = bytes.baseAddress { data.copyMemory(from: base, byteCount: bytes.count) }
        let slot = addresses + count * Self.addressStride
        let length: Int = address.withSockaddr(mapToIPv6: mapToIPv6) { sa in
            let length = Int32(sa.pointee.sa_family) == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size
            slot.copyMemory(from: UnsafeRawPointer(sa), byteCount: length)
            return length
        }
        datagrams[count] = cudp_datagram(bytes: UnsafeRawPointer(data), length: bytes.count,
                                         address: UnsafeRawPointer(slot), address_length: UInt32(length))
        (destinations + count).initialize(to: address)
        count += 1
        used += bytes.count
    }

    /// Datagram `index` as bytes.
    func bytes(at index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: datagrams[index].bytes, count: datagrams[index].length)
    }

    /// Forgets every datagram.
    func removeAll() {
        destinations.deinitialize(count: count)
        count = 0
        used = 0
        owner = nil
    }
}
