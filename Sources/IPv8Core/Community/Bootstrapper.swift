/// Finds the first addresses a community walks to when it has no peers (py-ipv8's `Bootstrapper`,
/// reduced to what the engine needs synchronously).
public protocol Bootstrapper: AnyObject {
    /// The addresses `community` should walk to now. Called on the loop thread by
    /// ``Community/bootstrap()``.
    func bootstrapAddresses(for community: Community) -> [Address]
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
