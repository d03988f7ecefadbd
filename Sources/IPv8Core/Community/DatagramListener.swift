/// Receives datagrams from an endpoint's ``PrefixRouter``, on the loop thread.
public protocol DatagramListener: AnyObject {
    /// Handles one datagram. `packet` may point into the loop's receive slab and is valid only for the
    /// duration of the call: copy what must outlive it. Nothing is allocated per packet before this call.
    func receive(_ packet: UnsafeRawBufferPointer, from source: Address)
}
