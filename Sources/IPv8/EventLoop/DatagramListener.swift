/// Receives datagrams from a `UDPEndpoint`, on the loop thread.
public protocol DatagramListener: AnyObject {
    /// Handles one datagram. `packet` points into the loop's receive slab and is valid only for the
    /// duration of the call: copy what must outlive it. Nothing is allocated per packet before this call.
    func receive(_ packet: UnsafeRawBufferPointer, from source: Address)
}

/// A `DatagramListener` that calls a closure; convenient for tests and small tools.
public final class ClosureDatagramListener: DatagramListener {
    private let body: (UnsafeRawBufferPointer, Address) -> Void

    public init(_ body: @escaping (UnsafeRawBufferPointer, Address) -> Void) {
        self.body = body
    }

    public func receive(_ packet: UnsafeRawBufferPointer, from source: Address) {
        body(packet, source)
    }
}
