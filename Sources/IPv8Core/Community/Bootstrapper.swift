/// Finds the first addresses a community walks to when it has no peers (py-ipv8's `Bootstrapper`,
/// reduced to what the engine needs synchronously).
public protocol Bootstrapper: AnyObject {
    /// The addresses `community` should walk to now. Called on the loop thread by
    /// ``Community/bootstrap()``.
    func bootstrapAddresses(for community: Community) -> [Address]

    /// A tracker to walk to now and then although `community` has peers (py-ipv8's `keep_alive`, which
    /// keeps every overlay connected to some tracker against network splits), or `nil`. Called on the loop
    /// thread by ``Community/getNewIntroduction(from:)``. Default: `nil`.
    func keepAliveAddress(for community: Community) -> Address?
}

extension Bootstrapper {
    public func keepAliveAddress(for community: Community) -> Address? { nil }
}

/// A fixed list of addresses, for loopback swarms and tests (no DNS, no tracker blacklisting).
public final class AddressListBootstrapper: Bootstrapper {
    /// The addresses handed out.
    public var addresses: [Address]

    /// A bootstrapper handing out `addresses`.
    public init(_ addresses: [Address]) {
        self.addresses = addresses
    }

    public func bootstrapAddresses(for community: Community) -> [Address] {
        addresses
    }
}
